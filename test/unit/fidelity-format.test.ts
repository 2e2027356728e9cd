import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLab } from '../../src/lab/load-lab.js';
import { compileUp } from '../../src/compile/compile-up.js';
import { toArgv } from '../../src/render/argv.js';
import { serviceCommand } from '../../src/render/service-argv.js';
import { isLocalUnicastMac } from '../../src/schema/fidelity.js';
import { LabValidationError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'netlab-fidelity-'));
function lab(name: string, yaml: string) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `name: ${name}\n${yaml}`);
  return loadLab(file).lab;
}
function commands(name: string, yaml: string): string[] {
  return compileUp(lab(name, yaml)).steps.map((s) => toArgv(s).join(' '));
}
function problems(name: string, yaml: string): string {
  try {
    lab(name, yaml);
  } catch (error) {
    if (error instanceof LabValidationError) return error.diagnostics.map((d) => `${d.path} ${d.message}`).join("\n");
    throw error;
  }
  return '';
}

describe('brd: the broadcast set with an address', () => {
  it('renders `ip addr add A/P brd B dev D` on bridges and link ends', () => {
    const cmds = commands('brd', `nodes:\n  h: { bridges: { br0: { address: 10.201.0.1/24, brd: 10.201.0.255 } } }\n  c: {}\nlinks:\n  - { ends: [c:eth0, h:vc], bridge: br0, address: 10.201.0.2/24, brd: "+" }\n`);
    expect(cmds).toContain('ip -n h addr add 10.201.0.1/24 brd 10.201.0.255 dev br0');
    expect(cmds).toContain('ip -n c addr add 10.201.0.2/24 brd + dev eth0');
  });
  it('an address without brd renders as before', () => {
    expect(commands('nobrd', `nodes:\n  h: { bridges: { br0: { address: 10.0.0.1/24 } } }\n`)).toContain('ip -n h addr add 10.0.0.1/24 dev br0');
  });
  it('refuses brd without an address, and next to IPv6', () => {
    expect(problems('brd1', `nodes:\n  h: { bridges: { br0: { brd: 10.0.0.255 } } }\n`)).toMatch(/brd needs an address/);
    expect(problems('brd2', `nodes: { a: {}, b: {} }\nlinks:\n  - { ends: [a:e0, b:e0], address: "2001:db8::1/64", brd: 10.0.0.255 }\n`)).toMatch(/IPv4 only/);
  });
});

describe('bridge mac', () => {
  it('accepts Docker\'s 02:42 prefix, refuses multicast and vendor MACs', () => {
    expect(isLocalUnicastMac('02:42:ac:11:00:01')).toBe(true);
    expect(isLocalUnicastMac('0e:f1:00:00:01:01')).toBe(true);
    expect(isLocalUnicastMac('03:42:ac:11:00:01')).toBe(false);
    expect(isLocalUnicastMac('00:16:3e:12:34:56')).toBe(false);
    expect(isLocalUnicastMac('02:42:ac:11:00')).toBe(false);
  });
  it('sets the MAC before the address', () => {
    const cmds = commands('brmac', `nodes:\n  h: { bridges: { docker0: { address: 172.17.0.1/16, mac: "02:42:11:22:33:44" } } }\n`);
    expect(cmds.indexOf('ip -n h link set dev docker0 address 02:42:11:22:33:44')).toBeGreaterThanOrEqual(0);
  });
});

describe('loopback: up | down', () => {
  const loUp = (ns: string) => `ip -n ${ns} link set dev lo up`;
  it('is up by default in every node, as before', () => {
    expect(commands('lo0', `nodes: { a: {}, b: {} }\n`)).toEqual(expect.arrayContaining([loUp('a'), loUp('b')]));
  });
  it('a lab says down, a node overrides it, and addresses stay', () => {
    const cmds = commands('lo1', `loopback: down\nnodes:\n  a: {}\n  b: { loopback: up }\n  c: { loopback: { addresses: [10.9.9.9/32] } }\n`);
    expect(cmds).not.toContain(loUp('a'));
    expect(cmds).toContain(loUp('b'));
    expect(cmds).not.toContain(loUp('c'));
    expect(cmds).toContain('ip -n c addr add 10.9.9.9/32 dev lo');
  });
  it('refuses other words', () => {
    expect(problems('lo2', `nodes:\n  a: { loopback: promisc }\n`)).toMatch(/loopback is "up", "down"/);
  });
});

describe('proxy service (docker-proxy)', () => {
  it('runs `netlab-serve proxy` in the node with docker-proxy\'s four values', () => {
    const l = lab('px', `nodes:\n  h:\n    services:\n      - proxy: { port: 8080, address: 127.0.0.1, to: 172.17.0.2, to-port: 80 }\n`);
    const service = l.nodes[0]?.services[0];
    expect(service?.kind).toBe('proxy');
    expect(serviceCommand(service as NonNullable<typeof service>)).toEqual(['netlab-serve', 'proxy', '--node', 'h', '--port', '8080', '--address', '127.0.0.1', '--to', '172.17.0.2', '--to-port', '80']);
  });
  it('refuses a second service on the same port', () => {
    expect(problems('px2', `nodes:\n  h:\n    services:\n      - proxy: { port: 8080, to: 172.17.0.2, to-port: 80 }\n      - http: { port: 8080 }\n`)).toMatch(/8080/);
  });
});

describe('simplifications', () => {
  it('are kept in the model', () => {
    expect(lab('simp', `simplifications: [ { what: lo is up, why: the checks need it } ]\nnodes: { a: {} }\n`).simplifications).toEqual([{ what: 'lo is up', why: 'the checks need it' }]);
  });
});

describe('iptables rules with the comments iptables-save prints', () => {
  it('reads \\" inside double quotes as a quote, as iptables-restore does', async () => {
    const { tokenizeRule } = await import('../../src/model/rule-tokens.js');
    expect(tokenizeRule('-A X -m comment --comment "name: \\"v-net\\" id: \\"c1\\"" -j ACCEPT')).toEqual(['-A', 'X', '-m', 'comment', '--comment', 'name: "v-net" id: "c1"', '-j', 'ACCEPT']);
    expect(tokenizeRule('-A X --comment "a\\')).toBeNull();
  });
});
