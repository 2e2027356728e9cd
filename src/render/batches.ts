import { PHASES, phaseOf, type Phase, type Plan, type Step } from '../compile/step.js';
import { stdinOf, toArgv, toBatchLine } from './argv.js';
import type { TableName } from '../schema/firewall.js';
import type { Command } from './command.js';
import { ENTER_FAILED_PREFIX, runnerArgv, type NamespaceEntry } from './setns-runner.js';
import { restoreLine } from './restore-line.js';

/**
 * A batch runs several steps with one process and can tell which step failed from its error output.
 * The plan stays one step per command; only execution is grouped.
 */
export interface Batch {
  readonly steps: readonly Step[];
  readonly command: Command;
  /** index into `steps` of the failing step, from the command's stderr; -1 if unknown */
  failedIndex(stderr: string): number;
  /** how many of `steps` took effect when the batch failed at `index` */
  appliedBefore(index: number): number;
  /** how many of `steps` took effect, when that is more than appliedBefore(failedIndex) (a runner goes on after a failure) */
  appliedOf?(stderr: string): number;
  /** the error output to show for a failure, when the raw one says more than the failing step's own command would */
  failureText?(stderr: string): string;
  /** files the command reads, written just before it runs and removed after */
  readonly files?: readonly { readonly path: string; readonly content: string }[];
}

/** The batches of one namespace in one phase, run in order. */
export interface Unit {
  readonly ns: string;
  readonly batches: readonly Batch[];
}

export interface PhaseUnits {
  readonly phase: Phase;
  readonly units: readonly Unit[];
}

type Tool = 'netns' | 'ip' | 'bridge' | 'sysctl' | 'iptables' | 'single';

function toolOf(step: Step): Tool {
  switch (step.kind) {
    case 'netns.add':
      return 'netns';
    case 'fdb.append':
      return 'bridge';
    case 'sysctl.set':
      return 'sysctl';
    case 'iptables.chain':
    case 'iptables.policy':
    case 'iptables.rule':
      return 'iptables';
    case 'file.mkdir':
    case 'file.write':
    case 'service.start':
      return 'single';
    default:
      return 'ip';
  }
}

export interface GroupOptions {
  readonly batch: boolean;
  /** how many batches run at once; with scratchDir, a phase of many namespaces is split into this many runners */
  readonly jobs?: number;
  /** a directory for the per-namespace batch files that runners read (see runnerUnits) */
  readonly scratchDir?: string;
  /** how runners enter each namespace (see setns-runner.ts); nsenter when not given */
  readonly entry?: NamespaceEntry;
  /** how many `ip -batch` create the namespaces at once (1 when not given) */
  readonly netnsJobs?: number;
  /** sysctl and iptables-restore enter only the network namespace (`nsenter --net`), see enterNet */
  readonly netOnly?: boolean;
}

/**
 * How a batch of one tool (sysctl, iptables-restore) enters its namespace. `ip netns exec` also makes
 * a mount namespace (to remount /sys and bind /etc/netns/NS files) and the kernel frees it when the
 * tool exits: with hundreds of namespaces mounted that costs 10-60 ms of waiting per process, against
 * 5-10 ms for `nsenter --net` (issue 17). Neither tool reads /sys or /etc/netns (sysctl writes
 * /proc/sys/net, which shows the network namespace of the process that opens it; the lab's own
 * /etc/netns files come later, in the files phase), so both behave the same either way.
 */
function enterNet(ns: string, netOnly: boolean | undefined): string[] {
  return netOnly ? ['nsenter', `--net=/run/netns/${ns}`, '--'] : ['ip', 'netns', 'exec', ns];
}

/** below this many namespaces per process, a second `ip -batch` costs more than it saves */
const MIN_NAMESPACES_PER_PROCESS = 16;

