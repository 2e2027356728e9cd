import { describe, expect, it } from 'vitest';
import { parseLab } from '../../src/load/read-lab.js';
import { loadLab } from '../../src/lab/load-lab.js';
import { LabValidationError, type Diagnostic } from '../../src/errors.js';
import { FILE_NAMES, firstNonText } from '../../src/schema/files.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Issue 11, finding 1: `ip netns exec` bind-mounts every file of /etc/netns/<ns>/ over /etc, so a
// lab may write only the files the notes teach (hosts, resolv.conf), and only text into them.

function diagnostics(text: string): Diagnostic[] {
  try {
    parseLab(text, 'lab.yaml');
    return [];
  } catch (error) {
    if (error instanceof LabValidationError) return [...error.diagnostics];
    throw error;
  }
}

const labWithFile = (name: string, content = 'x\n') => `name: files\nnodes:\n  red:\n    files:\n      ${JSON.stringify(name)}: ${JSON.stringify(content)}\n`;

/** Every /etc file a lab once could replace for root programs in its node, and paths out of /etc/netns. */
const DANGEROUS = [
  'nsswitch.conf', 'ld.so.preload', 'ld.so.cache', 'ld.so.conf', 'bash.bashrc', 'profile', 'environment', 'passwd', 'shadow', 'group',
  'sudoers', 'gai.conf', 'host.conf', 'localtime', 'inputrc', 'shells', 'security', 'pam.d', 'ssl', 'services', 'protocols', 'hostname',
  'hosts.allow', 'resolv.conf.d', 'Hosts', 'HOSTS', 'hosts ', ' hosts', 'hosts\n', 'hosts.', '.hosts', '../x', 'hosts/../../x', '..', '.', '',
  '/etc/passwd', 'resolv.conf/', 'constructor', 'toString',
];

describe('files: an allow-list of names', () => {
  it('allows exactly hosts and resolv.conf', () => {
    expect([...FILE_NAMES]).toEqual(['hosts', 'resolv.conf']);
    for (const name of FILE_NAMES) expect(diagnostics(labWithFile(name)), name).toEqual([]);
  });

  it.each(DANGEROUS)('refuses %j at the key, naming the field, with a hint listing the allowed names', (name) => {
    const found = diagnostics(labWithFile(name));
    expect(found, JSON.stringify(found)).toHaveLength(1);
    const [d] = found;
    // at the key itself (an empty key has no text of its own: at its value, on the same line)
    expect(`${d?.line}:${d?.col}`).toBe(name === '' ? '5:11' : '5:7');
    expect(d?.path).toMatch(/^nodes\.red\.files[.[]/);
    expect(d?.message).toMatch(/^netlab does not write \/etc\/netns\/<node>\//);
    expect(d?.hint).toContain('hosts or resolv.conf');
  });

  it('refuses a dangerous name brought in by a variant patch, at the patch', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'netlab-files-')), 'lab.yaml');
    writeFileSync(file, 'name: files\nnodes:\n  red: {}\nvariants:\n  evil:\n    description: x\n    patch:\n      nodes: { red: { files: { bash.bashrc: "touch /tmp/x\\n" } } }\n');
    try {
      loadLab(file, { variant: 'evil' });
      expect.unreachable('the variant was accepted');
    } catch (error) {
      const [d] = (error as LabValidationError).diagnostics;
      expect(d?.path).toBe('variants.evil.patch.nodes.red.files.bash.bashrc');
      expect(d?.line).toBe(8);
      expect(d?.message).toContain('netlab does not write /etc/netns/<node>/bash.bashrc');
    }
  });
});

describe('files: contents are text', () => {
  it('keeps tabs, line feeds, quotes, backslashes, shell syntax and any printable Unicode', () => {
    const ok = ["a\tb\n", "it's \"x\" \\ $(touch /tmp/pwned) `id` ${x}\nEOF\n", 'ünïcode 日本 🙂\n', '', 'no newline at end', '\u00a0\u2028'];
    for (const content of ok) expect(diagnostics(labWithFile('hosts', content)), JSON.stringify(content)).toEqual([]);
  });

  it.each([
    ['NUL after an EOF line', 'a\nEOF\u0000\ntouch /tmp/pwned\n', 'U+0000 at line 2, column 4'],
    ['escape (terminal control)', 'x\u001b[2J\n', 'U+001B at line 1, column 2'],
    ['carriage return', '127.0.0.1 localhost\r\n', 'U+000D at line 1, column 20'],
    ['bell', '\u0007', 'U+0007 at line 1, column 1'],
    ['DEL', 'a\u007f', 'U+007F at line 1, column 2'],
    ['a C1 control (CSI)', '\u009b31m', 'U+009B at line 1, column 1'],
    ['a lone surrogate (no UTF-8 bytes)', 'a\ud800b', 'U+D800 at line 1, column 2'],
    ['a lone low surrogate', '\udc00', 'U+DC00 at line 1, column 1'],
  ])('refuses %s with a position', (_what, content, where) => {
    const [d, ...rest] = diagnostics(labWithFile('hosts', content));
    expect(rest).toEqual([]);
    expect(d?.path).toBe('nodes.red.files.hosts');
    expect(`${d?.line}:${d?.col}`).toBe('5:16');
    expect(d?.message).toContain(where);
  });

  it('refuses the same in an http service body', () => {
    const [d] = diagnostics('name: b\nnodes:\n  red:\n    services:\n      - http: { body: "a\\u001b]0;owned\\u0007" }\n');
    expect(d?.path).toBe('nodes.red.services[0].http.body');
    expect(d?.message).toContain('U+001B');
  });

  it('firstNonText agrees with a character-by-character definition on random strings', () => {
    const bad = (c: number) => (c < 0x20 && c !== 0x09 && c !== 0x0a) || (c >= 0x7f && c <= 0x9f);
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pool = [0x00, 0x09, 0x0a, 0x0d, 0x1b, 0x20, 0x27, 0x41, 0x5c, 0x7f, 0x80, 0x9f, 0xa0, 0xe9, 0x65e5, 0xd800, 0xdc00, 0xfffd];
    for (let i = 0; i < 2000; i++) {
      const units = Array.from({ length: Math.floor(random() * 12) }, () => pool[Math.floor(random() * pool.length)] as number);
      const text = String.fromCharCode(...units);
      const lone = units.some((u, k) => (u >= 0xd800 && u <= 0xdbff && !((units[k + 1] ?? 0) >= 0xdc00 && (units[k + 1] ?? 0) <= 0xdfff)) || (u >= 0xdc00 && u <= 0xdfff && !((units[k - 1] ?? 0) >= 0xd800 && (units[k - 1] ?? 0) <= 0xdbff)));
      const expected = units.some(bad) || lone;
      expect(firstNonText(text) !== undefined, JSON.stringify(text)).toBe(expected);
    }
  });
});
