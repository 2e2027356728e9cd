import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import { printable, terminalSafe } from '../../src/render/printable.js';
import { humanCheckLines } from '../../src/cli/report/verify-human.js';
import { xmlText } from '../../src/cli/report/verify-junit.js';
import type { CheckReport } from '../../src/verify/report.js';

// A lab file is untrusted: nothing it holds may reach a terminal as a control character.
const CLEAR = '\u001b[2J';
const OSC52 = '\u001b]52;c;cm0gLXJmIH4K\u0007';
const C1_CSI = '\u009b2J';
/** any raw C0 (but tab and LF), DEL, C1 or lone surrogate */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('printable', () => {
  it('shows C0, DEL, C1 and lone surrogates as visible escapes', () => {
    expect(printable(`a${CLEAR}b`)).toBe('a\\x1b[2Jb');
    expect(printable(OSC52)).toBe('\\x1b]52;c;cm0gLXJmIH4K\\x07');
    expect(printable(C1_CSI)).toBe('\\u009b2J');
    expect(printable('x\u007fy\r\nz')).toBe('x\\u007fy\\r\\nz');
    expect(printable('\ud800 \udc00')).toBe('\\ud800 \\udc00');
  });

  it('leaves text, tabs, other scripts and surrogate pairs alone; LF only when asked', () => {
    expect(printable('ping red → blue\t한국어 😀')).toBe('ping red → blue\t한국어 😀');
    expect(printable('a\nb', { keepNewlines: true })).toBe('a\nb');
  });
});

describe('terminalSafe (every write of out() and err())', () => {
  it('keeps its own colors and line breaks and escapes every other control', () => {
    const red = new Chalk({ level: 1 }).red('FAIL');
    expect(terminalSafe(`${red}\n\tok`)).toBe(`${red}\n\tok`);
    const out = terminalSafe(`${CLEAR}${OSC52}${C1_CSI}\u001b[?1049h\r\ud800😀`);
    expect(out).not.toMatch(RAW);
    expect(out).toBe('\\x1b[2J\\x1b]52;c;cm0gLXJmIH4K\\x07\\u009b2J\\x1b[?1049h\\r\\ud800😀');
  });
});

describe('reports of checks', () => {
  const report: CheckReport = {
    index: 0, name: `evil${CLEAR}${OSC52}`, kind: 'ping', from: 'a', status: 'fail', expected: 'reachable', observed: `x${C1_CSI}`,
    detail: `bytes\u0000${CLEAR}`, attempts: 1, durationMs: 3, diagnosis: { code: 'unknown', cause: `c${CLEAR}`, evidence: [`e${OSC52}`], fix: `f${C1_CSI}` },
  } as CheckReport;

  it('verify shows a check name, detail and diagnosis without raw controls', () => {
    const lines = humanCheckLines(report, new Chalk({ level: 0 }));
    for (const line of lines) expect(line).not.toMatch(RAW);
    expect(lines[0]).toContain('evil\\x1b[2J\\x1b]52;c;');
  });

  it('JUnit escapes them too (a terminal showing the file would act on C1)', () => {
    expect(xmlText(`n${CLEAR}${C1_CSI}\u007f`)).toBe('n\\x1b[2J\\u009b2J\\u007f');
    expect(xmlText('a\nb\tc & <d>')).toBe('a\nb\tc &amp; &lt;d&gt;');
  });
});
