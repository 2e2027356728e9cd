import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { execa } from 'execa';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IS_ROOT, NETLAB, leftovers, netlab, processesOf, tempStateDir, uniquePrefix } from '../helpers/cli.js';
import { gone, inPty } from '../helpers/pty.js';
import { starLab } from '../../bench/star-lab.mjs';

// Ctrl-C, SIGTERM, a closed terminal (SIGHUP) and a broken pipe, delivered as users deliver them:
// through a real pseudo-terminal (of 120 columns, and of none), at distinct phases of a large lab.
// Each must undo everything, exit 130 and leave nothing.
const d = IS_ROOT ? describe : describe.skip;

const dir = mkdtempSync(join(tmpdir(), 'netlab-term-'));
const star = join(dir, 'star-200.yaml');
writeFileSync(star, (starLab as (n: number) => string)(200));

/** A lab whose phases include files and services: `count` nodes on a bridge, every tenth runs http. */
function servicesLab(name: string, count: number): string {
  const lines = [`name: ${name}`, 'nodes:', '  hub:', '    bridges: { br0: { address: 10.78.0.1/16 } }'];
  for (let i = 1; i <= count; i++) {
    lines.push(`  tx${i}:`, '    files: { hosts: "10.78.0.1 hub\\n" }');
    if (i % 10 === 0) lines.push('    services: [ { http: { port: 80 } } ]');
  }
  lines.push('links:');
  for (let i = 1; i <= count; i++) lines.push(`  - { ends: [tx${i}:eth0, hub:p${i}], bridge: br0, address: 10.78.0.${i + 1}/16 }`);
  lines.push('checks:');
  for (let i = 1; i <= count; i++) lines.push(`  - ping: { from: tx${i}, to: 10.78.0.1 }`);
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
const services = servicesLab('term-svc', 80);

const stateDirs: string[] = [];
function newStateDir(): string {
  const s = tempStateDir();
  stateDirs.push(s);
  return s;
}
afterAll(async () => {
  for (const s of stateDirs) await netlab(['down', '--all'], { stateDir: s });
});

const INTERRUPTED = /interrupted by SIGINT; everything applied was undone/;

d('Ctrl-C through a real terminal during up', () => {
  // the spinner shows "PHASE (N steps)" while a phase runs
  it.each([
    ['netns', star], ['links', star], ['config', star], ['files', services], ['services', services],
  ])('120 columns, spinner on, Ctrl-C during %s: undone, exit 130', async (phase, file) => {
    const stateDir = newStateDir();
    const prefix = uniquePrefix();
    const run = inPty(['up', file, '--prefix', prefix], { cols: 120, env: { NETLAB_STATE_DIR: stateDir } });
    await run.waitFor(new RegExp(`${phase} \\(\\d+ steps\\)`));
    run.type('\x03');
    expect(await run.exited).toBe(130);
    expect(run.output()).toMatch(INTERRUPTED);
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });

  it('a terminal of 0 columns: no spinner, Ctrl-C during config undoes, exit 130', async () => {
    const stateDir = newStateDir();
    const prefix = uniquePrefix();
    const run = inPty(['up', star, '--prefix', prefix], { cols: 0, env: { NETLAB_STATE_DIR: stateDir } });
    await run.waitFor(/ok sysctls/);
    run.type('\x03');
    expect(await run.exited).toBe(130);
    expect(run.output()).toMatch(INTERRUPTED);
    // ora with 0 columns drew Infinity lines: cursor-up sequences without end
    expect(run.output()).not.toContain('\x1b[1A');
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });

  it('output piped through tee: Ctrl-C (which also ends tee) undoes, exit 130', async () => {
    const stateDir = newStateDir();
    const prefix = uniquePrefix();
    const log = join(dir, `${prefix}tee.log`);
    const run = inPty(['up', star, '--prefix', prefix], { cols: 120, env: { NETLAB_STATE_DIR: stateDir }, pipeTo: `tee ${log}` });
    await run.waitFor(/ok links/);
    run.type('\x03');
    expect(await run.exited).toBe(130);
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });

  it('--step: Ctrl-C while the learner reads a step undoes what ran, exit 130', async () => {
    const stateDir = newStateDir();
    const prefix = uniquePrefix();
    const run = inPty(['up', services, '--prefix', prefix, '--step'], { cols: 120, env: { NETLAB_STATE_DIR: stateDir } });
    for (let i = 1; i <= 3; i++) {
      await run.waitFor(new RegExp(`\\[${i}/\\d+\\][^]*Enter runs it`));
      run.type('\r');
    }
    await run.waitFor(/\[4\/\d+\][^]*Enter runs it/);
    run.type('\x03');
    expect(await run.exited).toBe(130);
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });
});

d('the terminal closed, SIGTERM, a broken pipe during up', () => {
  it('the terminal window closes during config (SIGHUP): undone, nothing left', async () => {
    const stateDir = newStateDir();
    const prefix = uniquePrefix();
    const run = inPty(['up', star, '--prefix', prefix], { cols: 120, env: { NETLAB_STATE_DIR: stateDir } });
    await run.waitFor(/config \(\d+ steps\)/);
    const pid = run.pid();
    expect(pid).toBeDefined();
    run.close();
    expect(await gone(pid as number)).toBe(true);
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });

  it('SIGTERM to up running in a terminal, during links: undone, exit 130', async () => {
    const stateDir = newStateDir();
    const prefix = uniquePrefix();
    const run = inPty(['up', star, '--prefix', prefix], { cols: 120, env: { NETLAB_STATE_DIR: stateDir } });
    await run.waitFor(/links \(\d+ steps\)/);
    run.kill('SIGTERM');
    expect(await run.exited).toBe(130);
    expect(run.output()).toMatch(/interrupted by SIGTERM; everything applied was undone/);
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });

  it('the reader of its output goes away (`up LAB 2>&1 | head -c1`): undone, exit 130', async () => {
    const stateDir = newStateDir();
    const prefix = uniquePrefix();
    const child = spawn(NETLAB, ['up', star, '--prefix', prefix], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', NETLAB_STATE_DIR: stateDir } });
    const first = new Promise<string>((resolve) => {
      const read = (d: Buffer) => {
        child.stdout.destroy();
        child.stderr.destroy();
        resolve(d.toString('utf8'));
      };
      child.stdout.once('data', read);
      child.stderr.once('data', read);
    });
    expect(await first).toMatch(/^ok netns/);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });
});

d('verify and test through a terminal', () => {
  it('Ctrl-C during verify: the probes stop, exit 130, the lab stays up', async () => {
    const stateDir = newStateDir();
    const prefix = uniquePrefix();
    expect((await netlab(['up', services, '--prefix', prefix], { stateDir })).exitCode).toBe(0);
    // the hub answers no ping: each probe waits out its timeout, so Ctrl-C lands while probes run however fast they start
    expect((await execa('ip', ['netns', 'exec', `${prefix}hub`, 'iptables', '-I', 'INPUT', '-p', 'icmp', '-j', 'DROP'], { reject: false })).exitCode).toBe(0);
    const run = inPty(['verify', services, '--prefix', prefix, '--jobs', '4'], { cols: 120, env: { NETLAB_STATE_DIR: stateDir } });
    // ping probes are running once a ping process of this state directory exists
    for (let i = 0; i < 400 && !processesOf(stateDir).some((p) => p.includes('ping')); i++) await new Promise((r) => setTimeout(r, 25));
    run.type('\x03');
    expect(await run.exited).toBe(130);
    expect(run.output()).toMatch(/interrupted by SIGINT/);
    expect(processesOf(stateDir).filter((p) => !p.includes('serve'))).toEqual([]);
    expect((await netlab(['down', services, '--prefix', prefix], { stateDir })).exitCode).toBe(0);
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });

  it('Ctrl-C during test: the labs in flight are taken down, exit 130', async () => {
    const stateDir = newStateDir();
    const before = new Set(readdirSync('/run/netns'));
    const run = inPty(['test', services], { cols: 120, env: { NETLAB_STATE_DIR: stateDir } });
    for (let i = 0; i < 2400 && !readdirSync(stateDir).some((f) => f.endsWith('.json')); i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 300));
    run.type('\x03');
    expect(await run.exited).toBe(130);
    const ours = readdirSync('/run/netns').filter((n) => !before.has(n) && /^nt[0-9a-f]{6}-(hub|tx\d+)$/.test(n));
    expect(ours).toEqual([]);
    expect(readdirSync(stateDir).filter((f) => !f.endsWith('.lock'))).toEqual([]);
    expect(processesOf(stateDir)).toEqual([]);
  });
});
