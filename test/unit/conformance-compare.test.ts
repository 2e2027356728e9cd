import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ES module of the CI script
import { compare } from '../../scripts/ci/conformance/compare.mjs';
// @ts-expect-error plain ES module of the CI script
import { normalMac } from '../../scripts/ci/conformance/normalize.mjs';

const real = { host: { links: ['docker0 bridge'], 'iptables nat': ['-A POSTROUTING -j MASQUERADE', '-A DOCKER -j RETURN'] } };

describe('the conformance comparison', () => {
  it('passes when the lab is the same', () => {
    expect(compare('x', real, structuredClone(real), []).undeclared).toBe(0);
  });
  it('fails on an undeclared difference, and on rule order', () => {
    const lab = { host: { links: ['docker0 bridge'], 'iptables nat': ['-A DOCKER -j RETURN', '-A POSTROUTING -j MASQUERADE'] } };
    const result = compare('x', real, lab, []);
    expect(result.undeclared).toBe(1);
    expect(result.lines.join('\n')).toMatch(/DIFF {2}host iptables nat/);
  });
  it('a simplification declares only the object it names', () => {
    const lab = { host: { links: ['docker0 bridge', 'extra dummy'], 'iptables nat': [] } };
    const result = compare('x', real, lab, [{ what: 'host links: an extra link', why: 'because' }]);
    expect(result.undeclared).toBe(1);
    expect(result.lines.join('\n')).toMatch(/declared {2}host links/);
  });
  it('keeps Docker\'s IP-derived MACs and the 02:42 prefix, hides random ones', () => {
    expect(normalMac('02:42:ac:11:00:02')).toBe('02:42:ac:11:00:02');
    expect(normalMac('02:42:5e:1a:2b:3c')).toBe('02:42:<random>');
    expect(normalMac('96:b0:d8:16:43:cf')).toBe('<random>');
  });
});