/** Group a plan into phases -> namespaces -> batches. With batch=false every step is its own batch. Linear in the plan's size. */
export function groupPlan(plan: Plan, options: GroupOptions): PhaseUnits[] {
  const byPhase = new Map<Phase, Step[]>(PHASES.map((p) => [p, []]));
  for (const s of plan.steps) (byPhase.get(phaseOf(s)) as Step[]).push(s);
  const result: PhaseUnits[] = [];
  for (const phase of PHASES) {
    const steps = byPhase.get(phase) as Step[];
    if (steps.length === 0) continue;
    if (!options.batch) {
      result.push({ phase, units: steps.map((s) => ({ ns: s.ns, batches: [singleBatch(s)] })) });
      continue;
    }
    if (phase === 'netns') {
      // creating a namespace is mostly kernel work, but two processes at once still take about 30% less time
      const parts = Math.max(1, Math.min(options.netnsJobs ?? 1, Math.floor(steps.length / MIN_NAMESPACES_PER_PROCESS)));
      const size = Math.ceil(steps.length / parts);
      const chunks = Array.from({ length: parts }, (_, i) => steps.slice(i * size, (i + 1) * size)).filter((c) => c.length > 0);
      result.push({ phase, units: chunks.map((chunk) => ({ ns: '', batches: [lineBatch(chunk, ['ip', '-batch', '-'])] })) });
      continue;
    }
    if (phase === 'links' && steps.every((s) => s.kind === 'link.add-bridge' || s.kind === 'link.add-veth')) {
      result.push({ phase, units: [linksUnit(steps)] });
      continue;
    }
    const byNs = new Map<string, Step[]>();
    for (const s of steps) {
      const own = byNs.get(s.ns);
      if (own) own.push(s);
      else byNs.set(s.ns, [s]);
    }
    const units = [...byNs].map(([ns, own]) => ({ ns, batches: batchesOf(ns, own, options.netOnly) }));
    const jobs = options.jobs ?? 1;
    const runners = options.scratchDir !== undefined && units.length > 2 * jobs ? runnerUnits(phase, units, jobs, options.scratchDir, options.entry ?? 'nsenter') : units;
    result.push({ phase, units: runners });
  }
  return result;
}

/** starting a process in a namespace costs about as much as this many netlink commands */
const RUNNER_PROCESS_WEIGHT = 10;

/** `ip -n NS -batch -` or `bridge -n NS -batch -`: the tool and namespace, when a batch is one. */
function inNamespaceLineBatch(batch: Batch): { tool: string; ns: string } | undefined {
  const [tool, n, ns, b, dash] = batch.command.argv;
  if ((tool === 'ip' || tool === 'bridge') && n === '-n' && b === '-batch' && dash === '-' && ns !== undefined && batch.command.argv.length === 5) return { tool, ns };
  return undefined;
}

/**
 * Many namespaces, few processes spawned by netlab. Each runner is one process (setns-runner.ts) that
 * runs, one after the other, `ip -batch FILE` inside each namespace of its share; `jobs` runners run
 * in parallel. Two costs that grow with the lab are avoided: node
 * forking hundreds of children, and `ip -n NS` / `ip netns exec NS` copying the whole mount table
 * (one bind mount per namespace) for every process; entering only the network namespace is enough
 * for netlink. Failures stay exact: each runner's error output is its own and in order, and
 * "Command failed FILE:M" names the namespace's batch and the step in it.
 * Units that are not `ip`/`bridge` line batches are left as they are.
 */
function runnerUnits(phase: Phase, units: readonly Unit[], jobs: number, dir: string, entry: NamespaceEntry): Unit[] {
  const eligible: Unit[] = [];
  const others: Unit[] = [];
  for (const u of units) (u.batches.every((b) => inNamespaceLineBatch(b) !== undefined) ? eligible : others).push(u);
  if (eligible.length <= jobs) return [...units];
  // longest first, each to the least loaded runner: one namespace with many steps (a bridge with
  // hundreds of ports) must not hold up a runner that also has its share of small namespaces
  const weight = (u: Unit) => RUNNER_PROCESS_WEIGHT + u.batches.reduce((n, b) => n + b.steps.length, 0);
  const groups: Unit[][] = Array.from({ length: jobs }, () => []);
  const load: number[] = groups.map(() => 0);
  for (const u of [...eligible].sort((a, b) => weight(b) - weight(a))) {
    const least = load.indexOf(Math.min(...load));
    (groups[least] as Unit[]).push(u);
    load[least] = (load[least] as number) + weight(u);
  }
  let file = 0;
  return [...groups.filter((g) => g.length > 0).map((group) => runner(group, phase, dir, entry, () => file++)), ...others];
}

