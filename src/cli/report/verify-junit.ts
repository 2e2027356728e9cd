import type { VerifyReport } from '../../verify/report.js';
import { printable } from '../../render/printable.js';
import { suiteName } from '../../verify/report.js';

/**
 * XML 1.0 text: escaped, with control characters (which XML cannot hold, or a terminal showing the
 * file would act on) and lone surrogates as visible escapes, and without U+FFFE/U+FFFF.
 */
export function xmlText(value: string): string {
  return printable(value, { keepNewlines: true })
    .replace(/[\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** JUnit XML as CI systems read it: a testsuite per lab (and variant), a testcase per check. */
/** `extra`: labs that could not be tested at all (an error, or skipped because the machine cannot run them). */
export function junitXml(reports: readonly VerifyReport[], extra: readonly { suite: string; error: string; skipped?: boolean }[] = []): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const tests = reports.reduce((n, r) => n + r.checks.length, 0) + extra.length;
  const failures = reports.reduce((n, r) => n + r.failed, 0);
  const skipped = reports.reduce((n, r) => n + r.skipped, 0) + extra.filter((e) => e.skipped).length;
  const errors = extra.filter((e) => !e.skipped).length;
  const time = reports.reduce((n, r) => n + r.durationMs, 0);
  lines.push(`<testsuites name="netlab" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(time)}">`);
  for (const r of reports) {
    const suite = suiteName(r);
    lines.push(`  <testsuite name="${xmlText(suite)}" tests="${r.checks.length}" failures="${r.failed}" errors="0" skipped="${r.skipped}" time="${seconds(r.durationMs)}">`);
    for (const c of r.checks) {
      const open = `    <testcase classname="${xmlText(`netlab.${suite}`)}" name="${xmlText(c.name)}" time="${seconds(c.durationMs)}"`;
      if (c.status === 'pass') {
        lines.push(`${open}/>`);
        continue;
      }
      lines.push(`${open}>`);
      if (c.status === 'skip') lines.push(`      <skipped message="${xmlText(c.detail)}"/>`);
      else {
        const message = `expected ${c.expected}, observed ${c.observed}: ${c.detail}`;
        const body = [message, ...(c.diagnosis ? [`why: ${c.diagnosis.cause} [${c.diagnosis.code}]`, ...c.diagnosis.evidence.map((e) => `  ${e}`), ...(c.diagnosis.fix ? [`fix: ${c.diagnosis.fix}`] : [])] : [])].join('\n');
        lines.push(`      <failure message="${xmlText(message)}" type="${xmlText(c.kind)}">${xmlText(body)}</failure>`);
      }
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  for (const e of extra) {
    lines.push(`  <testsuite name="${xmlText(e.suite)}" tests="1" failures="0" errors="${e.skipped ? 0 : 1}" skipped="${e.skipped ? 1 : 0}" time="0">`);
    const first = xmlText(e.error.split('\n')[0] ?? '');
    const inner = e.skipped ? `<skipped message="${first}"/>` : `<error message="${first}">${xmlText(e.error)}</error>`;
    lines.push(`    <testcase classname="${xmlText(`netlab.${e.suite}`)}" name="up">${inner}</testcase>`);
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

export { suiteName };
