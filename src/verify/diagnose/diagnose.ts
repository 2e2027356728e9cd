import type { Lab } from '../../model/types.js';
import type { Executor } from '../../exec/executor.js';
import type { CheckResult } from '../run-checks.js';
import type { Diagnosis } from './diagnosis.js';

export async function diagnose(_lab: Lab, _result: CheckResult, _executor: Executor): Promise<Diagnosis | undefined> {
  return undefined;
}
