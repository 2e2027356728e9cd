import * as z from 'zod';
import { LabSchema } from '../../schema/index.js';
import { printJson } from '../output.js';
import { UsageError } from '../../errors.js';

export function labJsonSchema(): unknown {
  return z.toJSONSchema(LabSchema, { io: 'input', unrepresentable: 'any' });
}

export async function run(opts: { format?: string } = {}): Promise<number> {
  if (opts.format === 'markdown') {
    const { labFormatMarkdown } = await import('../../reference/lab-format.js');
    process.stdout.write(labFormatMarkdown(labJsonSchema()));
    return 0;
  }
  if (opts.format !== undefined && opts.format !== 'json') throw new UsageError(`unknown format "${opts.format}"`, 'use --format json or markdown');
  printJson(labJsonSchema());
  return 0;
}
