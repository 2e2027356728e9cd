import { describe, expect, it } from 'vitest';
import { parseLab } from '../../src/load/read-lab.js';
import { resolveLab } from '../../src/model/resolve.js';
import { compileUp } from '../../src/compile/compile-up.js';
import { toArgv } from '../../src/render/argv.js';
import { LabValidationError } from '../../src/errors.js';

// macvlans (Docker's macvlan network), a VXLAN made in one node and moved into another (Docker's
// overlay namespace) and tunl0 (Calico IPIP): the lab format's devices that are not veths or bridges.

const HOST = [
  'name: moved',
  'nodes:',
  '  lan: { bridges: { lan: {} } }',
  '  host:',
  '    macvlans: { mac0: { parent: eth0, address: 192.168.1.223/32 } }',
  '  c1:',
  '    macvlans: { eth0: { parent: "host:eth0", address: 192.168.1.193/24, mac: "02:42:c0:a8:01:c1" } }',
  '  c2:',
  '    macvlans: { web: { parent: "host:eth0", mode: private } }',
  '  ov:',
  '    bridges: { br0: {} }',
  '    vxlans: { vxlan0: { id: 4096, underlay: host, dev: eth0, local: 192.168.1.10, bridge: br0 } }',
  '  pod:',
  '    tunl0: { address: 192.168.10.1/32, mtu: 1480 }',
  '    routes: [ { to: 192.168.20.0/26, via: 172.20.0.11, dev: tunl0, onlink: true, proto: bird } ]',
  'links:',
  '  - { ends: [host:eth0, lan:port-host], bridge: lan, address: 192.168.1.10/24 }',
  '',
].join('\n');

function commands(text: string): string[] {
  const { lab, problems } = resolveLab(parseLab(text, 'moved.yaml').spec, { prefix: 'p-' });
  expect(problems).toEqual([]);
  return compileUp(lab).steps.map((s) => toArgv(s).join(' '));
}

function problemsOf(text: string): string[] {
  try {
    const { problems } = resolveLab(parseLab(text, 'moved.yaml').spec, { prefix: 'p-' });
    return problems.map((p) => `${p.path.join('.')}: ${p.message}`);
  } catch (error) {
    if (error instanceof LabValidationError) return error.diagnostics.map((d) => `${d.path}: ${d.message}`);
    throw error;
  }
}

describe('devices made in another node', () => {
  const plan = commands(HOST);

  it('a container\'s macvlan is made in the host\'s namespace off its eth0, under a name free there, then renamed', () => {
    expect(plan).toContain('ip -n p-host link add link eth0 name nltmp0 netns p-c1 type macvlan mode bridge');
    expect(plan).toContain('ip -n p-c1 link set dev nltmp0 name eth0');
    const renamed = plan.indexOf('ip -n p-c1 link set dev nltmp0 name eth0');
    expect(renamed).toBeLessThan(plan.indexOf('ip -n p-c1 link set dev eth0 address 02:42:c0:a8:01:c1'));
    expect(renamed).toBeLessThan(plan.indexOf('ip -n p-c1 addr add 192.168.1.193/24 dev eth0'));
    expect(plan.indexOf('ip -n p-host link add link eth0 name nltmp0 netns p-c1 type macvlan mode bridge')).toBeGreaterThan(plan.indexOf('ip -n p-host link add name eth0 type veth peer name port-host netns p-lan'));
  });

  it('keeps its own name when that is free in the host, and its mode', () => {
    expect(plan).toContain('ip -n p-host link add link eth0 name web netns p-c2 type macvlan mode private');
    expect(plan.some((c) => c.includes('set dev web name'))).toBe(false);
  });

  it('the host\'s own macvlan stays in the host', () => {
    expect(plan).toContain('ip -n p-host link add link eth0 name mac0 type macvlan mode bridge');
  });

  it('a VXLAN with an underlay is made there (its socket stays in the host) and moved', () => {
    expect(plan).toContain('ip -n p-host link add name vxlan0 netns p-ov type vxlan id 4096 local 192.168.1.10 dev eth0 dstport 4789');
    expect(plan).toContain('ip -n p-ov link set dev vxlan0 master br0');
  });

  it('tunl0 is configured, never created', () => {
    expect(plan).toContain('ip -n p-pod link set dev tunl0 mtu 1480');
    expect(plan).toContain('ip -n p-pod addr add 192.168.10.1/32 dev tunl0');
    expect(plan).toContain('ip -n p-pod link set dev tunl0 up');
    expect(plan).toContain('ip -n p-pod route add 192.168.20.0/26 via 172.20.0.11 dev tunl0 onlink proto bird');
    expect(plan.some((c) => / link add .*tunl0| type ipip/.test(c))).toBe(false);
  });

  it('the lab requires macvlan, vxlan and ipip', async () => {
    const { withLabFacts } = await import('../../src/variants/lab-facts.js');
    const spec = parseLab(HOST, 'moved.yaml').spec;
    const facts = withLabFacts(resolveLab(spec).lab, spec, undefined);
    expect(facts.requires).toEqual(expect.arrayContaining(['ipip', 'macvlan', 'vxlan']));
  });
});

describe('refused, with the field', () => {
  it('a parent in a node that does not exist, or an interface the node does not have', () => {
    const text = HOST.replace('parent: "host:eth0", address', 'parent: "hots:eth0", address').replace('parent: "host:eth0", mode', 'parent: "host:eth9", mode');
    expect(problemsOf(text)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^nodes\.c1\.macvlans\.eth0\.parent: no node hots/),
      expect.stringMatching(/^nodes\.c2\.macvlans\.web\.parent: node host has no interface eth9/),
    ]));
  });

  it('an underlay node that does not exist, and a dev it does not have', () => {
    expect(problemsOf(HOST.replace('underlay: host', 'underlay: nowhere'))).toEqual(expect.arrayContaining([expect.stringMatching(/^nodes\.ov\.vxlans\.vxlan0\.underlay: no node nowhere/)]));
    expect(problemsOf(HOST.replace('underlay: host, dev: eth0', 'underlay: host, dev: eth1'))).toEqual(expect.arrayContaining([expect.stringMatching(/^nodes\.ov\.vxlans\.vxlan0\.dev: node host has no interface eth1/)]));
  });

  it('option-shaped or malformed parents and modes at the schema', () => {
    expect(problemsOf(HOST.replace('parent: eth0,', 'parent: "-netns",'))).toEqual([expect.stringMatching(/^nodes\.host\.macvlans\.mac0\.parent: a parent is an interface/)]);
    expect(problemsOf(HOST.replace('parent: eth0,', 'parent: "a:b:c",'))).toEqual([expect.stringMatching(/parent: a parent is an interface/)]);
    expect(problemsOf(HOST.replace('mode: private', 'mode: "private netns 1"'))).toEqual([expect.stringMatching(/^nodes\.c2\.macvlans\.web\.mode: /)]);
    expect(problemsOf(HOST.replace('mtu: 1480 }', 'mtu: 1480, name: tunl1 }'))).toEqual([expect.stringMatching(/^nodes\.pod\.tunl0\.name: unknown field/)]);
  });

  it('a macvlan on itself or on lo', () => {
    expect(problemsOf(HOST.replace('parent: eth0,', 'parent: mac0,'))).toEqual([expect.stringMatching(/^nodes\.host\.macvlans\.mac0\.parent: node host has no interface mac0 to use/)]);
    expect(problemsOf(HOST.replace('parent: eth0,', 'parent: lo,'))).toEqual([expect.stringMatching(/^nodes\.host\.macvlans\.mac0\.parent: node host has no interface lo/)]);
  });
});
