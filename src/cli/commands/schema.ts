import { z } from 'zod';
import { LabSchema } from '../../schema/index.js';
import { printJson } from '../output.js';

export function labJsonSchema(): unknown {
  return z.toJSONSchema(LabSchema, { io: 'input', unrepresentable: 'any' });
}

export async function run(): Promise<number> {
  printJson(labJsonSchema());
  return 0;
}
