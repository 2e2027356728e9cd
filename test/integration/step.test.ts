import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { IS_ROOT, NETLAB, leftovers, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';
import { quoteArgv } from '../../src/render/quote.js';

const d = IS_ROOT ? describe : describe.skip;
const PROMPT = 'Enter runs it, c runs the rest, q stops and undoes: ';

/** netlab in a pseudo-terminal (util-linux `script`), as a learner runs it, driven by keystrokes. */
function inTerminal(args: string[], env: Record<string, string>) {
  const child = spawn('script', ['-qfec', quoteArgv([NETLAB, ...args]), '/dev/null'], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const waiters: { count: number; resolve: () => void }[] = [];
  const prompts = () => output.split(PROMPT).length - 1;
  const wake = () => {
    for (const w of [...waiters]) if (prompts() >= w.count) (waiters.splice(waiters.indexOf(w), 1), w.resolve());
  };
  child.stdout.on('data', (chunk: Buffer) => ((output += chunk.toString()), wake()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  return {
    output: () => output,
    /** resolves once the n-th prompt is on the screen (fails the test if netlab exits first) */
    prompt: (count: number) => Promise.race([
      new Promise<void>((resolve) => (waiters.push({ count, resolve }), wake())),
      exited.then((code) => { throw new Error(`netlab exited (${code}) before prompt ${count}:\n${output}`); }),
    ]),
    type: (text: string) => child.stdin.write(text),
    exited,
  };
}

d('netlab up --step in a terminal', () => {
  it('shows each command with why and runs it only after Enter', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const term = inTerminal(['up', 'red-blue-veth', '--step', '--prefix', prefix], { NETLAB_STATE_DIR: stateDir, NO_COLOR: '1' });
    try {
      await term.prompt(1);
      expect(term.output()).toContain(`[1/12] ip netns add ${prefix}host`);
      expect(term.output()).toMatch(/why: .*namespace/);
      // waiting: nothing exists until Enter
      await new Promise((r) => setTimeout(r, 300));
      expect(existsSync(`/run/netns/${prefix}host`)).toBe(false);
      term.type('\r');
      await term.prompt(2);
      expect(existsSync(`/run/netns/${prefix}host`)).toBe(true);
      expect(existsSync(`/run/netns/${prefix}red`)).toBe(false);
      expect(term.output()).toContain(`[2/12] ip netns add ${prefix}red`);
      term.type('\r');
      await term.prompt(3);
      term.type('\r');
      await term.prompt(4);
      expect(term.output()).toContain(`ip -n ${prefix}red link add name veth-red type veth peer name veth-blue netns ${prefix}blue`);
      expect(term.output()).toContain('a veth pair is a virtual cable');
      // the learner's own command between steps sees the half-built lab
      expect(existsSync(`/run/netns/${prefix}blue`)).toBe(true);
      term.type('c\r');
      expect(await term.exited).toBe(0);
      expect(term.output()).toContain(`[12/12] `);
      expect(term.output()).toContain(`up red-blue-veth@${prefix}`);
      const verify = await netlab(['verify', 'red-blue-veth', '--prefix', prefix], { stateDir });
      expect(verify.exitCode).toBe(0);
    } finally {
      await netlab(['down', 'red-blue-veth', '--prefix', prefix], { stateDir });
    }
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });

  it('q stops and undoes what ran', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const term = inTerminal(['up', 'red-blue-bridge', '--step', '--prefix', prefix], { NETLAB_STATE_DIR: stateDir, NO_COLOR: '1' });
    await term.prompt(1);
    term.type('\r');
    await term.prompt(2);
    expect(existsSync(`/run/netns/${prefix}host`)).toBe(true);
    term.type('q\r');
    expect(await term.exited).toBe(130);
    expect(term.output()).toContain('undoing');
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });
});
