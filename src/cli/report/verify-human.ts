import type { ChalkInstance } from 'chalk';
import type { CheckReport, VerifyReport } from '../../verify/report.js';
import { printable as p } from '../../render/printable.js';

const ms = (n: number) => `${n} ms`;

/** One line per check; the diagnosis under a failure. Names, details and evidence are shown with printable(). */
export function humanCheckLines(report: CheckReport, color: ChalkInstance): string[] {
  const c = printableReport(report);
  const time = color.dim(ms(c.durationMs));
  if (c.status === 'pass') return [`${color.green('pass')}  ${c.name}  ${color.dim(c.detail)}  ${time}`];
  if (c.status === 'skip') return [`${color.yellow('skip')}  ${c.name}  ${color.yellow(c.detail)}`];
  const lines = [`${color.red('FAIL')}  ${c.name}  expected ${c.expected}, observed ${color.bold(c.observed)}: ${c.detail}  ${time}`];
  if (c.diagnosis) {
    lines.push(`      ${color.bold('why:')} ${c.diagnosis.cause} ${color.dim(`[${c.diagnosis.code}]`)}`);
    for (const e of c.diagnosis.evidence) lines.push(`      ${color.dim(`  ${e}`)}`);
    if (c.diagnosis.fix) lines.push(`      ${color.cyan('fix:')} ${c.diagnosis.fix}`);
  }
  return lines;
}

export function humanSummary(r: VerifyReport, color: ChalkInstance, id: string): string {
  const text = `${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`;
  return `${r.failed === 0 ? color.green(text) : color.red(text)} (${id}, ${ms(r.durationMs)})`;
}

/** the check's strings as printable one-line text: a name comes from the lab file, a detail from a probe's output */
function printableReport(c: CheckReport): CheckReport {
  const diagnosis = c.diagnosis && { ...c.diagnosis, cause: p(c.diagnosis.cause), evidence: c.diagnosis.evidence.map((e) => p(e)), ...(c.diagnosis.fix ? { fix: p(c.diagnosis.fix) } : {}) };
  return { ...c, name: p(c.name), detail: p(c.detail), expected: p(c.expected), observed: p(c.observed), diagnosis };
}
