import { describe, expect, it } from 'vitest';
import { restoreLine, restoreToken } from '../../src/render/restore-line.js';

describe('iptables-restore words', () => {
  it('writes plain words bare', () => {
    expect(restoreLine(['-A', 'KUBE-SVC-X', '!', '-s', '10.0.0.0/8', '--set-xmark', '0x4000/0x4000'])).toBe('-A KUBE-SVC-X ! -s 10.0.0.0/8 --set-xmark 0x4000/0x4000');
  });

  it('escapes a backslash, so a word that ends in one cannot escape its closing quote', () => {
    expect(restoreToken('x y\\')).toBe('"x y\\\\"');
    expect(restoreToken('a"b')).toBe('"a\\"b"');
    expect(restoreToken('')).toBe('""');
    expect(restoreToken("it's")).toBe('"it\'s"');
  });

  it('refuses a line break or NUL, which would end the rule', () => {
    expect(() => restoreToken('a\nCOMMIT')).toThrow();
    expect(() => restoreToken('a\0')).toThrow();
  });
});