/** One runner over its namespaces' batches; see runnerUnits. */
function runner(group: readonly Unit[], phase: Phase, dir: string, entry: NamespaceEntry, nextFile: () => number): Unit {
  const steps: Step[] = [];
  const parts: { ns: string; path: string; offset: number; length: number }[] = [];
  const files: { path: string; content: string }[] = [];
  const args: string[] = [];
  for (const unit of group) {
    for (const batch of unit.batches) {
      const { tool, ns } = inNamespaceLineBatch(batch) as { tool: string; ns: string };
      const path = `${dir}/${phase}-${nextFile()}-${ns}.batch`;
      files.push({ path, content: batch.command.input ?? '' });
      args.push(`--net=/run/netns/${ns}`, '--', tool, '-batch', path);
      parts.push({ ns, path, offset: steps.length, length: batch.steps.length });
      steps.push(...batch.steps);
    }
  }
  /** each part that failed: where its error ends in the output, and the index (in steps) of its failed step */
  const failures = (stderr: string) => parts.flatMap((part) => {
    const batchFailed = new RegExp(`^Command failed ${escapeRegExp(part.path)}:(\\d+)$`, 'm').exec(stderr);
    if (batchFailed) return [{ part, end: batchFailed.index + batchFailed[0].length, index: part.offset + Number(batchFailed[1]) - 1 }];
    // the runner could not enter the namespace: none of its steps ran
    const enterFailed = new RegExp(`${ENTER_FAILED_PREFIX.source}.*/run/netns/${escapeRegExp(part.ns)}\\b.*$`, 'm').exec(stderr);
    if (enterFailed) return [{ part, end: enterFailed.index + enterFailed[0].length, index: part.offset }];
    return [];
  }).sort((a, b) => a.end - b.end);
  return {
    ns: '',
    batches: [{
      steps,
      command: { argv: runnerArgv(entry), input: args.map((a) => `${a}\0`).join('') },
      files,
      failedIndex: (stderr) => failures(stderr)[0]?.index ?? -1,
      appliedBefore: (index) => Math.max(0, index),
      // a runner goes on with the other namespaces after a failure: all their steps took effect, and those before each failure
      appliedOf: (stderr) => steps.length - failures(stderr).reduce((n, f) => n + f.part.length - (f.index - f.part.offset), 0),
      // what `ip -n NS -batch -` of the failing namespace alone would have said
      failureText: (stderr) => {
        const first = failures(stderr)[0];
        const own = first ? stderr.slice(0, first.end) : stderr;
        return own.replace(/^Command failed \S+\.batch:(\d+)$/gm, 'Command failed -:$1');
      },
    }],
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Every bridge and veth of the lab in one `ip -batch`, each line naming the namespace of each end
 * (`link add name A netns NSA type veth peer name B netns NSB`), so one process creates them all
 * however many namespaces they span: the kernel puts each device straight into its namespace.
 * It runs in an empty namespace of its own (`unshare --net`), never a lab's or the machine's: before
 * Linux 6.14 the kernel looks a new device's name up in the namespace of the process that asks, not
 * the one the device goes to, so a batch run in a lab namespace that already holds an `eth0` fails
 * with "File exists" at the next `eth0` of any other namespace (Debian's 6.1 and 6.12 do this).
 */
function linksUnit(steps: readonly Step[]): Unit {
  return { ns: '', batches: [lineBatch(steps, LINKS_BATCH_ARGV, qualifiedLinkLine)] };
}

export const LINKS_BATCH_ARGV: readonly string[] = ['unshare', '--net', '--', 'ip', '-batch', '-'];

/** A link creation line that says which namespace each device goes to. */
export function qualifiedLinkLine(step: Step): string[] {
  if (step.kind === 'link.add-bridge') return ['link', 'add', 'name', step.name, 'netns', step.ns, 'type', 'bridge'];
  if (step.kind === 'link.add-veth') return ['link', 'add', 'name', step.name, 'netns', step.ns, 'type', 'veth', 'peer', 'name', step.peer, 'netns', step.peerNs];
  throw new Error(`${step.kind} has no namespace-qualified batch line`);
}

function batchesOf(ns: string, steps: readonly Step[], netOnly: boolean | undefined): Batch[] {
  const runs: Step[][] = [];
  for (const step of steps) {
    const last = runs.at(-1);
    if (last && toolOf(last[0] as Step) === toolOf(step) && toolOf(step) !== 'single') last.push(step);
    else runs.push([step]);
  }
  return runs.map((run) => {
    switch (toolOf(run[0] as Step)) {
      case 'ip':
        return lineBatch(run, ['ip', '-n', ns, '-batch', '-']);
      case 'bridge':
        return lineBatch(run, ['bridge', '-n', ns, '-batch', '-']);
      case 'sysctl':
        return sysctlBatch(ns, run, netOnly);
      case 'iptables':
        return restoreBatch(ns, run, netOnly);
      default:
        return singleBatch(run[0] as Step);
    }
  });
}

export function singleBatch(step: Step): Batch {
  const input = stdinOf(step);
  return {
    steps: [step],
    command: { argv: toArgv(step), ...(input !== undefined ? { input } : {}) },
    failedIndex: () => 0,
    appliedBefore: () => 0,
  };
}

/** `ip -batch -` / `bridge -batch -`: one command per line; stops at the first failure ("Command failed -:N"). */
function lineBatch(steps: readonly Step[], argv: readonly string[], line: (step: Step) => readonly string[] = toBatchLine): Batch {
  const input = `${steps.map((s) => line(s).join(' ')).join('\n')}\n`;
  return {
    steps,
    command: { argv, input },
    failedIndex: (stderr) => {
      const m = /Command failed -:(\d+)/.exec(stderr);
      return m ? Number(m[1]) - 1 : -1;
    },
    appliedBefore: (index) => Math.max(0, index),
  };
}

/**
 * One `sysctl -w` with every key; it goes on past a bad key and names it, one line each, in the key's
 * own words: `cannot stat /proc/sys/net/ipv4/nosuch_key` (no such key) or `setting key
 * "net.ipv4.ip_forward": Invalid argument` (a value the kernel refuses). Each line is matched to its
 * step by the whole key, so the failure names the step the kernel complained about, with its line only.
 */
function sysctlBatch(ns: string, steps: readonly Step[], netOnly: boolean | undefined): Batch {
  const pairs = steps.map((s) => (s.kind === 'sysctl.set' ? `${s.key}=${s.value}` : ''));
  const failures = (stderr: string): { index: number; line: string }[] => stderr.split('\n').flatMap((line) => {
    const index = steps.findIndex((s) => s.kind === 'sysctl.set' && (line.includes(`"${s.key}"`) || line.includes(`/proc/sys/${s.key.replace(/\./g, '/')}:`)));
    return index >= 0 ? [{ index, line: line.trim() }] : [];
  });
  return {
    steps,
    command: { argv: [...enterNet(ns, netOnly), 'sysctl', '-w', ...pairs] },
    failedIndex: (stderr) => failures(stderr)[0]?.index ?? -1,
    appliedBefore: (index) => Math.max(0, index),
    // sysctl goes on past a failure: every key it did not complain about took effect
    appliedOf: (stderr) => steps.length - new Set(failures(stderr).map((f) => f.index)).size,
    failureText: (stderr) => {
      const first = failures(stderr)[0];
      return first ? failures(stderr).filter((f) => f.index === first.index).map((f) => f.line).join('\n') : stderr;
    },
  };
}

/**
 * One `iptables-restore --noflush` per namespace. Each table is its own transaction (COMMIT): when a
 * line fails, that table applies nothing, but the tables committed before it stay applied.
 */
function restoreBatch(ns: string, steps: readonly Step[], netOnly: boolean | undefined): Batch {
  const lines: string[] = [];
  const lineToStep = new Map<number, number>();
  const tables = [...new Set(steps.map((s) => (s as { table: TableName }).table))];
  for (const table of tables) {
    lines.push(`*${table}`);
    steps.forEach((s, i) => {
      if (s.kind === 'iptables.policy' && s.table === table) lineToStep.set(lines.push(`:${s.chain} ${s.policy} [0:0]`), i);
      if (s.kind === 'iptables.chain' && s.table === table) lineToStep.set(lines.push(`:${s.chain} - [0:0]`), i);
    });
    steps.forEach((s, i) => {
      if (s.kind === 'iptables.rule' && s.table === table) lineToStep.set(lines.push(restoreLine(s.rule)), i);
    });
    lines.push('COMMIT');
  }
  return {
    steps,
    command: { argv: [...enterNet(ns, netOnly), 'iptables-restore', '--noflush'], input: `${lines.join('\n')}\n` },
    failedIndex: (stderr) => {
      const m = /line (\d+) failed/.exec(stderr);
      return m ? (lineToStep.get(Number(m[1])) ?? -1) : -1;
    },
    appliedBefore: (index) => {
      const failing = (steps[index] as { table?: TableName } | undefined)?.table;
      const committed = tables.slice(0, Math.max(0, tables.indexOf(failing as TableName)));
      return steps.filter((s) => committed.includes((s as { table: TableName }).table)).length;
    },
  };
}
