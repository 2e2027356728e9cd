import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import type { Check } from '../../src/model/types.js';
import type { Command, Executor, RunResult } from '../../src/exec/executor.js';
import { probeBatchCommand, probeCommand, nodeProbe } from '../../src/verify/probes.js';
import { probeBatcher, splitBatch } from '../../src/verify/probe-batcher.js';
import { runProbeJobs } from '../../src/verify/probe-jobs.js';
import { runChecks } from '../../src/verify/run-checks.js';
import { probeScript } from '../../src/verify/probe-script.js';
import { connectOnce } from '../../src/verify/connect-once.js';
import { httpGets } from '../../src/verify/http-get.js';
import { parseLab } from '../../src/load/read-lab.js';
import { resolveLab } from '../../src/model/resolve.js';
import { twoNodeChecks, twoNodeLabText } from '../helpers/two-node-checks.js';

// verify runs the Node probes of one node that start together in one Node process (probe-batch.ts);
// each check must still get exactly the lines, timeout and result its own probe would give it.
// tcp and http checks use the Node probes where perl is missing, or with NETLAB_NODE_PROBES=1 (else
// libexec/netlab-probe, perl-probes.test.ts): this file drives them that way.
process.env.NETLAB_NODE_PROBES = '1';

/** the file a batch's node runs: its CommonJS bundle after a build (probe-script.ts) */
const BATCH = probeScript('probe-batch');

const checks = (): Check[] =>
  twoNodeChecks('batch', `
  - tcp: { from: a, to: 10.0.0.2, port: 80 }
  - tcp: { from: a, to: 10.0.0.2, port: 81, expect: refused }
  - http: { from: a, url: "http://10.0.0.2/", requests: 2 }
  - tcp: { from: b, to: 10.0.0.1, port: 80 }
  - ping: { from: a, to: 10.0.0.2 }
  - tcp: { from: a, to: b, port: 80 }
  - tcp: { from: a, to: 10.0.0.2, port: 82, timeout: 1 }
`);

const line = (job: number, value: Record<string, unknown>) => `${JSON.stringify({ job, line: JSON.stringify(value) })}\n`;

/** A fake executor: records each command; answers a batch with one line per job naming its args. */
function recorder(delayMs = 0): { executor: Executor; ran: Command[] } {
  const ran: Command[] = [];
  const answer = async (command: Command): Promise<RunResult> => {
    ran.push(command);
    await new Promise((r) => setTimeout(r, delayMs));
    const jobs = command.argv.at(-2) === BATCH ? (JSON.parse(command.argv.at(-1) as string) as { args: string[] }[]) : undefined;
    const stdout = jobs ? jobs.map((j, i) => line(i, { outcome: 'connected', port: j.args[1], ms: 1 })).join('') : `${JSON.stringify({ outcome: 'alone', ms: 1 })}\n`;
    return { exitCode: 0, stdout, stderr: '', durationMs: delayMs };
  };
  return { executor: { run: answer, start: () => Promise.reject(new Error('not used')) }, ran };
}

