import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import type { Command, Executor, RunResult } from '../../src/exec/executor.js';
import { resolverFinding } from '../../src/verify/diagnose/dns-check.js';
import { diagnose } from '../../src/verify/diagnose/diagnose.js';
import type { CheckResult } from '../../src/verify/run-checks.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

// The files the dns lab writes into /etc/netns/<ns>/ for A (hosts, resolv.conf), changed by hand after up:
// edited, emptied or deleted. A deleted one is not the machine's /etc file (what `ip netns exec` shows then).
const lab = loadLab('labs/dns.yaml', { prefix: 'au1-' }).lab;
const A = lab.nodes.find((n) => n.name === 'A');
const HOSTS = A?.files.find((f) => f.name === 'hosts')?.content as string;
const RESOLV = A?.files.find((f) => f.name === 'resolv.conf')?.content as string;
const MACHINE = '127.0.0.1 localhost\n127.0.0.1 the-machine\nnameserver 10.255.255.53\n';

/** A's /etc/netns files as given (undefined: deleted); getent answers from the hosts file given, else DNS (db: 192.168.1.11) */
function machine(files: { hosts?: string; resolv?: string }): Executor {
  const ok = (stdout: string): RunResult => ({ exitCode: 0, stdout, stderr: '', durationMs: 1 });
  const gone: RunResult = { exitCode: 1, stdout: '', stderr: 'cat: No such file or directory', durationMs: 1 };
  return {
    async run(c: Command) {
      const last = c.argv.at(-1) ?? '';
      if (last === '/etc/netns/au1-A/hosts') return files.hosts === undefined ? gone : ok(files.hosts);
      if (last === '/etc/netns/au1-A/resolv.conf') return files.resolv === undefined ? gone : ok(files.resolv);
      if (last.startsWith('/etc/')) return ok(MACHINE);
      if (c.argv.includes('getent')) return ok(`${files.hosts?.match(/^(\S+)\s+db$/m)?.[1] ?? '192.168.1.11'} STREAM db\n`);
      return ok('UNCONN 0 0 192.168.1.100:53 0.0.0.0:*\n');
    },
    start: async () => { throw new Error('not here'); },
  };
}

describe('a file the lab writes in /etc/netns/<ns>/ that differs now', () => {
  const ping = lab.checks.find((c) => c.name === 'ping A -> db: reply');
  const failed = { check: ping, status: 'fail', expected: '', observed: { outcome: 'no-reply', detail: '', pass: false }, attempts: 1, durationMs: 1 } as unknown as CheckResult;

  it('a check by name (ping A -> db) its edited hosts file sends to 192.168.1.99: hosts_file_wrong in A, not the way to .99', async () => {
    const d = await diagnose(lab, failed, machine({ hosts: HOSTS.replace('192.168.1.11 db', '192.168.1.99 db'), resolv: RESOLV }));
    expect(d).toMatchObject({ code: 'hosts_file_wrong', node: 'A' });
    expect(d?.cause).toContain('192.168.1.99 db');
    expect(d?.fix).toContain('/etc/netns/au1-A/hosts');
    expect(d?.commands).toBeUndefined();
  });

  it('the same name resolved to the lab\'s address (hosts edited elsewhere, or deleted and DNS answers): the file is not blamed for that check', async () => {
    for (const hosts of [HOSTS.replace('192.168.1.115 test', '192.168.1.116 test'), undefined]) {
      const d = await diagnose(lab, failed, machine({ hosts, resolv: RESOLV }));
      expect(d?.code).not.toBe('hosts_file_wrong');
    }
  });

  it('hosts deleted: named missing, never the machine\'s /etc/hosts shown as A\'s', async () => {
    const d = await resolverFinding(lab, { from: 'A', query: 'test', addresses: ['192.168.1.115'] }, kernel(lab, {}), machine({ resolv: RESOLV }));
    expect(d).toMatchObject({ code: 'hosts_file_wrong', node: 'A' });
    expect(d?.cause).toContain('/etc/netns/au1-A/hosts is missing');
    expect(d?.cause).not.toContain('the-machine');
  });

  it('resolv.conf deleted or emptied: resolv_conf_wrong in A saying so', async () => {
    const gone = await resolverFinding(lab, { from: 'A', query: 'nfs' }, kernel(lab, {}), machine({ hosts: HOSTS }));
    expect(gone).toMatchObject({ code: 'resolv_conf_wrong', node: 'A' });
    expect(gone?.cause).toContain('/etc/netns/au1-A/resolv.conf is missing');
    expect(gone?.cause).not.toContain('10.255.255.53');
    const empty = await resolverFinding(lab, { from: 'A', query: 'nfs' }, kernel(lab, {}), machine({ hosts: HOSTS, resolv: '' }));
    expect(empty).toMatchObject({ code: 'resolv_conf_wrong', node: 'A' });
    expect(empty?.cause).toContain('is empty');
  });

  it('both files as the lab wrote them (spacing aside): nothing blamed on them', async () => {
    const d = await resolverFinding(lab, { from: 'A', query: 'nfs' }, kernel(lab, {}), machine({ hosts: `${HOSTS}\n`, resolv: RESOLV.replace('\n', '  \n') }));
    expect(d?.code ?? 'none').not.toMatch(/hosts_file_wrong|resolv_conf_wrong/);
  });
});
