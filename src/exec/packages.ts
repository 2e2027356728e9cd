import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';

/** How much a tool matters; see the header of scripts/system-tools.tsv. */
export type Need = 'labs' | 'some-labs' | 'learner' | 'tests' | 'target';

export interface SystemTool {
  readonly tool: string;
  /** the Debian/Ubuntu package that provides it */
  readonly pkg: string;
  readonly need: Need;
  /** which commands or checks need it */
  readonly why: string;
}

export const SYSTEM_TOOLS_FILE = join(PACKAGE_ROOT, 'scripts', 'system-tools.tsv');

/** The one list (a TSV, so the shell scripts read it too). Pure: text in, entries out. */
export function parseSystemTools(text: string): SystemTool[] {
  return text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((line) => {
    const [tool = '', pkg = '', need = '', why = ''] = line.split('\t');
    return { tool, pkg, need: need as Need, why };
  });
}

let cached: SystemTool[] | undefined;

/** Read once, when first needed (an error hint, the doctor): netlab's start does not pay for it. */
export function systemTools(): readonly SystemTool[] {
  if (!cached) {
    try {
      cached = parseSystemTools(readFileSync(SYSTEM_TOOLS_FILE, 'utf8'));
    } catch {
      cached = [];
    }
  }
  return cached;
}

/** The Debian/Ubuntu package that provides a tool netlab runs, for "install it" hints. */
export function packageFor(tool: string): string {
  const name = tool.slice(tool.lastIndexOf('/') + 1);
  return systemTools().find((t) => t.tool === name)?.pkg ?? name;
}
