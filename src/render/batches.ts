import { PHASES, phaseOf, type Phase, type Plan, type Step } from '../compile/step.js';
import type { Batch, PhaseUnits } from './batch.js';
import { lineBatch, linksUnit, singleBatch } from './line-batch.js';
import { restoreBatch } from './restore-batch.js';
import { runnerUnits } from './runner-batch.js';
import type { NamespaceEntry } from './setns-runner.js';
import { sysctlBatch } from './sysctl-batch.js';
import { tunnelWaves } from './tunnel-waves.js';
import type { Unit } from './batch.js';

export type { Batch, PhaseUnits, Unit } from './batch.js';
export { LINKS_BATCH_ARGV, qualifiedLinkLine, singleBatch } from './line-batch.js';

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
  /** sysctl and iptables-restore enter only the network namespace (`nsenter --net`, see enter-net.ts) */
  readonly netOnly?: boolean;
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
      for (const wave of phase === 'tunnels' ? tunnelWaves(steps) : [steps]) result.push({ phase, units: wave.map((s) => ({ ns: s.ns, batches: [singleBatch(s)] })) });
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
    for (const wave of phase === 'tunnels' ? tunnelWaves(steps) : [steps]) result.push({ phase, units: nsUnits(phase, wave, options) });
  }
  return result;
}

/** One unit per namespace (its batches in order); many namespaces share a few runners. */
function nsUnits(phase: Phase, steps: readonly Step[], options: GroupOptions): Unit[] {
  const byNs = new Map<string, Step[]>();
  for (const s of steps) {
    const own = byNs.get(s.ns);
    if (own) own.push(s);
    else byNs.set(s.ns, [s]);
  }
  const units = [...byNs].map(([ns, own]) => ({ ns, batches: batchesOf(ns, own, options.netOnly) }));
  const jobs = options.jobs ?? 1;
  return options.scratchDir !== undefined && units.length > 2 * jobs ? runnerUnits(phase, units, jobs, options.scratchDir, options.entry ?? 'nsenter') : units;
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
