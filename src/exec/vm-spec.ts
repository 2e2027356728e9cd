// What the local netlab asks of the VM's netlab in one word of argv (`netlab __vm-run SPEC`): the
// command's argv, the lab files that follow on standard input, and where --junit goes. The VM side
// checks it whole before it acts: it runs as root there.

import { MAX_LAB_BYTES } from '../load/limits.js';

const TOKEN = /^[0-9a-f]{32}$/;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\.ya?ml$/;

export interface RunSpec {
  readonly version: string;
  /** 32 hex digits: the run's directory /run/netlab-vm/<token> in the VM */
  readonly token: string;
  readonly argv: readonly string[];
  /** lab files, in this order on standard input; argv[at] becomes the file's path in the VM */
  readonly files: readonly { readonly at: number; readonly name: string; readonly bytes: number }[];
  /** argv[at] becomes `--junit=<the run's directory>/junit.xml`, collected afterwards */
  readonly junitAt?: number;
}

export interface CollectSpec {
  readonly version: string;
  readonly collect: string;
}

export type VmSpec = RunSpec | CollectSpec;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIndex = (v: unknown, length: number) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < length;

/** The spec, or the reason it is refused. */
export function parseVmSpec(text: string): VmSpec | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return 'the request is not JSON';
  }
  if (!isObject(raw) || typeof raw.version !== 'string') return 'the request names no version';
  if ('collect' in raw) return typeof raw.collect === 'string' && TOKEN.test(raw.collect) ? { version: raw.version, collect: raw.collect } : 'bad token';
  const { token, argv, files, junitAt } = raw;
  if (typeof token !== 'string' || !TOKEN.test(token)) return 'bad token';
  if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string' && !a.includes('\0'))) return 'bad argv';
  if (!Array.isArray(files) || files.length > 100) return 'bad files';
  for (const f of files as unknown[]) {
    if (!isObject(f) || !isIndex(f.at, argv.length) || typeof f.name !== 'string' || !FILE_NAME.test(f.name)) return 'bad file entry';
    if (!Number.isInteger(f.bytes) || (f.bytes as number) < 0 || (f.bytes as number) > MAX_LAB_BYTES + 1) return 'bad file size';
  }
  if (junitAt !== undefined && !isIndex(junitAt, argv.length)) return 'bad junit index';
  return raw as unknown as RunSpec;
}

/** A file name the VM accepts for a lab: the local base name when it fits, else a plain one. */
export function vmFileName(localBase: string, index: number): string {
  return FILE_NAME.test(localBase) ? localBase : `lab-${index}.yaml`;
}

/** One line on standard input after the files: a signal for the VM's netlab. */
export const CONTROL_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
