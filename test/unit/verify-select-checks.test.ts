import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { selectChecks } from '../../src/cli/select-checks.js';
import { UsageError } from '../../src/errors.js';

describe('verify --check', () => {
  const { lab } = loadLab('red-blue-bridge');
  const first = lab.checks[0];
  const third = lab.checks[2];

  it('selects the named checks by their index, in the lab\'s order', () => {
    expect(first && third).toBeTruthy();
    expect([...selectChecks(lab.checks, [third!.name, first!.name])].sort()).toEqual([first!.index, third!.index].sort());
  });

  it('refuses an unknown name with a usage error that suggests the near one', () => {
    const typo = first!.name.slice(0, -1);
    let error: unknown;
    try {
      selectChecks(lab.checks, [typo]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain(JSON.stringify(typo));
    expect((error as UsageError).hint).toContain(`did you mean "${first!.name}"`);
  });
});
