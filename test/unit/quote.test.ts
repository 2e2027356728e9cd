import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { quoteArg, quoteArgv } from '../../src/render/quote.js';
import { parseTarget, remoteCommand, sshHostOf } from '../../src/exec/vagrant.js';

const NASTY = [
  '', ' ', 'plain', 'two words', "it's", "''", '"double"', '$HOME', '${x}', '`id`', '$(id)', 'a;b', 'a&&b', 'a|b', '>out', '<in',
  '*', '?', '[a]', '~', '~root', '#comment', '!', '!!', '\\', '\\n', 'line\nbreak', 'tab\there', '-n', '--', '=', 'a=b', '%', '{a,b}',
  'ünïcode', '日本', '🙂', 'x'.repeat(5000), "'\"'\"'", '\r', ' leading', 'trailing ', '-A POSTROUTING -s 192.168.15.0/24 ! -o v-net-0 -j MASQUERADE',
];

/** What a POSIX shell makes of the text: the argv it would run, printed NUL-separated. */
function shellArgv(shell: string, text: string): string[] {
  const out = execFileSync(shell, ['-c', `printf '%s\\0' ${text}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('quoteArg: the one quoting function', () => {
  it('leaves safe words alone and single-quotes everything else', () => {
    expect(quoteArg('ip')).toBe('ip');
    expect(quoteArg('192.168.15.1/24')).toBe('192.168.15.1/24');
    expect(quoteArg('')).toBe("''");
    expect(quoteArg('two words')).toBe("'two words'");
    expect(quoteArg("it's")).toBe("'it'\\''s'");
    expect(quoteArgv(['echo', '$HOME', 'a b'])).toBe("echo '$HOME' 'a b'");
  });

  for (const shell of ['sh', 'bash', 'dash'].filter((s) => { try { execFileSync('sh', ['-c', `command -v ${s}`]); return true; } catch { return false; } })) {
    it(`every argument survives ${shell} unchanged, one by one and all together`, () => {
      for (const arg of NASTY.filter((a) => !a.includes('\0'))) expect(shellArgv(shell, quoteArg(arg)), JSON.stringify(arg)).toEqual([arg]);
      expect(shellArgv(shell, quoteArgv(NASTY))).toEqual(NASTY);
    }, 60_000); // one shell per argument: a correctness test, slow only when the machine is busy
  }

  it('never lets a shell expand or run anything (no command substitution side effect)', () => {
    const marker = `/tmp/netlab-quote-${process.pid}`;
    const text = quoteArgv([`$(touch ${marker})`, `\`touch ${marker}\``, `; touch ${marker}`]);
    execFileSync('sh', ['-c', `printf '%s\\n' ${text} >/dev/null`]);
    expect(() => execFileSync('test', ['-e', marker])).toThrow();
  });
});

describe('the remote command lines of --target vagrant', () => {
  it('runs each argv as root through sudo, quoted once for the remote shell', () => {
    const argv = ['ip', 'netns', 'exec', 'red', 'sh', '-c', "echo 'hi' $HOME"];
    expect(remoteCommand(argv)).toBe(`sudo -n -- ip netns exec red sh -c 'echo '\\''hi'\\'' $HOME'`);
    // what sshd's shell would run: sudo with exactly our argv
    expect(shellArgv('sh', remoteCommand(argv))).toEqual(['sudo', '-n', '--', ...argv]);
  });

  it('parses targets and the ssh-config host', () => {
    expect(parseTarget(undefined)).toEqual({ kind: 'local' });
    expect(parseTarget('local')).toEqual({ kind: 'local' });
    expect(parseTarget('vagrant')).toEqual({ kind: 'vagrant' });
    expect(parseTarget('vagrant:netlab')).toEqual({ kind: 'vagrant', machine: 'netlab' });
    for (const bad of ['ssh', 'vagrant:', 'vagrant:a b', 'vagrant:$(id)', 'vagrant:a:b', 'vagrant:-x']) expect(() => parseTarget(bad), bad).toThrow(/unknown target/);
    expect(sshHostOf('Host netlab\n  HostName 127.0.0.1\n  Port 2222\n')).toBe('netlab');
    expect(() => sshHostOf('')).toThrow(/no Host/);
  });
});
