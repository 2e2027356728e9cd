import { loadLab } from '../lab/load-lab.js';
import { labsMarkdown } from './render.js';

/** `netlab labs --graph`: every shipped lab's diagram on one markdown page. */
export async function printLabsPage(files: readonly string[]): Promise<number> {
  process.stdout.write(labsMarkdown(files.map((f) => loadLab(f).lab)));
  return 0;
}
