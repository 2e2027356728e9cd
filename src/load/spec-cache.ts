import { createRequire } from 'node:module';
import { existsSync, statSync } from 'node:fs';
import { readEntry as readFile, writeEntry as writeFile } from './spec-cache-file.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from '../paths.js';

// The validated lab of a file netlab has read before (issue 17): `up`, `verify` and `down` of the
// same file read it again and again, and parsing plus validating a 200-node lab costs more than Node's
// own start. Only labs that passed every check are stored, so an error is never served from here:
// a changed or invalid file misses, takes the full path, and keeps its exact file:line:col.
//
// Where: dist/.spec-cache, next to the compile cache bin/netlab keeps in dist/ and for the same reason:
// whoever can write there could already change netlab itself. Not the state directory: down leaves
// nothing there. A file is used only when it, and the directory, belong to the user running netlab
// and nobody else can write them (root never trusts a file another user wrote).

export interface CachedLab {
  /** the file's data before validation (what the fast path or `yaml` read) */
  readonly raw: unknown;
  /** the schema's output for it */
  readonly spec: unknown;
}

let DIR = join(PACKAGE_ROOT, 'dist', '.spec-cache');
let enabled = false;

// loaded on first use: every command turns the cache on, and `down` or `status` never read a lab file
const load = createRequire(import.meta.url);
const crypto = () => load('node:crypto') as typeof import('node:crypto');

let build: string | null | undefined;

/**
 * The CLI turns the cache on (NETLAB_SPEC_CACHE=0 keeps it off); library callers read every file in
 * full. Tests name a directory and a build of their own.
 */
export function enableSpecCache(on = true, test?: { dir: string; build: string; euid?: number }): void {
  enabled = on && process.env.NETLAB_SPEC_CACHE !== '0';
  if (test) {
    DIR = test.dir;
    build = test.build;
    testEuid = test.euid;
  }
}

/** a test's stand-in for the user running netlab (files it owns then belong to "another user") */
let testEuid: number | undefined;

/**
 * What makes a stored result stale besides the text: this build of netlab and V8's serialization
 * format. The build is what `npm run build` rewrites every time, whichever file this code was loaded
 * from (the chunked bundle, up's own single-file bundles or tsc's dist/ itself: they must agree, as
 * `up` reads back what `plan` or an earlier `up` stored): tsc's dist/cli/main.js and the bundle's
 * dist/bundle/main.js (inode, mtime, size). Run from src/ (tests, tsx) there is no build to tell
 * schema edits apart: no cache.
 */
function buildId(): string | null {
  if (build !== undefined) return build;
  try {
    if (!/\.c?js$/.test(fileURLToPath(import.meta.url))) return (build = null);
    const stamp = (path: string) => {
      const st = statSync(path, { throwIfNoEntry: false });
      return st === undefined ? '-' : `${st.ino}\0${st.mtimeMs}\0${st.size}`;
    };
    const compiled = join(PACKAGE_ROOT, 'dist', 'cli', 'main.js');
    if (!existsSync(compiled)) return (build = null);
    build = `${PACKAGE_ROOT}\0${stamp(compiled)}\0${stamp(join(PACKAGE_ROOT, 'dist', 'bundle', 'main.js'))}\0${process.versions.v8}`;
  } catch {
    build = null;
  }
  return build;
}

/** What is stored: the validated spec of a text, the resolved lab of a text with a prefix, up's compiled plan of it or of any prefix (a template)... */
type Kind = 'spec' | `lab:${string}` | `up:${string}` | 'up-template' | `plan-text:${string}` | `probe:${string}`;

function keyOf(kind: Kind, text: string): string | undefined {
  const id = enabled ? buildId() : null;
  return id === null ? undefined : crypto().createHash('sha256').update(id).update('\0').update(kind).update('\0').update(text).digest('hex');
}

const euid = () => testEuid ?? process.geteuid?.() ?? 0;

/** a directory or file only this user can change */
function ownedHere(st: { uid: number; mode: number }): boolean {
  return st.uid === euid() && (st.mode & 0o022) === 0;
}

