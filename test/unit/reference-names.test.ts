import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { NETLAB } from '../helpers/cli.js';

// Names a lab refers to (nodes, bridges, interfaces) and routes the kernel would refuse: each mistake
// is reported at its own entry (file:line:col), with a "did you mean" when a declared name is near,
// all at once, before anything is made.
async function validate(text: string): Promise<{ file: string; exitCode: number; stderr: string }> {
  const file = join(mkdtempSync(join(tmpdir(), 'refs-')), 'lab.yaml');
  writeFileSync(file, text);
  const r = await execa(NETLAB, ['validate', file], { reject: false, env: { NO_COLOR: '1' } });
  return { file, exitCode: r.exitCode ?? 1, stderr: String(r.stderr) };
}

const LAB = `name: refs
nodes:
  host: { bridges: { br0: {} } }
  red:
    routes:
      - { to: 10.9.0.0/16, via: 10.0.2.1 }
      - { to: 10.8.0.0/16, dev: eth1 }
      - { to: 10.7.0.0/16, via: 10.0.0.1 }
  blue:
    fdb: [ { lladdr: "00:00:00:00:00:00", dev: vxlan1, dst: 10.0.1.9 } ]
    vxlans: { vxlan0: { id: 1, dstport: 4789, remote: 10.0.1.9 } }
links:
  - { ends: [red:eth0, hots:eth0], address: 10.0.0.2/24 }
  - { ends: [blue:eth0, host:veth-blue], bridge: br1, address: 10.0.1.2/24 }
  - ends: [ { node: red, name: eth1, address: 10.0.2.2/24, up: false }, { node: host, name: eth2, address: 10.0.2.1/24 } ]
  - { ends: [red:eth0, host:eth3], address: 10.0.3.2/24 }
checks:
  - ping: { from: rde, to: 10.0.0.1 }
  - interface: { node: red, name: eht0 }
  - interface: { node: red, name: tunl0 }
  - route: { from: red, to: 10.0.0.1, dev: etth0 }
`;

describe('references inside a lab, and routes the kernel would refuse', async () => {
  const r = await validate(LAB);
  const at = (line: number, col: number, rest: string) => `${r.file}:${line}:${col} ${rest}`;

  it('fails validation, all problems at once, nothing changed', () => {
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('9 problems; nothing was changed on this machine');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown node: did you mean, at the link end', () => {
    expect(r.stderr).toContain(at(13, 24, 'links[0].ends[1]: unknown node "hots"'));
    expect(r.stderr).toContain('did you mean "host"?');
    expect(r.stderr).toContain(at(18, 19, 'checks[0].ping.from: unknown node "rde"'));
    expect(r.stderr).toContain('did you mean "red"?');
  });

  it('an unknown bridge: did you mean one of the two nodes\' bridges', () => {
    expect(r.stderr).toContain(at(14, 50, 'links[1].bridge: no bridge "br1" in node blue or host'));
    expect(r.stderr).toContain('did you mean "br0"? their bridges: br0');
  });

  it('an unknown interface: did you mean, in checks and in node entries', () => {
    expect(r.stderr).toContain(at(19, 35, 'checks[1].interface.name: node red has no interface eht0'));
    expect(r.stderr).toContain('did you mean "eth0"? its interfaces: lo, eth0, eth1');
    expect(r.stderr).toContain(at(21, 44, 'checks[3].route.dev: node red has no interface etth0'));
    expect(r.stderr).toContain(at(10, 48, 'nodes.blue.fdb[0].dev: node blue has no interface vxlan1'));
    expect(r.stderr).toContain('did you mean "vxlan0"?');
  });

  it('an interface check of a name near none of the node\'s (the kernel\'s own tunl0) is allowed', () => {
    expect(r.stderr).not.toContain('no interface tunl0');
  });

  it('a link with an unknown node still counts its known end: a name used twice points at the second link, a route via it is no error', () => {
    expect(r.stderr).toContain(at(16, 14, 'links[3].ends[0]: interface eth0 is used twice in node red (first at links[0].ends[0])'));
    expect(r.stderr).not.toContain('routes[2]');
  });

  it('a route whose only way is a link declared down: at its via, or at its dev, in the kernel\'s words', () => {
    expect(r.stderr).toContain(at(6, 33, 'nodes.red.routes[0].via: gateway 10.0.2.1 is reached only through eth1, which the lab declares down (up: false)'));
    expect(r.stderr).toContain('"Nexthop has invalid gateway"');
    expect(r.stderr).toContain(at(7, 33, 'nodes.red.routes[1].dev: eth1 is declared down (up: false)'));
    expect(r.stderr).toContain('"Device for nexthop is not up"');
  });
});
