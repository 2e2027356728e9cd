import { describe, expect, it } from 'vitest';
import { parseLab } from '../../src/load/read-lab.js';
import { resolveLab } from '../../src/model/resolve.js';
import type { Check } from '../../src/model/types.js';
import { nodeProbe, perlProbes, probeCommand, toolsOf } from '../../src/verify/probes.js';
import { NETLAB_PROBE_BIN } from '../../src/paths.js';
import { findOnPath } from '../../src/exec/preflight.js';

// Where perl is installed, tcp, http and nat checks of an IP address run libexec/netlab-probe (perl)
// instead of a Node probe, in the node the Node probe would have entered, with the same arguments; a
// host name and dns keep their Node probes.

const LAB = `name: perl-probes
nodes:
  a: {}
  b: {}
links:
  - ends: [ { node: a, name: eth0, address: 10.0.0.1/24 }, { node: b, name: eth0, address: 10.0.0.2/24 } ]
checks:
  - tcp: { from: a, to: 10.0.0.2, port: 80, timeout: 3 }
  - http: { from: a, url: "http://10.0.0.2:8080/x", requests: 2 }
  - tcp: { from: a, to: b, port: 80 }
  - dns: { from: a, server: 10.0.0.2, name: b.lab }
`;

function checks(): Check[] {
  const { spec } = parseLab(LAB, 'perl-probes.yaml');
  const { lab, problems } = resolveLab(spec, {});
  expect(problems).toEqual([]);
  return [...lab.checks];
}

const d = findOnPath('perl') !== undefined && process.env.NETLAB_NODE_PROBES !== '1' ? describe : describe.skip;

d('perl probes (perl installed)', () => {
  it('is chosen', () => {
    expect(perlProbes()).toBe(true);
  });

  it('runs tcp and http checks as netlab-probe in the node, with the Node probe\'s arguments', () => {
    const [tcp, http, byName, dns] = checks() as [Check, Check, Check, Check];
    const t = probeCommand(tcp);
    expect(t.argv.slice(0, 3)).toEqual(['nsenter', expect.stringMatching(/^--net=\/run\/netns\/.*a$/), '--']);
    expect(t.argv.slice(3)).toEqual(['perl', NETLAB_PROBE_BIN, 'tcp', '10.0.0.2', '80', '3000']);
    expect(probeCommand(http).argv.slice(3)).toEqual(['perl', NETLAB_PROBE_BIN, 'http', 'http://10.0.0.2:8080/x', '2', expect.stringMatching(/^\d+$/)]);
    // a host name keeps the Node probe (its deadline covers the lookup), in the node's hosts file and resolv.conf
    expect(probeCommand(byName).argv.slice(0, 4)).toEqual(['ip', 'netns', 'exec', expect.stringMatching(/a$/)]);
    expect(probeCommand(byName).argv[4]).toBe(process.execPath);
    expect(nodeProbe(byName)?.probe).toBe('tcp-probe');
    expect(toolsOf(byName)).toEqual([]);
    // not batched into a Node process
    expect([tcp, http].map(nodeProbe)).toEqual([undefined, undefined]);
    expect(nodeProbe(dns)?.probe).toBe('dns-probe');
    expect(probeCommand(dns).argv).toContain(process.execPath);
    expect(toolsOf(tcp)).toEqual(['perl']);
  });
});
