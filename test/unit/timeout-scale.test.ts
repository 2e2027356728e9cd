import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { twoNodeChecks } from '../helpers/two-node-checks.js';
import { answerWait, probeCommand, withinWait } from '../../src/verify/probes.js';
import { parseTimeoutScale, setTimeoutScale } from '../../src/timeout-scale.js';
import { UsageError } from '../../src/errors.js';

// Issue 12: under QEMU without KVM (the VM referee) netlab's own waits for its processes grow by
// NETLAB_TIMEOUT_SCALE, and so does a check's wait for an answer; a wait for silence does not.

const checks = () =>
  twoNodeChecks('scale', `
  - ping: { from: a, to: 10.0.0.2, timeout: 3 }
  - tcp: { from: a, to: 10.0.0.2, port: 80, timeout: 4 }
  - http: { from: a, url: "http://10.0.0.2/", timeout: 5 }
  - route: { from: a, to: 10.0.0.2, dev: eth0 }
  - capture: { node: a, interface: eth0, filter: icmp, timeout: 2, while: { ping: { from: a, to: 10.0.0.2 } } }
`);

afterEach(() => setTimeoutScale(1));

describe('NETLAB_TIMEOUT_SCALE', () => {
  it('is 1 unset or empty, and takes a number from 1 to 100', () => {
    expect(parseTimeoutScale(undefined)).toBe(1);
    expect(parseTimeoutScale('')).toBe(1);
    expect(parseTimeoutScale('10')).toBe(10);
    expect(parseTimeoutScale('2.5')).toBe(2.5);
    for (const bad of ['0', '0.5', '101', 'abc', '1e3', '-2', '10s', 'Infinity', 'NaN']) {
      expect(() => parseTimeoutScale(bad), bad).toThrow(UsageError);
    }
  });

  it('grows the process timeouts of every probe by the factor', () => {
    const one = checks().map((c) => probeCommand(c).timeoutMs);
    setTimeoutScale(10);
    const ten = checks().map((c) => probeCommand(c).timeoutMs);
    // ping: count 1 x (3 + 0.2) + 5 s; capture: its ping trigger (1 x 1.2 + 5 s) + linger 2 s + 15 s
    expect(one).toEqual([8200, 14000, 15000, 5000, 6200 + 2000 + 15000]);
    expect(ten).toEqual(one.map((ms) => (ms as number) * 10));
  });

  it('grows the wait for an expected answer, never the wait for expected silence', () => {
    setTimeoutScale(10);
    const [ping, tcp, http, , capture] = checks().map((c) => probeCommand(c).argv);
    expect(ping?.slice(ping.indexOf('-W'), ping.indexOf('-W') + 2)).toEqual(['-W', '30']);
    expect(tcp?.at(-1)).toBe('40000');
    expect(http?.at(-1)).toBe('50000');
    const job = JSON.parse(capture?.at(-1) as string) as { lingerMs: number; listenMs: number; stopMs: number };
    expect(job).toMatchObject({ lingerMs: 20000, listenMs: 50000, stopMs: 20000 });
    const silent = [
      { timeout: 3, expect: 'no-reply' }, { timeout: 4, expect: 'timeout' }, { timeout: 2, expect: 'not-seen' },
    ].map(answerWait);
    expect(silent).toEqual([3, 4, 2]);
    expect([{ timeout: 2, expect: 'refused' }, { timeout: 2, expect: 'nxdomain' }, { timeout: 1.5, expect: 'reply' }].map(answerWait)).toEqual([20, 20, 15]);
  });

  it('grows within for a state that is expected to come, never for expected absence', () => {
    expect(withinWait({ within: 5, expect: 'learned' })).toBe(5);
    expect(withinWait({ expect: 'learned' })).toBeUndefined();
    setTimeoutScale(10);
    expect(withinWait({ within: 5, expect: 'learned' })).toBe(50);
    expect(withinWait({ within: 5, expect: 'reply' })).toBe(50);
    expect(withinWait({ within: 5, expect: 'absent' })).toBe(5);
    expect(withinWait({ within: 5, expect: 'no-reply' })).toBe(5);
  });

  it('at the default factor 1 every wait is the lab\'s', () => {
    const [ping, tcp, http] = checks().map((c) => probeCommand(c).argv);
    expect(ping?.slice(ping.indexOf('-W'), ping.indexOf('-W') + 2)).toEqual(['-W', '3']);
    expect(tcp?.at(-1)).toBe('4000');
    expect(http?.at(-1)).toBe('5000');
  });

  it('a bad value is a usage error at the CLI edge: exit 2, the variable named, no stack', () => {
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'netlab');
    const r = spawnSync(bin, ['labs'], { encoding: 'utf8', env: { ...process.env, NETLAB_TIMEOUT_SCALE: 'fast' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('NETLAB_TIMEOUT_SCALE="fast" is not a number from 1 to 100');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
