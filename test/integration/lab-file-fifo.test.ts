import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { IS_ROOT, NETLAB, tempStateDir } from '../helpers/cli.js';

const d = IS_ROOT ? describe : describe.skip;

// down, verify and status read a lab file only for its name, and used to read a FIFO forever.
d('a FIFO as the lab file, as root', () => {
  const fifo = join(mkdtempSync(join(tmpdir(), 'netlab-fifo-')), 'lab.yaml');
  execFileSync('mkfifo', [fifo]);

  it.each([['down'], ['verify'], ['status'], ['exec', 'a', '--', 'true']])('netlab %s FIFO exits 2 at once', async (command, ...rest) => {
    const r = await execa(NETLAB, [command, fifo, ...rest], { reject: false, timeout: 20_000, env: { NO_COLOR: '1', NETLAB_STATE_DIR: tempStateDir() } });
    expect(r.timedOut).toBe(false);
    expect(String(r.stderr)).toContain('is not a regular file');
    expect(r.exitCode).toBe(2);
  });
});
