import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

// The hostile-input corpus (test/hostile/<class>/<name>.yaml). Each file starts with comment lines:
//   # attack: what it tries and what would go wrong
//   # expect: refused | harmless
//   # error: a substring of the expected error (refused only)
//   # repeat: NAME COUNT TEXT     (optional, any number) the marker <<NAME>> in the body becomes TEXT
//                                 COUNT times; in TEXT, {i} is the index, {i/K} and {i%K} divide it,
//                                 {spaces} is i spaces, \n a newline and \x20 a space
// so that a huge input is a few lines in the repository.

export const CORPUS_DIR = join(import.meta.dirname, '..', 'hostile');

export interface CorpusEntry {
  /** class/name.yaml */
  readonly name: string;
  readonly source: string;
  readonly attack?: string;
  readonly expect?: 'refused' | 'harmless';
  readonly error?: string;
  /** what is wrong with the header, if anything */
  readonly headerProblem?: string;
  readonly text: string;
}

export function corpusFiles(dir = CORPUS_DIR): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...corpusFiles(path));
    else if (entry.name.endsWith('.yaml') || entry.name.endsWith('.yml')) found.push(path);
  }
  return found.sort();
}

function expand(template: string, i: number): string {
  return template
    .replace(/\{i\/(\d+)\}/g, (_, k: string) => String(Math.floor(i / Number(k))))
    .replace(/\{i%(\d+)\}/g, (_, k: string) => String(i % Number(k)))
    .replace(/\{i\}/g, String(i))
    .replace(/\{spaces\}/g, ' '.repeat(i))
    .replace(/\\n/g, '\n')
    .replace(/\\x20/g, ' ');
}

export function readCorpusEntry(file: string): CorpusEntry {
  const source = readFileSync(file, 'utf8');
  const header = new Map<string, string[]>();
  for (const line of source.split('\n')) {
    const m = /^#\s*(attack|expect|error|repeat):\s?(.*)$/.exec(line);
    if (!m) {
      if (line.startsWith('#')) continue;
      break;
    }
    header.set(m[1] as string, [...(header.get(m[1] as string) ?? []), m[2] as string]);
  }
  const one = (key: string) => header.get(key)?.[0]?.trim();
  const attack = one('attack');
  const expect = one('expect');
  const error = one('error');
  let text = source;
  for (const spec of header.get('repeat') ?? []) {
    const m = /^(\w+) (\d+) (.*)$/.exec(spec);
    if (!m) continue;
    const [, marker, count, template] = m as unknown as [string, string, string, string];
    const parts: string[] = [];
    for (let i = 0; i < Number(count); i++) parts.push(expand(template, i));
    text = text.split(`<<${marker}>>`).join(parts.join(''));
  }
  const headerProblem = !attack ? 'no "# attack:" line'
    : expect !== 'refused' && expect !== 'harmless' ? '"# expect:" must be refused or harmless'
      : expect === 'refused' && !error ? 'a refused entry needs "# error:"'
        : undefined;
  return {
    name: relative(CORPUS_DIR, file),
    source,
    text,
    ...(attack ? { attack } : {}),
    ...(expect === 'refused' || expect === 'harmless' ? { expect } : {}),
    ...(error ? { error } : {}),
    ...(headerProblem ? { headerProblem } : {}),
  };
}

/** The entry as a file netlab reads (generated parts expanded), under dir, keeping its class/name. */
export function materialize(entry: CorpusEntry, dir: string): string {
  const path = join(dir, entry.name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, entry.text);
  return path;
}
