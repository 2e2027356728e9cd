import { describe, expect, it } from 'vitest';
import { defaultTestJobs, testCost } from '../../src/engine/test.js';
import { loadLab } from '../../src/lab/load-lab.js';

describe('netlab test: how many labs at once, and in which order they start', () => {
  it('runs 3 labs per CPU by default, at least 2 and at most 12', () => {
    expect(defaultTestJobs(1)).toBe(3);
    expect(defaultTestJobs(2)).toBe(6);
    expect(defaultTestJobs(64)).toBe(12);
    expect(defaultTestJobs(0)).toBe(2);
  });

  it('counts captures (one after another, each lingering) and services heavier than other checks', () => {
    const lab = (checks: string[], services = 0) => ({ checks: checks.map((kind) => ({ kind })), nodes: [{ services: Array.from({ length: services }) }] });
    expect(testCost(lab(['ping', 'ping']))).toBe(2);
    expect(testCost(lab(['ping', 'capture']))).toBe(10);
    expect(testCost(lab(['ping'], 2))).toBe(5);
    // a shipped lab with captures outranks one of the same size without
    expect(testCost(loadLab('pod-network-weave').lab)).toBeGreaterThan(testCost(loadLab('red-blue-veth').lab));
  });
});