describe('probeBatcher', () => {
  it('runs the Node probes of one node started together in one process; each check gets its own line', async () => {
    const all = checks();
    const { executor, ran } = recorder();
    const run = probeBatcher(executor);
    const [c80, c81, http] = all as [Check, Check, Check];
    const results = await Promise.all([c80, c81, http].map((c) => run(c, probeCommand(c))));
    expect(ran).toHaveLength(1);
    expect(ran[0]?.argv.slice(0, 3)).toEqual(['nsenter', '--net=/run/netns/a', '--']);
    expect(ran[0]?.argv.at(-2)).toBe(BATCH);
    expect(JSON.parse(ran[0]?.argv.at(-1) as string)).toEqual([
      { probe: 'tcp-probe', args: ['10.0.0.2', '80', '2000'] },
      { probe: 'tcp-probe', args: ['10.0.0.2', '81', '2000'] },
      { probe: 'http-probe', args: ['http://10.0.0.2/', '2', '2000'] },
    ]);
    // the longest of its jobs' own timeouts bounds the process
    expect(ran[0]?.timeoutMs).toBe(Math.max(...[c80, c81, http].map((c) => probeCommand(c).timeoutMs as number)));
    // the fake answers each job with its second argument: the port, or the http probe's number of requests
    expect(results.map((r) => JSON.parse(r.stdout).port)).toEqual(['80', '81', '2']);
    expect(results.every((r) => r.stdout.endsWith('\n') && r.exitCode === 0)).toBe(true);
  });

  it('a probe alone, another node, another way in (ip netns exec for a host name) or a ping: each its own command, unchanged', async () => {
    const all = checks();
    const { executor, ran } = recorder();
    const run = probeBatcher(executor);
    const [c80, , , fromB, ping, byName] = all as Check[];
    await Promise.all([c80, fromB, ping, byName].map((c) => run(c as Check, probeCommand(c as Check))));
    const sorted = (argvs: (readonly string[])[]) => argvs.map((a) => a.join(' ')).sort();
    expect(sorted(ran.map((c) => c.argv))).toEqual(sorted([c80, fromB, ping, byName].map((c) => probeCommand(c as Check).argv)));
    expect(ran.some((c) => c.argv.includes(BATCH))).toBe(false);
  });

  it('probes started in a later turn run apart', async () => {
    const [c80, c81] = checks() as [Check, Check];
    const { executor, ran } = recorder();
    const run = probeBatcher(executor);
    await run(c80, probeCommand(c80));
    await run(c81, probeCommand(c81));
    expect(ran.map((c) => c.argv)).toEqual([probeCommand(c80).argv, probeCommand(c81).argv]);
  });

  it('a job ends at its own timeout (exit 124, as its command would) while the others go on', async () => {
    const all = checks();
    const [c80, , , , , , short] = all as Check[];
    const { executor } = recorder(300);
    const run = probeBatcher(executor);
    const shortCommand = { ...probeCommand(short as Check), timeoutMs: 50 };
    const [long, cut] = await Promise.all([run(c80 as Check, probeCommand(c80 as Check)), run(short as Check, shortCommand)]);
    expect(cut.exitCode).toBe(124);
    expect(cut.stdout).toBe('');
    expect(cut.stderr).toContain('(timed out after 50 ms)');
    expect(JSON.parse(long.stdout).outcome).toBe('connected');
  });

  it('a job that failed gets exit 1 and why; the batch\'s standard error goes to each check', async () => {
    const [c80, c81] = checks() as [Check, Check];
    const executor: Executor = {
      run: async () => ({ exitCode: 0, stdout: `${JSON.stringify({ job: 1, failed: 'boom' })}\n${line(0, { outcome: 'connected', ms: 2 })}`, stderr: 'warning\n', durationMs: 1 }),
      start: () => Promise.reject(new Error('not used')),
    };
    const run = probeBatcher(executor);
    const [ok, failed] = await Promise.all([run(c80, probeCommand(c80)), run(c81, probeCommand(c81))]);
    expect(ok).toMatchObject({ exitCode: 0, stderr: 'warning\n' });
    expect(JSON.parse(ok.stdout).outcome).toBe('connected');
    expect(failed).toMatchObject({ exitCode: 1, stdout: '', stderr: 'boom\nwarning\n' });
  });
});

describe('runChecks', () => {
  it('starts Node probes first, so a node\'s probes share a process even when declared after more checks than run at once', async () => {
    const pings = Array.from({ length: 16 }, (_, i) => `  - ping: { from: a, to: 10.0.0.${i + 2} }`).join('\n');
    const { spec } = parseLab(twoNodeLabText('batch', `${pings}\n  - tcp: { from: a, to: 10.0.0.2, port: 80 }\n  - tcp: { from: a, to: 10.0.0.2, port: 81 }`), 'order.yaml');
    const { lab } = resolveLab(spec, {});
    const ran: Command[] = [];
    let n = 0;
    const executor: Executor = {
      run: async (command) => {
        ran.push(command);
        // pings end one after another, each freeing a slot in a turn of its own
        await new Promise((r) => setTimeout(r, command.argv.includes('ping') ? 40 * ++n : 1));
        const batch = command.argv.includes(BATCH);
        const stdout = command.argv.includes('ping') ? '1 packets transmitted, 1 received, 0% packet loss\n' : batch ? `${line(0, { outcome: 'connected', ms: 1 })}${line(1, { outcome: 'connected', ms: 1 })}` : `${JSON.stringify({ outcome: 'connected', ms: 1 })}\n`;
        return { exitCode: 0, stdout, stderr: '', durationMs: 1 };
      },
      start: () => Promise.reject(new Error('not used')),
    };
    const results = await runChecks(lab.checks, executor, { jobs: 16 });
    expect(results.map((r) => r.status)).toEqual(Array(18).fill('pass'));
    // results stay in declaration order
    expect(results.map((r) => r.check.kind)).toEqual([...Array(16).fill('ping'), 'tcp', 'tcp']);
    const tcpRuns = ran.filter((c) => !c.argv.includes('ping'));
    expect(tcpRuns).toHaveLength(1);
    expect(tcpRuns[0]?.argv.at(-2)).toBe(BATCH);
  });
});

