import { describe, expect, it } from 'vitest';
import { parseLab } from '../../src/load/read-lab.js';
import { resolveLab } from '../../src/model/resolve.js';
import { pcapPseudoDevice } from '../../src/model/capture-device.js';
import { captureRefusal } from '../../src/verify/run-checks.js';
import { LabValidationError } from '../../src/errors.js';
import type { CaptureCheck } from '../../src/model/types.js';

// Red-team finding 1: libpcap picks some capture sources by name, outside the node's namespace.

const labWith = (bridge: string, iface = bridge) => [
  'name: t',
  'nodes:',
  `  a: { bridges: { "${bridge}": {} } }`,
  'checks:',
  `  - capture: { node: a, interface: "${iface}", filter: icmp, while: { ping: { from: a, to: 127.0.0.1 } } }`,
].join('\n');

function problemsOf(text: string): string[] {
  try {
    const { spec } = parseLab(text, 'lab.yaml');
    return resolveLab(spec, { prefix: 'p-' }).problems.map((p) => `${p.path.join('.')}: ${p.message}${p.hint ? ` hint: ${p.hint}` : ''}`);
  } catch (error) {
    if (error instanceof LabValidationError) return error.diagnostics.map((d) => `${d.line}:${d.col} ${d.path}: ${d.message}`);
    throw error;
  }
}

describe('capture interfaces that libpcap opens as something else', () => {
  it.each(['dbus-system', 'dbus-session', 'usbmon0', 'usbmon1', 'bluetooth0', 'bluetooth-mon', 'nflog', 'nfqueue', 'nfqueue7', 'DBUS-system'])('%s is refused at its YAML path with a hint', (name) => {
    const problems = problemsOf(labWith(name));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^checks\.0\.capture\.interface: tcpdump cannot listen on ".+": libpcap opens names starting with "\w+" as a capture source of the machine/);
    expect(problems[0]).toContain('hint: capture on a veth, bridge or vxlan of the node');
  });

  it('a name with ":" or only digits is a pseudo-device or an index to libpcap', () => {
    expect(pcapPseudoDevice('eth0:5')).toMatch(/pseudo-device/);
    expect(pcapPseudoDevice('9')).toMatch(/position of a device/);
  });

  it('an all-digit interface name is refused everywhere, positioned (tcpdump -i 9 is the 9th device)', () => {
    const problems = problemsOf(labWith('9'));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => /^\d+:\d+ /.test(p))).toBe(true);
    expect(problems.some((p) => p.includes('nodes.a.bridges.9') && p.includes('cannot be only digits'))).toBe(true);
    expect(problems.some((p) => p.includes('checks[0].capture.interface') && p.includes('cannot be only digits'))).toBe(true);
    expect(problemsOf('name: t\nnodes: { a: {}, b: {} }\nlinks: [ { ends: [a:42, b:veth-b] } ]')[0]).toContain('not only digits');
  });

  it('real interfaces of the node, lo and any (a packet socket of the namespace) stay allowed', () => {
    for (const name of ['br0', 'docker0', 'cni0', 'veth1', 'db-bus', 'usb0', 'eth0.100', 'v9']) expect(problemsOf(labWith(name))).toEqual([]);
    expect(problemsOf(labWith('br0', 'lo'))).toEqual([]);
    expect(problemsOf(labWith('br0', 'any'))).toEqual([]);
  });
});

describe('at verify: a capture interface that is also an RDMA device of the machine', () => {
  const { spec } = parseLab(labWith('mlx5_0'), 'lab.yaml');
  const check = resolveLab(spec, { prefix: 'p-' }).lab.checks[0] as CaptureCheck;

  it('is refused before tcpdump starts, with the reason', () => {
    const seen: string[] = [];
    const why = captureRefusal(check, (name) => {
      seen.push(name);
      return name === 'mlx5_0';
    });
    expect(seen).toEqual(['mlx5_0']);
    expect(why).toContain('mlx5_0 is also an RDMA device of this machine (/sys/class/infiniband/mlx5_0)');
  });

  it('runs otherwise, and only captures are looked up', () => {
    expect(captureRefusal(check, () => false)).toBeUndefined();
    const ping = { ...check.trigger };
    expect(captureRefusal(ping, () => true)).toBeUndefined();
  });
});
