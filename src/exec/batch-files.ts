import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Executor, RunResult } from './executor.js';
import type { Batch } from '../render/batches.js';

/**
 * The files batches read (runners' per-namespace batches), in the lab's log directory, removed with
 * its state. They are written in the background while the first phases wait on the kernel (starting
 * on the next turn of the event loop, once the first phase's process is spawned), and removed after
 * their batch. Plain synchronous calls: for 200 small files, fs/promises' open, write and close through
 * the thread pool cost 15-24 ms of CPU against 8 (issue 17), and nothing else waits on the loop then.
 */
export class BatchFiles {
  private readonly written = new Map<Batch, Promise<void>>();
  private readonly pending = new Set<string>();

  constructor(batches: readonly Batch[]) {
    const withFiles = batches.filter((b) => b.files && b.files.length > 0);
    const dirsMade = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      for (const dir of new Set(withFiles.flatMap((b) => (b.files ?? []).map((f) => dirname(f.path))))) {
        try {
          mkdirSync(dir, { recursive: true });
        } catch {
          // the writes fail too, and their batch reports it
        }
      }
    });
    for (const batch of withFiles) {
      for (const f of batch.files ?? []) this.pending.add(f.path);
      const writes = dirsMade.then(() => {
        for (const f of batch.files ?? []) writeFileSync(f.path, f.content, { flag: 'wx', mode: 0o644 });
      });
      writes.catch(() => {}); // reported when the batch runs
      this.written.set(batch, writes);
    }
  }

  async run(batch: Batch, executor: Executor): Promise<RunResult> {
    const writes = this.written.get(batch);
    if (!writes) return executor.run(batch.command);
    try {
      await writes;
      return await executor.run(batch.command);
    } catch (error) {
      return { exitCode: 1, stdout: '', stderr: `cannot write the batch files: ${(error as Error).message}`, durationMs: 0 };
    } finally {
      this.remove((batch.files ?? []).map((f) => f.path));
    }
  }

  /** Wait for every write and removal; remove what was written for batches that never ran. */
  async removeAll(): Promise<void> {
    await Promise.allSettled([...this.written.values()]);
    this.remove([...this.pending]);
  }

  private remove(paths: readonly string[]): void {
    for (const path of paths) {
      this.pending.delete(path);
      try {
        unlinkSync(path);
      } catch {
        // never written (its write failed, or it was never reached), or already gone: as rm --force
      }
    }
  }
}
