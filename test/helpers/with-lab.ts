import { expect } from 'vitest';
import { leftovers, netlab, tempStateDir, uniquePrefix } from './cli.js';

/** Up a lab with a prefix and a state directory of its own, run `body`, down it, and assert nothing is left. */
export async function withLab(lab: string, body: (prefix: string, stateDir: string) => Promise<void>): Promise<void> {
  const stateDir = tempStateDir();
  const prefix = uniquePrefix();
  const up = await netlab(['up', lab, '--prefix', prefix], { stateDir });
  try {
    expect(up.exitCode, up.stderr).toBe(0);
    await body(prefix, stateDir);
  } finally {
    const down = await netlab(['down', lab, '--prefix', prefix], { stateDir });
    expect(down.exitCode, down.stderr).toBe(0);
  }
  expect(await leftovers(prefix, stateDir)).toEqual([]);
}
