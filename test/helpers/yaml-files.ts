import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every .yaml/.yml file under dir, depth first: the lab texts the parser referees run over. */
export function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return name.endsWith('.yaml') || name.endsWith('.yml') ? [path] : [];
  });
}
