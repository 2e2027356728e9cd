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

/** Group a plan into phases -> namespaces -> batches. With batch=false every step is its own batch. Linear in the plan's size. */
export function groupPlan(plan: Plan, options: { batch: boolean }): PhaseUnits[] {
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
    result.push({ phase, units: [...byNs].map(([ns, own]) => ({ ns, batches: batchesOf(ns, own) })) });
  }
  return result;
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
