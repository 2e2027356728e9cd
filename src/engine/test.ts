import { readdirSync } from 'node:fs';
import { LABS_DIR } from '../paths.js';
import { listVariants, loadLab } from '../lab/load-lab.js';
import { requireRoot, requireTools } from '../exec/preflight.js';
import { runLimited } from '../exec/limit.js';
import type { Context } from './context.js';
import { testOne, type TestEntry, type TestOutcome } from './test-one.js';
import { testCost } from './test-schedule.js';

export { userLoadsOnly, type TestEntry, type TestOutcome } from './test-one.js';
export { defaultTestJobs, testCost } from './test-schedule.js';

export interface TestRequest {
  readonly labs: readonly string[];
  readonly all?: boolean;
  readonly variants?: boolean;
  readonly onlyVariant?: string;
}

export interface TestRun {
  readonly entries: readonly TestEntry[];
  /** in the order of entries */
  readonly outcomes: readonly TestOutcome[];
  readonly aborted: boolean;
}

/** The labs (and variants) to test; invalid input fails the whole command (exit 2) before anything is built. */
export function testEntries(request: TestRequest): TestEntry[] {
  const refs = request.all ? readdirSync(LABS_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length)).sort() : request.labs;
  const entries: TestEntry[] = [];
  for (const ref of refs) {
    const cost = testCost(loadLab(ref).lab);
    const entryOf = (v: { name: string; failsWith?: string }): TestEntry => ({ ref, variant: v.name, cost, ...(v.failsWith ? { failsWith: v.failsWith } : {}) });
    if (request.onlyVariant !== undefined) {
      const v = listVariants(ref).find((x) => x.name === request.onlyVariant);
      entries.push(v ? entryOf(v) : { ref, cost });
      continue;
    }
    entries.push({ ref, cost });
    if (request.variants) for (const v of listVariants(ref)) entries.push(entryOf(v));
  }
  return entries;
}

/**
 * `test`: up -> verify -> down for each entry, `jobs` at a time, each with a prefix of its own.
 * Labs side by side share this process: an abort stops new ones and each in flight is undone or taken down.
 */
export async function test(ctx: Context, entries: readonly TestEntry[], jobs: number, signal: AbortSignal, onOutcome: (o: TestOutcome) => void): Promise<TestRun> {
  requireRoot('test');
  requireTools(['ip']);
  const outcomes: TestOutcome[] = [];
  // the longest first; equal costs keep the order they were named in (sort is stable)
  const schedule = [...entries].sort((a, b) => (b.cost ?? 0) - (a.cost ?? 0));
  await runLimited(schedule, jobs, async (entry) => {
    const outcome = await testOne(ctx, entry, signal);
    outcomes.push(outcome);
    onOutcome(outcome);
  }, () => signal.aborted);
  const order = (o: TestOutcome) => entries.indexOf(o.entry);
  outcomes.sort((a, b) => order(a) - order(b));
  return { entries, outcomes, aborted: signal.aborted };
}
