import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { withRedirectFlush } from '../../src/verify/diagnose/redirect-cache.js';
import type { Executor } from '../../src/exec/executor.js';
import type { Diagnosis } from '../../src/verify/diagnose/diagnosis.js';

// ICMP redirects cached on a router's segment outlive the router's route put back: their caches are flushed too.

const lab = loadLab('labs/switching-routing.yaml', { prefix: 'rc-' }).lab;
/** `ip route get` answers: a redirected next hop cached in the namespaces named */
const executor = (redirected: ReadonlySet<string>): Executor & { asked: string[][] } => {
  const asked: string[][] = [];
  return {
    asked,
    async run({ argv }) {
      asked.push([...argv]);
      const ns = argv[2] ?? '';
      const stdout = redirected.has(ns) ? '192.168.2.10 via 192.168.1.10 dev eth0 src 192.168.1.20 uid 0 \n    cache <redirected> expires 289sec \n' : '192.168.2.10 via 192.168.1.1 dev eth0 src 192.168.1.20 uid 0 \n    cache \n';
      return { exitCode: 0, stdout, stderr: '', durationMs: 0 };
    },
    async start() {
      throw new Error('not used');
    },
  };
};
const routeFix: Diagnosis = { code: 'route_wrong', node: 'R', interface: 'eth0', cause: 'R routes 192.168.2.10 back out eth0', evidence: [], commands: [['ip', '-n', 'rc-R', 'route', 'del', '192.168.2.10', 'via', '192.168.1.10', 'dev', 'eth0']], fix: 'ip -n rc-R route del 192.168.2.10 via 192.168.1.10 dev eth0' };

describe('ICMP redirects cached on the senders', () => {
  it('B holds a redirected next hop: the route fix also flushes B\'s cache (and only B\'s)', async () => {
    const d = await withRedirectFlush(lab, executor(new Set(['rc-B'])), '192.168.2.10', routeFix);
    expect(d.commands).toEqual([...(routeFix.commands ?? []), ['ip', '-n', 'rc-B', 'route', 'flush', 'cache']]);
    expect(d.fix).toContain('ip -n rc-B route flush cache');
    expect(d.evidence.join('\n')).toContain('<redirected>');
  });

  it('nothing redirected: the diagnosis is left as it was', async () => {
    expect(await withRedirectFlush(lab, executor(new Set()), '192.168.2.10', routeFix)).toEqual(routeFix);
  });

  it('the router\'s route already right, only the redirect left: named route_wrong at B with the flush as the fix', async () => {
    const none: Diagnosis = { code: 'unknown', cause: 'no cause found along the path', evidence: [], fix: 'netlab explain' };
    const d = await withRedirectFlush(lab, executor(new Set(['rc-B'])), '192.168.2.10', none);
    expect(d).toMatchObject({ code: 'route_wrong', node: 'B', interface: 'eth0', commands: [['ip', '-n', 'rc-B', 'route', 'flush', 'cache']] });
  });

  it('a name, not an address, is not asked about', async () => {
    const e = executor(new Set(['rc-B']));
    expect(await withRedirectFlush(lab, e, 'example.test', routeFix)).toEqual(routeFix);
    expect(e.asked).toEqual([]);
  });
});

describe('a cause named with a fix in words', () => {
  it('stands (the redirect is not named over it)', async () => {
    const words: Diagnosis = { code: 'dns_server_down', node: 'C', cause: 'nothing listens on port 53', evidence: [], fix: 'start the DNS server' };
    expect(await withRedirectFlush(lab, executor(new Set(['rc-B'])), '192.168.2.10', words)).toEqual(words);
  });
});
