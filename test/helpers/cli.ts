import { execa } from 'execa';
import { mkdtempSync, readdirSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const NETLAB = join(ROOT, 'bin', 'netlab');
export const IS_ROOT = process.getuid?.() === 0;

/** A state directory of the test's own, so tests never see the user's running labs. */
export function tempStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'netlab-test-'));
}

/** A unique namespace prefix per test ("t" + 6 hex + "-"). */
export function uniquePrefix(): string {
  return `t${randomBytes(3).toString('hex')}-`;
}

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `input`: netlab's standard input (a pipe, not a terminal); without it, none. */
export async function netlab(args: readonly string[], options: { stateDir?: string; env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  const r = await execa(NETLAB, args, {
    reject: false,
    ...(options.input !== undefined ? { input: options.input } : {}),
    env: { NO_COLOR: '1', ...(options.stateDir ? { NETLAB_STATE_DIR: options.stateDir } : {}), ...options.env },
  });
  return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Everything a lab with this prefix could leave behind; empty means clean. */
export async function leftovers(prefix: string, stateDir: string): Promise<string[]> {
  const found: string[] = [];
  const netns = existsSync('/run/netns') ? readdirSync('/run/netns') : [];
  found.push(...netns.filter((n) => n.startsWith(prefix)).map((n) => `namespace ${n}`));
  const etc = existsSync('/etc/netns') ? readdirSync('/etc/netns') : [];
  found.push(...etc.filter((n) => n.startsWith(prefix)).map((n) => `/etc/netns/${n}`));
  found.push(...processesOf(stateDir).map((p) => `process ${p}`));
  const state = existsSync(stateDir) ? readdirSync(stateDir).filter((f) => !f.endsWith('.lock')) : [];
  found.push(...state.map((f) => `state ${f}`));
  return found;
}

/** Processes started by a netlab that used this state directory (they inherit NETLAB_STATE_DIR). */
export function processesOf(stateDir: string): string[] {
  const mark = `NETLAB_STATE_DIR=${stateDir}\0`;
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'utf8').includes(mark)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
