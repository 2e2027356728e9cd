import { describe, expect, it } from 'vitest';
import type { TestSpecification, Vitest } from 'vitest/node';
import { LongestFirst, secondsOf } from '../helpers/longest-first.js';

// The integration suite's order (test/helpers/longest-first.ts): vitest's project order kept, the longest files first inside each.
const spec = (project: string, file: string, groupOrder: number) =>
  ({ project: { name: project, config: { sequence: { groupOrder }, isolate: true } }, moduleId: `/repo/test/${project}/${file}` }) as unknown as TestSpecification;
const noCache = { cache: { getFileTestResults: () => undefined, getFileStats: () => undefined }, config: { root: '/repo' } } as unknown as Vitest;

describe('the longest-first sequencer', () => {
  it('keeps unit before integration and takes each project\'s longest files first, by the measured table', async () => {
    expect(secondsOf('labs-b.test.ts')).toBeGreaterThan(secondsOf('doctor.test.ts'));
    expect(secondsOf('doctor.test.ts')).toBeGreaterThan(secondsOf('sysctl-keys.test.ts'));
    expect(secondsOf('a-file-not-measured.test.ts')).toBe(20);
    const names = ['sysctl-keys.test.ts', 'a-file-not-measured.test.ts', 'doctor.test.ts', 'labs-b.test.ts', 'hostile-corpus-2.test.ts'];
    const files = [spec('unit', 'y.test.ts', 0), ...names.map((n) => spec('integration', n, 1)), spec('unit', 'x.test.ts', 0)];
    const sorted = (await new LongestFirst(noCache).sort(files)).map((s) => s.moduleId.replace('/repo/test/', ''));
    expect(sorted.slice(0, 2).sort()).toEqual(['unit/x.test.ts', 'unit/y.test.ts']);
    const seconds = sorted.slice(2).map(secondsOf);
    expect(seconds).toEqual([...seconds].sort((a, b) => b - a));
    expect(sorted.indexOf('integration/labs-b.test.ts')).toBeLessThan(sorted.indexOf('integration/doctor.test.ts'));
    expect(sorted.at(-1)).toBe('integration/sysctl-keys.test.ts');
  });
});