/** The stored result for this exact text, or undefined (never an error: a miss takes the full path). */
export function cachedLab(text: string): CachedLab | undefined {
  const entry = readEntry(keyOf('spec', text)) as { raw?: unknown; spec?: unknown } | undefined;
  return entry?.spec === undefined ? undefined : { raw: entry.raw, spec: entry.spec };
}

/**
 * The resolved lab (the model, with its facts) of this exact text under this prefix, stored by
 * storeResolvedLab once it resolved without a problem: resolving and checking a 200-node lab again
 * costs about 15 ms of CPU, reading it back under 1 ms (issue 17). Only for labs without a variant.
 */
export function cachedResolvedLab(text: string, prefix: string): unknown {
  return (readEntry(keyOf(`lab:${prefix}`, text)) as { lab?: unknown } | undefined)?.lab;
}

export function storeResolvedLab(text: string, prefix: string, lab: unknown): void {
  writeEntry(keyOf(`lab:${prefix}`, text), () => ({ lab }));
}

/**
 * up's compiled plan of this exact text under this prefix, with the resolved lab it was compiled from
 * (one entry: the plan's steps share the lab's objects), stored by storeUpPlan after `up` compiled it.
 * The plan is a function of the lab alone and the key names this build, so it is the plan `netlab
 * plan` prints for that lab; a second `up` then loads neither the resolver nor the compiler (issue 17).
 */
export function cachedUpPlan(text: string, prefix: string): { lab: unknown; plan: unknown } | undefined {
  const entry = readEntry(keyOf(`up:${prefix}`, text)) as { lab?: unknown; plan?: unknown } | undefined;
  return entry?.lab === undefined || entry.plan === undefined ? undefined : { lab: entry.lab, plan: entry.plan };
}

export function storeUpPlan(text: string, prefix: string, lab: unknown, plan: unknown): void {
  writeEntry(keyOf(`up:${prefix}`, text), () => ({ lab, plan }));
}

/**
 * up's lab and plan of this exact text under a stand-in prefix, proved to be those of any prefix with
 * the stand-in spelled as it (engine/prefix-template.ts): `up` under a new prefix reads them instead
 * of resolving and compiling (issue 17). One entry per text, whatever the prefixes.
 */
export function cachedUpTemplate(text: string): { lab: unknown; plan: unknown } | undefined {
  const entry = readEntry(keyOf('up-template', text)) as { lab?: unknown; plan?: unknown } | undefined;
  return entry?.lab === undefined || entry.plan === undefined ? undefined : { lab: entry.lab, plan: entry.plan };
}

export function storeUpTemplate(text: string, lab: unknown, plan: unknown): void {
  writeEntry(keyOf('up-template', text), () => ({ lab, plan }));
}

/**
 * What `netlab plan LAB` (text, no variant) printed for this exact text under this prefix: the plan is
 * a function of the lab alone, and the key names this build, so a second `plan` of the file prints it
 * again without loading the CLI, the resolver or the compiler (cli/plan-fast.ts, issue 17).
 */
export function cachedPlanText(text: string, prefix: string): string | undefined {
  const printed = readEntry(keyOf(`plan-text:${prefix}`, text))?.printed;
  return typeof printed === 'string' ? printed : undefined;
}

export function storePlanText(text: string, prefix: string, printed: string): void {
  writeEntry(keyOf(`plan-text:${prefix}`, text), () => ({ printed }));
}

/**
 * What a probe of this machine answered (`iptables -V`...), stored under `identity`: whatever makes
 * the answer stale (the boot, the probed programs' files), which the caller spells out in full.
 */
export function cachedProbe(name: string, identity: string): unknown {
  return readEntry(keyOf(`probe:${name}`, identity))?.answer;
}

export function storeProbe(name: string, identity: string, answer: unknown): void {
  writeEntry(keyOf(`probe:${name}`, identity), () => ({ answer }));
}

/** Store a lab that passed every check. Best effort: a read-only install just reads in full next time. */
export function storeLab(text: string, lab: () => CachedLab): void {
  writeEntry(keyOf('spec', text), () => {
    const { raw, spec } = lab();
    return { raw, spec };
  });
}


const readEntry = (key: string | undefined) => readFile(DIR, ownedHere, key);
const writeEntry = (key: string | undefined, payload: () => Record<string, unknown>) => writeFile(DIR, ownedHere, key, payload);
