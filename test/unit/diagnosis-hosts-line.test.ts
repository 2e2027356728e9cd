import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import type { Command, Executor, RunResult } from '../../src/exec/executor.js';
import { labNamesAddress, resolverFinding } from '../../src/verify/diagnose/dns-check.js';
import { diagnose } from '../../src/verify/diagnose/diagnose.js';
import type { CheckResult } from '../../src/verify/run-checks.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

const lab = loadLab('labs/service-dns.yaml', { prefix: 'au1-' }).lab;
const RESOLV = 'nameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n';

/** the machine: testnet's /etc/netns files as given (hosts absent unless given), every port listened on */
function machine(hosts: string | undefined): Executor & { asked: string[][] } {
  const asked: string[][] = [];
  const ok = (stdout: string): RunResult => ({ exitCode: 0, stdout, stderr: '', durationMs: 1 });
  return {
    asked,
    async run(c: Command) {
      asked.push([...c.argv]);
      const last = c.argv.at(-1) ?? '';
      if (last === '/etc/netns/au1-testnet/hosts') return hosts === undefined ? { ...ok(''), exitCode: 1, stderr: 'No such file or directory' } : ok(hosts);
      if (last === '/etc/netns/au1-testnet/resolv.conf') return ok(RESOLV);
      if (c.argv.includes('getent')) return ok(`${hosts?.match(/^(\S+)\s+nginx-for-svc$/m)?.[1] ?? '10.110.93.235'} STREAM nginx-for-svc\n`);
      return ok('UNCONN 0 0 10.244.2.3:53 0.0.0.0:*\n');
    },
    start: async () => { throw new Error('not here'); },
  };
}

const check = { from: 'testnet', query: 'nginx-for-svc', addresses: ['10.110.93.235'] };

describe('a hosts file the lab does not write, in its /etc/netns/<ns>/ (held-out red4: no diagnosis at all)', () => {
  it('a line mapping the name elsewhere: hosts_file_wrong in testnet, naming the file and the line, the fix in words', async () => {
    const d = await resolverFinding(lab, check, kernel(lab, {}), machine('127.0.0.1 localhost\n10.110.93.99 nginx-for-svc\n'));
    expect(d).toMatchObject({ code: 'hosts_file_wrong', node: 'testnet' });
    expect(d?.cause).toContain('line 2 of /etc/netns/au1-testnet/hosts says `10.110.93.99 nginx-for-svc`');
    expect(d?.fix).toContain('delete line 2');
    expect(d?.commands).toBeUndefined();
  });

  it('no such file, a line for another name, or the expected address: not blamed', async () => {
    for (const hosts of [undefined, '127.0.0.1 localhost\n10.110.93.99 nginx-other\n', '10.110.93.235 NGINX-for-svc\n']) {
      expect(await resolverFinding(lab, check, kernel(lab, {}), machine(hosts))).toBeUndefined();
    }
  });

  it('read as nobody, from the lab\'s directory (not the machine\'s /etc/hosts through ip netns exec)', async () => {
    const m = machine(undefined);
    await resolverFinding(lab, check, kernel(lab, {}), m);
    expect(m.asked.find((a) => a.at(-1) === '/etc/netns/au1-testnet/hosts')?.slice(0, 2)).toEqual(['setpriv', '--reuid=65534']);
  });
});

describe('a check by name (http://nginx-for-svc/) the learner\'s hosts line sends elsewhere', () => {
  const http = lab.checks.find((c) => c.name === 'and the service answers by name');
  const failed = { check: http, status: 'fail', expected: '', observed: { outcome: 'timeout', detail: '', pass: false }, attempts: 1, durationMs: 1 } as unknown as CheckResult;

  it('to an address the lab names nowhere: that line is the cause, not the way to the address', async () => {
    const d = await diagnose(lab, failed, machine('127.0.0.1 localhost\n10.110.93.99 nginx-for-svc\n'));
    expect(d).toMatchObject({ code: 'hosts_file_wrong', node: 'testnet' });
    expect(d?.fix).toContain('delete line 2');
  });

  it('the lab knows 10.110.93.235 (its ClusterIP, in kube-proxy\'s rules), not 10.110.93.99 nor a longer address around it', () => {
    expect(labNamesAddress(lab, '10.110.93.235')).toBe(true);
    expect(labNamesAddress(lab, '10.110.93.99')).toBe(false);
    expect(labNamesAddress(lab, '10.110.93.23')).toBe(false);
  });

  it('an address only in the lab\'s prose (its description, a page body, a check\'s name) is not one the lab gives a job: that line is still the cause', async () => {
    const http0 = lab.nodes.flatMap((n) => n.services).find((x) => x.kind === 'http');
    const told = {
      ...lab,
      description: `${lab.description} A learner may point nginx-for-svc at 10.110.93.99 by hand.`,
      nodes: lab.nodes.map((n) => ({ ...n, services: n.services.map((x) => (x === http0 ? { ...x, body: 'moved from 10.110.93.98' } : x)) })),
      checks: lab.checks.map((c) => (c === http ? { ...c, name: 'not 10.110.93.97' } : c)),
    };
    for (const ip of ['10.110.93.99', '10.110.93.98', '10.110.93.97']) expect(labNamesAddress(told, ip)).toBe(false);
    expect(labNamesAddress(told, '10.110.93.235')).toBe(true);
    const d = await diagnose(told, { ...failed, check: told.checks.find((c) => c.name === 'not 10.110.93.97') } as unknown as CheckResult, machine('127.0.0.1 localhost\n10.110.93.99 nginx-for-svc\n'));
    expect(d).toMatchObject({ code: 'hosts_file_wrong', node: 'testnet' });
  });

  it('the addresses of its interfaces, routes, DNS records and checks are', () => {
    const iface = lab.interfaces.find((i) => i.addresses.length)?.addresses[0]?.split('/')[0] as string;
    expect(labNamesAddress(lab, iface)).toBe(true);
    const record = lab.nodes.flatMap((n) => n.services).flatMap((x) => (x.kind === 'dns' ? x.records.flatMap((r) => r.addresses) : []))[0];
    if (record) expect(labNamesAddress(lab, record)).toBe(true);
  });
});
