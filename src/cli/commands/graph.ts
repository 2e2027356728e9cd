import { writeFileSync } from 'node:fs';
import { loadLab } from '../../lab/load-lab.js';
import { GRAPH_FORMATS, renderGraph, type GraphFormat } from '../../graph/render.js';
import { UsageError } from '../../errors.js';
import { out } from '../output.js';

export async function run(ref: string, opts: { format: string; prefix?: string; output?: string; json?: boolean }): Promise<number> {
  const format = (opts.json ? 'json' : opts.format) as GraphFormat;
  if (!GRAPH_FORMATS.includes(format)) throw new UsageError(`unknown format "${opts.format}"`, `use --format ${GRAPH_FORMATS.join(', ')}`);
  const { lab } = loadLab(ref, { prefix: opts.prefix });
  const text = renderGraph(lab, format);
  if (opts.output) writeFileSync(opts.output, text);
  else out(text);
  return 0;
}
