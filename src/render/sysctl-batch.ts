import type { Step } from '../compile/step.js';
import type { Batch } from './batch.js';
import { enterNet } from './enter-net.js';

/**
 * One `sysctl -w` with every key; it goes on past a bad key and names it, one line each, in the key's
 * own words: `cannot stat /proc/sys/net/ipv4/nosuch_key` (no such key) or `setting key
 * "net.ipv4.ip_forward": Invalid argument` (a value the kernel refuses). Each line is matched to its
 * step by the whole key, so the failure names the step the kernel complained about, with its line only.
 */
export function sysctlBatch(ns: string, steps: readonly Step[], netOnly?: boolean): Batch {
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
