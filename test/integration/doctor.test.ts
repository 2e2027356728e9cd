import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { IS_ROOT, netlab } from '../helpers/cli.js';

const d = IS_ROOT ? describe : describe.skip;

/** Can this kernel make a link of this type? Asked independently of netlab, in a throwaway namespace. */
async function kernelCan(type: string): Promise<boolean> {
  const setup = type === 'macvlan'
    ? 'ip link add p0 type veth peer name p1 && ip link add p2 link p0 type macvlan mode bridge'
    : type === 'vxlan' ? 'ip link add p0 type vxlan id 1 dstport 4789'
    : type === 'veth' ? 'ip link add p0 type veth peer name p1' : `ip link add p0 type ${type}`;
  return (await execa('unshare', ['--net', 'sh', '-c', setup], { reject: false })).exitCode === 0;
}

d('netlab doctor on this machine', () => {
  it('reports the link types the kernel really has, tools present, and exits 0 when ready', async () => {
    const r = await netlab(['doctor', '--json']);
    const report = JSON.parse(r.stdout) as { ok: boolean; findings: { id: string; status: string; detail: string }[] };
    const status = (id: string) => report.findings.find((f) => f.id === id)?.status;
    for (const type of ['veth', 'bridge', 'vxlan', 'macvlan']) expect(status(`link:${type}`), type).toBe((await kernelCan(type)) ? 'ok' : type === 'veth' ? 'fail' : 'warn');
    // ipip is probed only where its module is already there (loading it makes tunl0 in the root namespace)
    const ipipLoaded = (await execa('test', ['-e', '/sys/module/ipip'], { reject: false })).exitCode === 0;
    if (!ipipLoaded) expect(status('link:ipip')).toBe('warn');
    expect(status('root')).toBe('ok');
    expect(status('tool:ip')).toBe('ok');
    const hasTcpdump = (await execa('sh', ['-c', 'command -v tcpdump || test -x /usr/sbin/tcpdump || test -x /usr/bin/tcpdump'], { reject: false })).exitCode === 0;
    expect(status('tool:tcpdump')).toBe(hasTcpdump ? 'ok' : 'warn');
    expect(r.exitCode).toBe(report.ok ? 0 : 3);
    // the probe namespaces are gone
    const netns = await execa('ip', ['netns', 'list']);
    expect(String(netns.stdout)).not.toMatch(/netlab-probe-/);
  });

  it('prints each problem with its fix; --fix --dry-run names the apt-get commands without running them', async () => {
    const human = await netlab(['doctor']);
    expect(human.stdout).toMatch(/^(ready|not ready|labs can run, tools are missing): \d+ ok/m);
    for (const block of human.stdout.split(/\n(?=[✓!✗i] )/).filter((b) => b.startsWith('✗') || b.startsWith('!'))) expect(block).toContain('fix:');
    const dry = await netlab(['doctor', '--fix', '--dry-run']);
    expect(dry.exitCode).toBe(0);
    for (const line of dry.stdout.split('\n').filter(Boolean)) expect(line).toMatch(/^apt-get (update|install) /);
  });
});
