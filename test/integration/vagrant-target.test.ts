import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { IS_ROOT, NETLAB, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';
import { startFakeVm, type FakeVm } from '../helpers/fake-vm.js';
import { inPty } from '../helpers/pty.js';
import { starLab } from '../../bench/star-lab.mjs';

// `--target vagrant`: the VM's own netlab runs each command, with its lock, journal and state in the
// VM's /run/netlab. The VM is a throwaway namespace set (test/helpers/fake-vm.ts); ssh, sudo and
// vagrant are faked, the shell, netlab and the kernel are real. The local state dir stays empty.
const d = IS_ROOT ? describe : describe.skip;
const dir = mkdtempSync(join(tmpdir(), 'netlab-vagrant-'));

d('netlab --target vagrant: netlab itself runs in the VM', () => {
  let vm: FakeVm;
  beforeAll(async () => {
    vm = await startFakeVm();
  });
  afterAll(() => vm?.stop());
  const T = ['--target', 'vagrant:netlab'];

  it('up, status, verify, exec, down: state and journal in the VM, nothing here', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const run = (args: string[]) => netlab([args[0] as string, ...T, ...args.slice(1)], { stateDir, env: vm.env });
    const up = await run(['up', 'red-blue-bridge', '--prefix', prefix, '--json']);
    expect(up.stderr).toBe('');
    expect(up.exitCode).toBe(0);
    expect(JSON.parse(up.stdout)).toMatchObject({ lab: 'red-blue-bridge', prefix, status: 'up' });
    // the VM's netlab keeps the state and its journal; this machine has no namespace and no state
    const inVm = await vm.sh(`ls /run/netns; ls /run/netlab; netlab status --json`);
    expect(inVm.stdout).toContain(`${prefix}red`);
    expect(inVm.stdout).toContain(`red-blue-bridge@${prefix}`);
    expect(readdirSync('/run/netns').filter((n) => n.startsWith(prefix))).toEqual([]);
    // the probe of leftovers sees a running lab (so its empty answer after down means something)
    const running = await vm.leftovers();
    expect(running).toContain(`namespace ${prefix}red`);
    expect(running.some((l) => l.startsWith('state ')) && running.some((l) => l.startsWith('process '))).toBe(true);
    const status = await run(['status', 'red-blue-bridge', '--prefix', prefix, '--json']);
    expect(status.exitCode).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ lab: 'red-blue-bridge', prefix, status: 'up' });
    const verify = await run(['verify', 'red-blue-bridge', '--prefix', prefix, '--json']);
    expect(verify.exitCode, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ passed: expect.any(Number), failed: 0 });
    const exec = await run(['exec', 'red-blue-bridge', 'red', '--prefix', prefix, '--', 'sh', '-c', 'ip -br addr show veth-red; exit 7']);
    expect(exec.stdout, exec.stderr).toContain('192.168.15.1/24');
    expect(exec.exitCode).toBe(7);
    const down = await run(['down', 'red-blue-bridge', '--prefix', prefix]);
    expect(down.exitCode, down.stderr).toBe(0);
    expect(await vm.leftovers()).toEqual([]);
    expect(readdirSync(stateDir)).toEqual([]);
  }, 120_000);
});
