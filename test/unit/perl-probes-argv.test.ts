import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/model/types.js';
import { inPerl, nodeProbe, perlProbes, probeCommand, toolsOf } from '../../src/verify/probes.js';
import { NETLAB_PROBE_BIN } from '../../src/paths.js';
import { findOnPath } from '../../src/exec/preflight.js';
import type { Command, Executor, RunResult } from '../../src/exec/executor.js';
import { PERL_ALONE_MAX, probeBatcher } from '../../src/verify/probe-batcher.js';
import { twoNodeChecks } from '../helpers/two-node-checks.js';

// Where perl is installed, tcp, http and nat checks of an IP address run libexec/netlab-probe (perl)
// instead of a Node probe, in the node the Node probe would have entered, with the same arguments; a
// host name and dns keep their Node probes.

const checks = (): Check[] =>
  twoNodeChecks('perl-probes', `
  - tcp: { from: a, to: 10.0.0.2, port: 80, timeout: 3 }
  - http: { from: a, url: "http://10.0.0.2:8080/x", requests: 2 }
  - tcp: { from: a, to: b, port: 80 }
  - dns: { from: a, server: 10.0.0.2, name: b.lab }
`);

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
    expect(toolsOf(byName)).toEqual([]);
    expect([tcp, http, byName].map(inPerl)).toEqual([true, true, false]);
    expect(nodeProbe(dns)?.probe).toBe('dns-probe');
    expect(probeCommand(dns).argv).toContain(process.execPath);
    expect(toolsOf(tcp)).toEqual(['perl']);
  });

  it(`runs up to ${PERL_ALONE_MAX} perl probes of a node each alone, more in one Node process`, async () => {
    const tcpChecks = (n: number): Check[] => twoNodeChecks('many', Array.from({ length: n }, (_, i) => `  - tcp: { from: a, to: 10.0.0.2, port: ${80 + i} }`).join('\n'));
    for (const [n, processes] of [[PERL_ALONE_MAX, PERL_ALONE_MAX], [PERL_ALONE_MAX + 1, 1]] as const) {
      const ran: Command[] = [];
      const executor: Executor = {
        run: async (command): Promise<RunResult> => {
          ran.push(command);
          const jobs = command.argv.includes(process.execPath) ? (JSON.parse(command.argv.at(-1) as string) as unknown[]) : [undefined];
          return { exitCode: 0, stdout: jobs.map((_, i) => `${JSON.stringify({ job: i, line: JSON.stringify({ outcome: 'connected', ms: 1 }) })}\n`).join(''), stderr: '', durationMs: 1 };
        },
        start: () => Promise.reject(new Error('not used')),
      };
      const run = probeBatcher(executor);
      await Promise.all(tcpChecks(n).map((c) => run(c, probeCommand(c))));
      expect(ran).toHaveLength(processes);
      if (processes > 1) expect(ran.every((c) => c.argv.includes(NETLAB_PROBE_BIN))).toBe(true);
      else expect(ran[0]?.argv).toContain(process.execPath);
    }
  });
});