describe('splitBatch', () => {
  it('routes each line to its job in order, and ignores what is not a job line', () => {
    const stdout = [line(1, { n: 1 }), 'garbage\n', line(0, { n: 2 }), line(1, { n: 3 }), `${JSON.stringify({ job: 7, line: 'x' })}\n`, `${JSON.stringify({ job: 0, failed: 'why' })}\n`].join('');
    expect(splitBatch(stdout, 2)).toEqual([
      { lines: [JSON.stringify({ n: 2 })], failed: 'why' },
      { lines: [JSON.stringify({ n: 1 }), JSON.stringify({ n: 3 })] },
    ]);
  });
});

describe('probeBatchCommand', () => {
  it('enters the node the way its probes do and carries each probe\'s own arguments', () => {
    const [c80, c81] = checks() as [Check, Check];
    const probes = [nodeProbe(c80), nodeProbe(c81)].map((p) => p as NonNullable<typeof p>);
    const command = probeBatchCommand(probes[0]?.entry ?? [], probes);
    // the same argv as each probe's own command, up to the script
    for (const c of [c80, c81]) expect(probeCommand(c).argv.slice(0, 4)).toEqual(command.argv.slice(0, 4));
    expect(nodeProbe(checks()[4] as Check)).toBeUndefined();
  });
});

describe('runProbeJobs (what probe-batch.js runs)', () => {
  let http: Server;
  let httpPort = 0;
  let closedPort = 0;
  beforeAll(async () => {
    http = createServer((req, res) => {
      res.setHeader('X-Netlab-Node', 'b');
      res.end(`hello ${req.url}\n`);
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    httpPort = (http.address() as AddressInfo).port;
    // a port that was just free: connecting to it is refused
    const probe = createTcpServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
  });
  afterAll(() => new Promise((r) => http.close(r)));

  it('gives each job the lines its own probe gives, all at once', async () => {
    const lines: string[] = [];
    const jobs = [
      { probe: 'tcp-probe', args: ['127.0.0.1', String(httpPort), '2000'] },
      { probe: 'tcp-probe', args: ['127.0.0.1', String(closedPort), '2000'] },
      { probe: 'http-probe', args: [`http://127.0.0.1:${httpPort}/x`, '2', '2000'] },
      { probe: 'nope', args: [] },
      { probe: 'tcp-probe', args: 'not a list' },
    ];
    await runProbeJobs(jobs, (t) => lines.push(t));
    const split = splitBatch(lines.map((l) => `${l}\n`).join(''), jobs.length);
    const outcome = (l: string | undefined) => {
      const { ms, ...rest } = JSON.parse(l as string) as { ms: number };
      expect(typeof ms).toBe('number');
      return rest;
    };
    const alone: string[] = [];
    await httpGets([`http://127.0.0.1:${httpPort}/x`, '2', '2000'], (l) => alone.push(l));
    expect(split[0]?.lines.map(outcome)).toEqual([outcome(await connectOnce(['127.0.0.1', String(httpPort), '2000']))]);
    expect(split[0]?.lines.map(outcome)).toEqual([{ outcome: 'connected' }]);
    expect(split[1]?.lines.map(outcome)).toEqual([{ outcome: 'refused', code: 'ECONNREFUSED' }]);
    expect(split[2]?.lines.map(outcome)).toEqual(alone.map(outcome));
    expect(split[2]?.lines.map(outcome)).toHaveLength(2);
    expect(outcome(split[2]?.lines[0])).toMatchObject({ outcome: 'response', status: 200, body: 'hello /x\n', node: 'b', local: '127.0.0.1' });
    expect(split[3]).toEqual({ lines: [], failed: 'unknown probe "nope"' });
    expect(split[4]).toEqual({ lines: [], failed: 'args: not a list of strings' });
  });
});
