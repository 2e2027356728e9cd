import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { buildProgram } from '../../src/cli/main.js';
import { completionScript } from '../../src/cli/completion.js';

function complete(script: string, words: string[]): string[] {
  const out = execFileSync('bash', ['-c', `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _netlab; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

describe('shell completion', () => {
  const bash = completionScript(buildProgram(), 'bash', ['red-blue-bridge', 'red-blue-veth']);

  it('bash completes commands, each command\'s options and lab names', () => {
    expect(complete(bash, ['netlab', 'doc'])).toEqual(['doctor']);
    expect(complete(bash, ['netlab', ''])).toEqual(expect.arrayContaining(['up', 'down', 'graph', 'doctor', 'exec', 'shell', 'completion']));
    expect(complete(bash, ['netlab', ''])).not.toContain('serve');
    expect(complete(bash, ['netlab', 'up', '--st'])).toEqual(['--step']);
    expect(complete(bash, ['netlab', 'graph', 'x', '--fo'])).toEqual(['--format']);
    expect(complete(bash, ['netlab', 'up', 'red-blue-b'])).toEqual(['red-blue-bridge']);
  });

  it('zsh names every visible command with its description', () => {
    const zsh = completionScript(buildProgram(), 'zsh', ['red-blue-bridge']);
    expect(zsh.startsWith('#compdef netlab')).toBe(true);
    for (const c of ['up', 'down', 'graph', 'doctor', 'exec', 'shell']) expect(zsh).toMatch(new RegExp(`'${c}:`));
    expect(zsh).toContain('(red-blue-bridge)');
  });
});
