import type { Phase, Step } from '../compile/step.js';
import type { Batch, Unit } from './batch.js';
import { runnerArgv, type NamespaceEntry } from './setns-runner.js';
import { runnerFailures, runnerFailureText, type RunnerPart } from './runner-failures.js';

/** GNU xargs when a command exits 255: it runs no more of its input */
const XARGS_ABORTED = /^xargs: .*255; aborting$/m;

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
 * runs, one after the other, `ip -batch` inside each namespace of its share (the batch on a pipe
 * with perl, in a file with nsenter and `ip -n`); `jobs` runners run in parallel. Node does not fork
 * hundreds of children. perl and nsenter enter only the network namespace, which is enough for netlink;
 * `ip -n` also copies the mount table (one bind mount per namespace), cheaper than perl's fork while the
 * machine has few namespaces (setns-runner.ts). Failures stay exact: each runner's error output is its own and in order, and
 * "Command failed FILE:M" (nsenter) or perl's line after "Command failed -:M" names the namespace's
 * batch, M the step in it (runner-failures.ts).
 * Units that are not `ip`/`bridge` line batches are left as they are.
 */
export function runnerUnits(phase: Phase, units: readonly Unit[], jobs: number, dir: string, entry: NamespaceEntry): Unit[] {
  const eligible: Unit[] = [];
  const others: Unit[] = [];
  // xargs of ip runs ip only: a namespace with a bridge batch keeps its own processes
  const runs = (b: Batch) => entry === 'ip' ? inNamespaceLineBatch(b)?.tool === 'ip' : inNamespaceLineBatch(b) !== undefined;
  for (const u of units) (u.batches.every(runs) ? eligible : others).push(u);
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

/**
 * One runner over its namespaces' batches; see runnerUnits. perl feeds each batch to its ip on a
 * pipe (no file); nsenter's ip reads a file written just before the runner starts.
 */
function runner(group: readonly Unit[], phase: Phase, dir: string, entry: NamespaceEntry, nextFile: () => number): Unit {
  const steps: Step[] = [];
  const parts: RunnerPart[] = [];
  const files: { path: string; content: string }[] = [];
  const args: string[] = [];
  for (const unit of group) {
    for (const batch of unit.batches) {
      const { tool, ns } = inNamespaceLineBatch(batch) as { tool: string; ns: string };
      const content = batch.command.input ?? '';
      const path = entry === 'perl' ? '-' : `${dir}/${phase}-${nextFile()}-${ns}.batch`;
      if (entry === 'perl') args.push(`--net=/run/netns/${ns}`, '--', tool, '-batch', path, content);
      else {
        files.push({ path, content });
        if (entry === 'ip') args.push('-n', ns, '-batch', path);
        else args.push(`--net=/run/netns/${ns}`, '--', tool, '-batch', path);
      }
      parts.push({ ns, path, offset: steps.length, length: batch.steps.length });
      steps.push(...batch.steps);
    }
  }
  const failures = (stderr: string) => runnerFailures(stderr, parts);
  return {
    ns: '',
    batches: [{
      steps,
      command: { argv: runnerArgv(entry), input: args.map((a) => `${a}\0`).join('') },
      ...(files.length > 0 ? { files } : {}),
      failedIndex: (stderr) => failures(stderr)[0]?.index ?? -1,
      appliedBefore: (index) => Math.max(0, index),
      // a runner goes on with the other namespaces after a failure: all their steps took effect, and those before each
      // failure; except that xargs stops at once when ip exits 255 (`ip -n` could not enter): nothing after that part ran
      appliedOf: (stderr) => {
        const all = failures(stderr);
        const last = all.at(-1);
        const ran = entry === 'ip' && last !== undefined && XARGS_ABORTED.test(stderr) ? last.part.offset + last.part.length : steps.length;
        return ran - all.reduce((n, f) => n + f.part.length - (f.index - f.part.offset), 0);
      },
      failureText: (stderr) => runnerFailureText(stderr, failures(stderr)),
    }],
  };
}
