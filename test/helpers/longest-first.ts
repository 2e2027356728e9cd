import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The order the workers take test files in: vitest's (unit before integration), then inside each project
// the longest files first, by their seconds in test/suite-durations.json (measured: `node
// scripts/suite-durations.mjs REPORT.json`). Without it vitest puts files of unknown duration (all of
// them on a fresh machine, as CI is) in order of size, and a short file that runs for minutes (the
// hostile corpus: 45 lines, 250 s) started last and ran alone at the end. A file not in the table
// counts as UNKNOWN_S: new files start neither first nor last.
const UNKNOWN_S = 20;
const SECONDS: Record<string, number> = JSON.parse(readFileSync(new URL('../suite-durations.json', import.meta.url), 'utf8'));

export const secondsOf = (file: string): number => SECONDS[basename(file)] ?? UNKNOWN_S;

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const projects = new Map<string, TestSpecification[]>();
    for (const spec of await super.sort(files)) projects.set(spec.project.name, [...(projects.get(spec.project.name) ?? []), spec]);
    // Array.prototype.sort is stable: equal seconds keep vitest's order
    return [...projects.values()].flatMap((specs) => specs.sort((a, b) => secondsOf(b.moduleId) - secondsOf(a.moduleId)));
  }
}
