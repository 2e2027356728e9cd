import { PHASES, phaseOf, type Phase, type Plan, type Step } from '../compile/step.js';
import { stdinOf, toArgv, toBatchLine } from '../render/argv.js';
import type { TableName } from '../schema/firewall.js';
import type { Command } from './executor.js';

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
}

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
      result.push({ phase, units: [{ ns: '', batches: [lineBatch(steps, ['ip', '-batch', '-'])] }] });
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
    const units = [...byNs].map(([ns, own]) => ({ ns, batches: batchesOf(ns, own) }));
    const jobs = options.jobs ?? 1;
    const runners = options.scratchDir !== undefined && units.length > 2 * jobs ? runnerUnits(phase, units, jobs, options.scratchDir) : units;
    result.push({ phase, units: runners });
  }
  return result;
}

/** starting a process in a namespace costs about as much as this many netlink commands */
const RUNNER_PROCESS_WEIGHT = 10;

const SAFE_PATH = /^\/[A-Za-z0-9_.\/-]+$/;

/** `ip -n NS -batch -` or `bridge -n NS -batch -`: the tool and namespace, when a batch is one. */
function inNamespaceLineBatch(batch: Batch): { tool: string; ns: string } | undefined {
  const [tool, n, ns, b, dash] = batch.command.argv;
  if ((tool === 'ip' || tool === 'bridge') && n === '-n' && b === '-batch' && dash === '-' && ns !== undefined && batch.command.argv.length === 5) return { tool, ns };
  return undefined;
}

/**
 * Many namespaces, few processes spawned by netlab: each runner is one `ip -batch -` whose lines are
 * `netns exec NS ip -batch FILE`, so iproute2 itself forks the per-namespace `ip`, `jobs` runners in
 * parallel. A node process spawning hundreds of children pays far more per spawn than `ip` does.
 * Failures stay exact: the runner's "Command failed -:K" names the namespace's batch, and the inner
 * "Command failed FILE:M" the step in it. Units that are not `ip`/`bridge` line batches are left as they are.
 */
function runnerUnits(phase: Phase, units: readonly Unit[], jobs: number, dir: string): Unit[] {
  if (!SAFE_PATH.test(dir)) return [...units];
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
  const runners = groups.map((group): Unit => {
    const steps: Step[] = [];
    const lines: string[] = [];
    const files: { path: string; content: string }[] = [];
    const offsets: number[] = [];
    for (const unit of group) {
      for (const batch of unit.batches) {
        const { tool, ns } = inNamespaceLineBatch(batch) as { tool: string; ns: string };
        const path = `${dir}/${phase}-${file++}-${ns}.batch`;
        files.push({ path, content: batch.command.input ?? '' });
        lines.push(`netns exec ${ns} ${tool} -batch ${path}`);
        offsets.push(steps.length);
        steps.push(...batch.steps);
      }
    }
    return {
      ns: '',
      batches: [{
        steps,
        command: { argv: ['ip', '-batch', '-'], input: `${lines.join('\n')}\n` },
        files,
        failedIndex: (stderr) => {
          const outer = [...stderr.matchAll(/Command failed -:(\d+)/g)].at(-1);
          if (!outer) return -1;
          const k = Number(outer[1]) - 1;
          const offset = offsets[k];
          if (offset === undefined) return -1;
          const path = files[k]?.path ?? '';
          const inner = [...stderr.matchAll(/Command failed (\S+):(\d+)/g)].find((m) => m[1] === path);
          // no inner line: `netns exec` itself failed, before the first step of that namespace
          return inner ? offset + Number(inner[2]) - 1 : offset;
        },
        appliedBefore: (index) => Math.max(0, index),
        // what `ip -n NS -batch -` of that namespace alone would have said
        failureText: (stderr) => stderr.replace(/^Command failed -:\d+\n?/gm, '').replace(/^Command failed \S+\.batch:(\d+)$/gm, 'Command failed -:$1'),
      }],
    };
  });
  return [...runners, ...others];
}

/**
 * Every bridge and veth of the lab in one `ip -batch`, each line naming the namespace of each end
 * (`link add name A netns NSA type veth peer name B netns NSB`), so one process creates them all
 * however many namespaces they span: the kernel puts each device straight into its namespace. It
 * runs inside the lab namespace that holds the most of them (never the machine's own namespace).
 */
function linksUnit(steps: readonly Step[]): Unit {
  const count = new Map<string, number>();
  for (const s of steps) count.set(s.ns, (count.get(s.ns) ?? 0) + 1);
  let ns = (steps[0] as Step).ns;
  for (const [name, n] of count) if (n > (count.get(ns) ?? 0)) ns = name;
  return { ns, batches: [lineBatch(steps, ['ip', '-n', ns, '-batch', '-'], qualifiedLinkLine)] };
}

/** A link creation line that says which namespace each device goes to. */
export function qualifiedLinkLine(step: Step): string[] {
  if (step.kind === 'link.add-bridge') return ['link', 'add', 'name', step.name, 'netns', step.ns, 'type', 'bridge'];
  if (step.kind === 'link.add-veth') return ['link', 'add', 'name', step.name, 'netns', step.ns, 'type', 'veth', 'peer', 'name', step.peer, 'netns', step.peerNs];
  throw new Error(`${step.kind} has no namespace-qualified batch line`);
}

function batchesOf(ns: string, steps: readonly Step[]): Batch[] {
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
        return sysctlBatch(ns, run);
      case 'iptables':
        return restoreBatch(ns, run);
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

/** One `sysctl -w` with every key; it goes on past a bad key and names it. */
function sysctlBatch(ns: string, steps: readonly Step[]): Batch {
  const pairs = steps.map((s) => (s.kind === 'sysctl.set' ? `${s.key}=${s.value}` : ''));
  return {
    steps,
    command: { argv: ['ip', 'netns', 'exec', ns, 'sysctl', '-w', ...pairs] },
    failedIndex: (stderr) => steps.findIndex((s) => s.kind === 'sysctl.set' && stderr.includes(s.key.replace(/\./g, '/'))),
    appliedBefore: (index) => Math.max(0, index),
  };
}

function restoreToken(token: string): string {
  return /[\s"']/.test(token) || token === '' ? `"${token}"` : token;
}

/** One `iptables-restore --noflush` per namespace: a single transaction, so a failure applies nothing. */
function restoreBatch(ns: string, steps: readonly Step[]): Batch {
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
      if (s.kind === 'iptables.rule' && s.table === table) lineToStep.set(lines.push(s.rule.map(restoreToken).join(' ')), i);
    });
    lines.push('COMMIT');
  }
  return {
    steps,
    command: { argv: ['ip', 'netns', 'exec', ns, 'iptables-restore', '--noflush'], input: `${lines.join('\n')}\n` },
    failedIndex: (stderr) => {
      const m = /line (\d+) failed/.exec(stderr);
      return m ? (lineToStep.get(Number(m[1])) ?? -1) : -1;
    },
    appliedBefore: () => 0,
  };
}
