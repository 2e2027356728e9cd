import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalExecutor } from '../../src/exec/local.js';
import { createNetForker } from '../../src/exec/net-forker.js';
import type { Command, RunResult } from '../../src/exec/executor.js';
import { evaluatePing } from '../../src/verify/eval-reach.js';
import { IS_ROOT, ROOT } from '../helpers/cli.js';

const d = IS_ROOT ? describe : describe.skip;
const ns = `t${randomBytes(3).toString('hex')}-fork`;
const inNs = (...argv: string[]): string[] => ['nsenter', `--net=/run/netns/${ns}`, '--', ...argv];
const sh = (script: string) => inNs('sh', '-c', script);
/** the parent's pid from /proc/PID/stat (the field after the command's closing parenthesis and the state) */
const parentOf = (pid: string): number | undefined => {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) \S+ /s, '').split(' ')[0]);
  } catch {
    return undefined;
  }
};
const readCmdline = (pid: string): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
};
const comparable = (r: RunResult) => ({ exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr });

// what verify sees through the forker must be what it saw from nsenter spawned by netlab itself
d('the namespace forker (exec/net-forker.ts) against nsenter spawned by netlab', () => {
  const spawned = createLocalExecutor();
  const forked = createLocalExecutor({ forker: createNetForker() });
  const both = async (command: Command) => [comparable(await spawned.run(command)), comparable(await forked.run(command))];

  beforeAll(async () => {
    await execa('ip', ['netns', 'add', ns]);
    await execa('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  });
  afterAll(async () => {
    await execa('ip', ['netns', 'del', ns]);
  });

  it('runs the program in the namespace, forked by perl instead of netlab', async () => {
    const [a, b] = await both({ argv: sh('readlink /proc/self/ns/net; ip -br link show lo') });
    expect(b).toEqual(a);
    expect(a?.stdout.split('\n')[0]).toMatch(/^net:\[\d+\]$/);
    expect(a?.stdout.split('\n')[0]).not.toBe((await execa('readlink', ['/proc/self/ns/net'])).stdout);
    expect((await forked.run({ argv: sh('cat /proc/$PPID/comm') })).stdout).toBe('perl\n');
    expect((await spawned.run({ argv: sh('cat /proc/$PPID/comm') })).stdout).not.toBe('perl\n');
  });

  it('gives the same exit code, standard output and error, environment and empty input', async () => {
    for (const command of [
      { argv: sh('echo out; echo err >&2; exit 3') },
      { argv: sh('printf "%s|" "$NETLAB_X" "$HOME"; cat; echo end'), env: { NETLAB_X: 'a b\nc' } },
      { argv: sh('kill -9 $$') },
      { argv: inNs('netlab-no-such-program') },
      { argv: ['nsenter', `--net=/run/netns/${ns}-missing`, '--', 'ip', 'link'] },
      { argv: inNs('seq', '1', '300000') },
      { argv: inNs('ping', '-n', '-c', '1', '-W', '1', '198.51.100.1') },
    ]) {
      const [a, b] = await both(command);
      expect(b, command.argv.join(' ')).toEqual(a);
    }
  });

  it('observes a ping as before', async () => {
    const argv = inNs('ping', '-n', '-c', '1', '-i', '0.2', '-W', '1', '127.0.0.1');
    const [a, b] = await Promise.all([spawned.run({ argv }), forked.run({ argv })]);
    expect(evaluatePing({ expect: 'reply' }, b as RunResult)).toMatchObject({ outcome: 'reply', pass: true });
    expect(evaluatePing({ expect: 'reply' }, b as RunResult).outcome).toBe(evaluatePing({ expect: 'reply' }, a as RunResult).outcome);
  });

  it('times a command out as before: SIGTERM, exit 124 and the same note', async () => {
    const command = { argv: inNs('sleep', '5'), timeoutMs: 300 };
    const started = Date.now();
    const [a, b] = await both(command);
    expect(b).toEqual(a);
    expect(b?.exitCode).toBe(124);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('stops what runs when verify is interrupted, and starts nothing after', async () => {
    const controller = new AbortController();
    const executor = createLocalExecutor({ signal: controller.signal, forker: createNetForker() });
    const running = executor.run({ argv: inNs('sleep', '5') });
    setTimeout(() => controller.abort(), 200);
    const r = await running;
    expect(r.exitCode).toBe(1);
    expect((await executor.run({ argv: sh('true') })).exitCode).toBe(130);
  });

  it('keeps each of many commands at once apart', async () => {
    const runs = Array.from({ length: 60 }, (_, i) => forked.run({ argv: sh(`sleep 0.0${i % 10}; echo ${i}; echo e${i} >&2; exit ${i % 7}`) }));
    const results = await Promise.all(runs);
    results.forEach((r, i) => expect(comparable(r)).toEqual({ exitCode: i % 7, stdout: `${i}\n`, stderr: `e${i}\n` }));
  });

  it('gives a command started while an idle forker exits to the next one, not to the one exiting', async () => {
    // the forker ends its input 250 ms after its last command: start new ones around that moment
    for (let wait = 200; wait <= 320; wait += 8) {
      await forked.run({ argv: sh('true') });
      await new Promise((r) => setTimeout(r, wait));
      const results = await Promise.all([1, 2, 3].map((i) => forked.run({ argv: sh(`echo ${i}`) })));
      expect(results.map(comparable), `after ${wait} ms`).toEqual([1, 2, 3].map((i) => ({ exitCode: 0, stdout: `${i}\n`, stderr: '' })));
    }
  });

  it('is reaped by netlab when closed, and a later command starts another', async () => {
    const forker = createNetForker();
    const executor = createLocalExecutor({ forker });
    const parent = (await executor.run({ argv: sh('echo $PPID') })).stdout.trim();
    expect(readCmdline(parent)).toContain('netlab-forker');
    await executor.close?.();
    expect(readCmdline(parent)).toBe('');
    expect((await executor.run({ argv: sh('echo again') })).stdout).toBe('again\n');
    await executor.close?.();
  });

  it('keeps netlab running while it waits for an idle forker to exit', async () => {
    // the forker is unreferenced while idle: closing it must hold the event loop until it has exited
    const script = `
      const { createLocalExecutor } = await import(${JSON.stringify(join(ROOT, 'dist/exec/local.js'))});
      const { createNetForker } = await import(${JSON.stringify(join(ROOT, 'dist/exec/net-forker.js'))});
      const executor = createLocalExecutor({ forker: createNetForker() });
      process.stdout.write((await executor.run({ argv: ${JSON.stringify(sh('echo ran'))} })).stdout);
      await executor.close();
      process.stdout.write('closed\\n');`;
    const r = await execa('node', ['--input-type=module', '-e', script], { reject: false });
    expect([r.exitCode, r.stdout]).toEqual([0, 'ran\nclosed']);
  });

  it('leaves no forker running once idle', async () => {
    await forked.run({ argv: sh('true') });
    await new Promise((r) => setTimeout(r, 800));
    // only this file's own forkers (children of this process): other files' verifies may run theirs meanwhile
    const forkers = readdirSync('/proc').filter((pid) => /^\d+$/.test(pid) && readCmdline(pid).includes('netlab-forker') && parentOf(pid) === process.pid);
    expect(forkers).toEqual([]);
  });
});
