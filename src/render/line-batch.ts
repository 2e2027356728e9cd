import type { Step } from '../compile/step.js';
import { stdinOf, toArgv, toBatchLine } from './argv.js';
import type { Batch, Unit } from './batch.js';

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
export function lineBatch(steps: readonly Step[], argv: readonly string[], line: (step: Step) => readonly string[] = toBatchLine): Batch {
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
 * Every bridge and veth of the lab in one `ip -batch`, each line naming the namespace of each end
 * (`link add name A netns NSA type veth peer name B netns NSB`), so one process creates them all
 * however many namespaces they span: the kernel puts each device straight into its namespace.
 * It runs in an empty namespace of its own (`unshare --net`), never a lab's or the machine's: before
 * Linux 6.14 the kernel looks a new device's name up in the namespace of the process that asks, not
 * the one the device goes to, so a batch run in a lab namespace that already holds an `eth0` fails
 * with "File exists" at the next `eth0` of any other namespace (Debian's 6.1 and 6.12 do this).
 */
export function linksUnit(steps: readonly Step[]): Unit {
  return { ns: '', batches: [lineBatch(steps, LINKS_BATCH_ARGV, qualifiedLinkLine)] };
}

export const LINKS_BATCH_ARGV: readonly string[] = ['unshare', '--net', '--', 'ip', '-batch', '-'];

/** A link creation line that says which namespace each device goes to. */
export function qualifiedLinkLine(step: Step): string[] {
  if (step.kind === 'link.add-bridge') return ['link', 'add', 'name', step.name, 'netns', step.ns, 'type', 'bridge'];
  if (step.kind === 'link.add-veth') return ['link', 'add', 'name', step.name, 'netns', step.ns, 'type', 'veth', 'peer', 'name', step.peer, 'netns', step.peerNs];
  throw new Error(`${step.kind} has no namespace-qualified batch line`);
}
