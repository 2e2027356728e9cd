import { describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLab } from '../../src/lab/load-lab.js';
import { kernelFacts } from '../../src/verify/diagnose/kernel-facts.js';
import { createRecordingExecutor } from '../../src/exec/recording.js';
import { parseLinkLocal } from '../../src/hosts/tunnel-probes.js';
import { hostsStatePath, parseHostsState, readHostsState } from '../../src/cli/across-hosts/hosts-state.js';
import { EnvironmentError } from '../../src/errors.js';
import { packageVersion } from '../../src/cli/package-version.js';

// Tool output and state read with a check of its shape (issue 13: no `JSON.parse(...) as T`): an answer
// of the wrong shape is "cannot say" (undefined) or a typed error, never a crash or a wrong fact.

const lab = loadLab('labs/bridge-lan-nat.yaml', { prefix: 'tp1-' }).lab;
const node = lab.nodes[0]?.name as string;

describe('kernel facts from tool output of the wrong shape', () => {
  const wrong = createRecordingExecutor(() => ({ stdout: '[{"ifname":"eth0","mtu":"1500","flags":"UP","mac":7,"dst":1}]' }));
  const facts = kernelFacts(lab, wrong);
  it('cannot say, for each question', async () => {
    await expect(facts.linkUp(node, 'eth0')).resolves.toBeUndefined();
    await expect(facts.mtu(node, 'eth0')).resolves.toBeUndefined();
    await expect(facts.addresses(node, 'eth0')).resolves.toBeUndefined();
    await expect(facts.fdb(node, 'eth0')).resolves.toBeUndefined();
    await expect(facts.neighbor(node, 'eth0', '198.51.100.1')).resolves.toBeUndefined();
  });
  it('and reads the right shape', async () => {
    const right = kernelFacts(lab, createRecordingExecutor((c) => ({
      stdout: c.argv.includes('fdb') ? '[{"mac":"AA:BB:CC:00:00:01","dst":"198.51.100.2"}]' : '[{"ifname":"eth0","mtu":1400,"flags":["UP"],"dst":"198.51.100.1","state":["REACHABLE"]}]',
    })));
    await expect(right.linkUp(node, 'eth0')).resolves.toBe(true);
    await expect(right.mtu(node, 'eth0')).resolves.toBe(1400);
    await expect(right.fdb(node, 'eth0')).resolves.toEqual([{ lladdr: 'aa:bb:cc:00:00:01', dst: '198.51.100.2' }]);
    await expect(right.neighbor(node, 'eth0', '198.51.100.1')).resolves.toBe('learned');
  });
});

describe('the tunnel probe of a link-local address', () => {
  it('skips the empty objects a scope filter leaves, and refuses the wrong shape', () => {
    expect(parseLinkLocal('[{"ifname":"vb1","addr_info":[{},{"family":"inet6","local":"fe80::1","prefixlen":64}]}]')).toBe('fe80::1');
    expect(parseLinkLocal('[{"ifname":"vb1","addr_info":"fe80::1"}]')).toBeUndefined();
    expect(parseLinkLocal('{"addr_info":[]}')).toBeUndefined();
  });
});

describe('the hosts state file', () => {
  const good = { version: 1, id: 'l@p-', lab: 'l', prefix: 'p-', labFile: '/l.yaml', hosts: [],
    tunnels: [{ link: 0, vni: 4200, port: 4789, mtu: 1450, sides: [{ host: 'a', node: 'x', name: 'e', uplinkAddress: '198.51.100.1' }, { host: 'b', node: 'y', name: 'e', uplinkAddress: '198.51.100.2' }] }] };
  it('reads what netlab writes and refuses text that is not JSON or a tunnel of the wrong shape', () => {
    expect(parseHostsState(JSON.stringify(good), 'l@p-')?.tunnels[0]?.vni).toBe(4200);
    expect(parseHostsState('{"version":1,', 'l@p-')).toBeUndefined();
    expect(parseHostsState(JSON.stringify({ ...good, tunnels: [{ ...good.tunnels[0], sides: [] }] }), 'l@p-')).toBeUndefined();
    expect(parseHostsState(JSON.stringify({ ...good, tunnels: undefined }), 'l@p-')).toBeUndefined();
  });
  it('read from its file, text that is not JSON is the same typed refusal, not a SyntaxError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-hosts-parse-'));
    const saved = process.env.NETLAB_STATE_DIR;
    process.env.NETLAB_STATE_DIR = dir;
    try {
      chmodSync(dir, 0o700);
      mkdirSync(join(dir, 'hosts'), { mode: 0o700 });
      writeFileSync(hostsStatePath('l@p-'), '{"version":1,', { mode: 0o600 });
      expect(() => readHostsState('l@p-')).toThrow(EnvironmentError);
      expect(() => readHostsState('l@p-')).toThrow(/is not one netlab wrote/);
    } finally {
      if (saved === undefined) delete process.env.NETLAB_STATE_DIR;
      else process.env.NETLAB_STATE_DIR = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('package.json version', () => {
  it('is read with a check', () => {
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('policy facts (ip rules, routes of every table) from tool output of the wrong shape', () => {
  it('are no evidence: no rules, no routes; the right shape is read', async () => {
    const wrong = kernelFacts(lab, createRecordingExecutor(() => ({ stdout: '[{"priority":"high","dst":7,"type":1}]' })));
    await expect(wrong.policy?.rules(node)).resolves.toEqual([]);
    await expect(wrong.policy?.droppingRoutes(node)).resolves.toEqual([]);
    await expect(wrong.policy?.mainRoutes(node)).resolves.toEqual([]);
    const right = kernelFacts(lab, createRecordingExecutor((c) => ({
      stdout: c.argv.includes('rule') ? '[{"priority":100,"src":"all","fwmark":"0x1","table":"7"}]'
        : c.argv.includes('all') ? '[{"type":"blackhole","dst":"10.9.0.0/16","table":"main"}]' : '[{"dst":"default","gateway":"10.0.0.1","dev":"eth0"}]',
    })));
    await expect(right.policy?.rules(node)).resolves.toEqual([{ priority: 100, src: 'all', fwmark: '0x1', table: '7' }]);
    await expect(right.policy?.droppingRoutes(node)).resolves.toEqual([{ type: 'blackhole', dst: '10.9.0.0/16', table: 'main' }]);
    await expect(right.policy?.mainRoutes(node)).resolves.toEqual([{ dst: 'default', gateway: '10.0.0.1', dev: 'eth0' }]);
  });
});

describe('another host\'s drift report', () => {
  it('is read when it has the shape of one, and is no report otherwise', async () => {
    const { parseDriftReport } = await import('../../src/drift/drift-schema.js');
    const row = { node: 'r', ns: 'p-r', kind: 'route', change: 'missing', what: 'route 10.0.0.0/24' };
    expect(parseDriftReport({ lab: 'x', drift: [row] })?.drift).toEqual([row]);
    expect(parseDriftReport({ drift: [{ ...row, kind: 'weather' }] })).toBeUndefined();
    expect(parseDriftReport(null)).toBeUndefined();
    expect(parseDriftReport({ lab: 'x' })?.drift).toBeUndefined();
  });
});
