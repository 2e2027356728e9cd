import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadLab } from '../../src/lab/load-lab.js';
import { compileUp } from '../../src/compile/compile-up.js';
import { etcNetnsPath, type Step } from '../../src/compile/step.js';
import { renderStep } from '../../src/render/plan-text.js';
import { toArgv } from '../../src/render/argv.js';
import { LabValidationError, UsageError } from '../../src/errors.js';

// Property: every mutation of a shipped lab either validates (and then compiles to a plan whose
// kernel-facing names are safe) or is refused with positioned diagnostics (exit 2). Never another
// exception, never a stack trace, never a change to the machine. Seeded, so a failure is replayable:
// FUZZ_SEED=<seed> FUZZ_RUNS=<n> npx vitest run test/unit/fuzz-labs.test.ts

const ROOT = resolve(import.meta.dirname, '..', '..');
const LABS = readdirSync(join(ROOT, 'labs')).filter((f) => f.endsWith('.yaml')).sort().map((f) => readFileSync(join(ROOT, 'labs', f), 'utf8'));
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Number(process.env.FUZZ_RUNS ?? 1200);
const CLI_SAMPLE = Number(process.env.FUZZ_CLI_SAMPLE ?? 16);
const figures = { inputs: 0, valid: 0, refused: 0, crashes: 0, cli: 0, ms: { mutate: 0, check: 0 } };

afterAll(() => console.log(`fuzz (seed ${SEED}): ${figures.inputs} mutated labs in-process (${figures.valid} valid, ${figures.refused} refused with positions, ${figures.crashes} crashes), ${figures.cli} through the CLI; ${figures.ms.mutate} ms mutating, ${figures.ms.check} ms validating`));

/** mulberry32: small, seedable, good enough to pick mutations */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE: unknown[] = [
  '-rf', '--help', '-n', '-', '../../etc/passwd', 'a/b', '/etc/shadow', '..', '.', '', ' ', 'x'.repeat(16), 'y'.repeat(300),
  'eth0;reboot', '$(id)', '`id`', 'a\nb', 'a\u0000b', 'ünïcödé', '%s%n', 'lo', 'default', '0.0.0.0/0', '::1', '256.1.1.1',
  '10.0.0.1/33', 'ff:ff:ff:ff:ff:ff', '-A INPUT -j DROP', '-A INPUT -j DROP\n-F', '-A FORWARD -j ACCEPT -m comment --comment "x y"',
  '*', '~', '${HOME}', '\\', 'proc', '/run/netns/x', 'resolv.conf', 'hosts/../../x', 'red', 'host', 'veth-red', 'v-net-0',
  -1, 0, 1, 65535, 65536, 2 ** 31, 2 ** 53 + 1, 1.5, -0.0, 1e308, true, false, null, [], {}, { a: 1 }, [null], ['-x'], { '-x': '-y' },
];
const CHARS = [':', '-', '[', ']', '{', '}', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', '#', ' ', '\t', '\n', ',', '?', '<<', '\\', '\u00a0', 'ǅ'];

type Json = unknown;

function paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function getAt(root: Json, path: (string | number)[]): Json {
  return path.reduce<Json>((v, k) => (v as Record<string | number, Json>)?.[k], root);
}

function mutateData(data: Json, r: () => number): Json {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const root = structuredClone(data) as Json;
  const all = paths(root).filter((p) => p.length > 0);
  if (all.length === 0) return pick(HOSTILE);
  const path = pick(all);
  const parent = getAt(root, path.slice(0, -1)) as Record<string | number, Json> | Json[];
  const key = path.at(-1) as string | number;
  const op = Math.floor(r() * 7);
  const hostile = () => structuredClone(pick(HOSTILE));
  if (op === 0) (parent as Record<string | number, Json>)[key] = hostile();
  else if (op === 1) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete (parent as Record<string, Json>)[key];
  } else if (op === 2 && Array.isArray(parent)) parent.push(structuredClone(parent[key as number]));
  else if (op === 3 && !Array.isArray(parent)) {
    const value = (parent as Record<string, Json>)[key];
    delete (parent as Record<string, Json>)[key];
    (parent as Record<string, Json>)[String(pick(HOSTILE))] = value;
  } else if (op === 4) (parent as Record<string | number, Json>)[key] = [(parent as Record<string | number, Json>)[key]];
  else if (op === 5) (parent as Record<string | number, Json>)[key] = structuredClone(getAt(root, pick(all)));
  else {
    const value = (parent as Record<string | number, Json>)[key];
    (parent as Record<string | number, Json>)[key] = typeof value === 'string' ? value + pick(['-', '/', ' x', '\n', '.', '..', 'é', '0'.repeat(20)]) : typeof value === 'number' ? value * -1 - 1 : hostile();
  }
  return root;
}

function mutateText(text: string, r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const lines = text.split('\n');
  const at = Math.floor(r() * lines.length);
  const pos = Math.floor(r() * (text.length + 1));
  switch (Math.floor(r() * 11)) {
    case 0:
      lines.splice(at, 1);
      return lines.join('\n');
    case 1:
      lines.splice(at, 0, lines[at] ?? '');
      return lines.join('\n');
    case 2:
      return text.slice(0, pos) + pick(CHARS) + text.slice(pos);
    case 3:
      return text.slice(0, pos) + text.slice(pos + 1 + Math.floor(r() * 40));
    case 4: {
      const other = Math.floor(r() * lines.length);
      [lines[at], lines[other]] = [lines[other] as string, lines[at] as string];
      return lines.join('\n');
    }
    case 5:
      lines[at] = r() < 0.5 ? ' '.repeat(1 + Math.floor(r() * 4)) + (lines[at] ?? '') : (lines[at] ?? '').replace(/^ {1,4}/, '');
      return lines.join('\n');
    case 6: {
      const words = [...text.matchAll(/[A-Za-z0-9_.:/-]+/g)];
      const w = words.length > 0 ? pick(words) : undefined;
      if (!w || w.index === undefined) return text;
      return text.slice(0, w.index) + JSON.stringify(pick(HOSTILE)) + text.slice(w.index + w[0].length);
    }
    case 7:
      // an anchor and aliases to it, sometimes a "billion laughs"
      return r() < 0.5
        ? `x-bomb: &a ["l","l","l","l","l","l","l","l"]\nx-b2: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nx-b3: &c [*b,*b,*b,*b,*b,*b,*b,*b]\nx-b4: [*c,*c,*c,*c,*c,*c,*c,*c]\n${text}`
        : text.replace(/^(\s+)(\w[\w-]*): \{\}$/m, '$1$2: &n {}').replace(/^(\s+)(\w[\w-]*): \{\}$/m, '$1$2: *n');
    case 8:
      return text.slice(0, pos);
    case 9:
      return text.slice(0, pos) + (r() < 0.5 ? '['.repeat(70 + Math.floor(r() * 50)) : `\n${Array.from({ length: 80 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')}\n`) + text.slice(pos);
    default:
      return text.replace(/\n/g, r() < 0.5 ? '\r\n' : '\n\n');
  }
}

const PARSED = new Map<string, Json>();

function mutate(r: () => number): string {
  let text = LABS[Math.floor(r() * LABS.length)] as string;
  const rounds = 1 + Math.floor(r() * 3);
  for (let i = 0; i < rounds; i++) {
    if (r() < 0.5) {
      let data: Json;
      try {
        // the shipped labs are parsed once; mutated text each time
        data = i === 0 ? (PARSED.get(text) ?? PARSED.set(text, parse(text)).get(text)) : parse(text, { maxAliasCount: 50 });
      } catch {
        text = mutateText(text, r);
        continue;
      }
      text = stringify(mutateData(data, r));
    } else text = mutateText(text, r);
  }
  return text;
}

const NAME_FIELDS = ['ns', 'name', 'peer', 'peerNs', 'dev', 'chain', 'master'] as const;
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** What a valid lab must never produce: kernel-facing names that are options or paths, files outside /etc/netns/<ns>/. */
function unsafeParts(step: Step): string[] {
  const bad: string[] = [];
  const fields = step as unknown as Record<string, unknown>;
  for (const f of NAME_FIELDS) {
    const v = fields[f];
    if (typeof v === 'string' && (!SAFE_NAME.test(v) || v === '.' || v === '..')) bad.push(`${f}=${JSON.stringify(v)}`);
  }
  for (const f of ['name', 'peer', 'dev', 'master'] as const) {
    const v = fields[f];
    if (step.kind !== 'file.write' && typeof v === 'string' && v.length > 15) bad.push(`${f} longer than IFNAMSIZ: ${v}`);
  }
  if (step.ns.length > 64) bad.push(`namespace name of ${step.ns.length} characters`);
  if (step.kind === 'file.write') {
    const path = resolve(etcNetnsPath(step.ns, step.name));
    if (!path.startsWith(`/etc/netns/${step.ns}/`) || path.split('/').length !== 5) bad.push(`file outside its directory: ${path}`);
  }
  const argv = toArgv(step);
  if (argv.some((a) => a.includes('\0'))) bad.push('NUL in argv');
  return bad;
}

type Outcome = { kind: 'valid'; unsafe: string[] } | { kind: 'refused'; bad: string[] } | { kind: 'crash'; error: string };

function check(file: string, prefix: string): Outcome {
  try {
    const { lab } = loadLab(file, { prefix });
    const plan = compileUp(lab);
    for (const step of plan.steps) renderStep(step);
    return { kind: 'valid', unsafe: plan.steps.flatMap(unsafeParts) };
  } catch (error) {
    if (error instanceof LabValidationError) {
      const bad = error.diagnostics.length === 0 ? ['no diagnostics'] : error.diagnostics.flatMap((d) => {
        const problems: string[] = [];
        if (d.file !== file) problems.push(`file ${d.file}`);
        if (!Number.isInteger(d.line) || d.line < 1 || !Number.isInteger(d.col) || d.col < 1) problems.push(`position ${d.line}:${d.col}`);
        if (typeof d.path !== 'string' || d.path === '') problems.push('no path');
        if (typeof d.message !== 'string' || d.message === '') problems.push('no message');
        if (d.hint !== undefined && typeof d.hint !== 'string') problems.push(`hint of type ${typeof d.hint}`);
        return problems;
      });
      return { kind: 'refused', bad };
    }
    if (error instanceof UsageError && prefix !== '' && !/^[a-z0-9][a-z0-9-]{0,15}$/.test(prefix)) return { kind: 'refused', bad: [] };
    return { kind: 'crash', error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

describe('mutation fuzzing of the shipped labs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netlab-fuzz-'));
  const samples: string[] = [];

  it(`${RUNS} mutated labs validate or are refused with positions, in-process`, () => {
    expect(LABS.length).toBeGreaterThan(0);
    const r = rng(SEED);
    const failures: string[] = [];
    let tMutate = 0;
    let tCheck = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const text = mutate(r);
      tMutate += performance.now() - t0;
      const file = join(dir, `lab-${i % 50}.yaml`);
      writeFileSync(file, text);
      const prefix = r() < 0.1 ? String(HOSTILE[Math.floor(r() * HOSTILE.length)]) : r() < 0.5 ? 'f1-' : '';
      const t1 = performance.now();
      const outcome = check(file, prefix);
      tCheck += performance.now() - t1;
      figures.inputs++;
      if (outcome.kind === 'crash') figures.crashes++;
      else if (outcome.kind === 'valid') figures.valid++;
      else figures.refused++;
      const problems = outcome.kind === 'crash' ? [outcome.error] : outcome.kind === 'valid' ? outcome.unsafe : outcome.bad;
      if (problems.length > 0 && failures.length < 5) failures.push(`run ${i} (seed ${SEED}, prefix ${JSON.stringify(prefix)}): ${problems.join('; ')}\n--- lab ---\n${text.slice(0, 2000)}`);
      if (samples.length < CLI_SAMPLE && i % Math.max(1, Math.floor(RUNS / CLI_SAMPLE)) === 0) {
        const keep = join(dir, `cli-${samples.length}.yaml`);
        writeFileSync(keep, text);
        samples.push(keep);
      }
    }
    figures.ms = { mutate: Math.round(tMutate), check: Math.round(tCheck) };
    expect(failures).toEqual([]);
    expect(figures.refused).toBeGreaterThan(0);
    expect(figures.valid).toBeGreaterThan(0);
  }, 120_000);

  it('a sample through the real CLI: exit 0 or 2, positioned messages, no stack trace, nothing on the machine changed', async () => {
    const bin = join(ROOT, 'bin', 'netlab');
    expect(existsSync(join(ROOT, 'dist', 'cli', 'main.js'))).toBe(true);
    // other test runs may create their own (prefixed) namespaces meanwhile: look only for what these labs would make
    const machine = () => new Set([...(existsSync('/run/netns') ? readdirSync('/run/netns') : []), ...(existsSync('/etc/netns') ? readdirSync('/etc/netns').map((n) => `etc/${n}`) : [])]);
    const nodeNames = new Set(samples.flatMap((f) => {
      try {
        return Object.keys((parse(readFileSync(f, 'utf8'), { maxAliasCount: 50 }) as { nodes?: object })?.nodes ?? {});
      } catch {
        return [];
      }
    }).flatMap((n) => [n, `etc/${n}`]));
    const before = machine();
    const stateDir = mkdtempSync(join(tmpdir(), 'netlab-fuzz-state-'));
    const results: { file: string; exitCode: number; stdout: string; stderr: string }[] = [];
    for (let i = 0; i < samples.length; i += 4) {
      const batch = samples.slice(i, i + 4).map(async (file) => {
        const r = await execa(process.execPath, [bin, 'validate', file], { reject: false, env: { NO_COLOR: '1', NETLAB_STATE_DIR: stateDir } });
        return { file, exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
      });
      results.push(...(await Promise.all(batch)));
    }
    figures.cli += results.length;
    for (const r of results) {
      const context = `${r.file}:\n${r.stderr}\n--- lab ---\n${readFileSync(r.file, 'utf8').slice(0, 1500)}`;
      expect([0, 2], context).toContain(r.exitCode);
      expect(r.stderr, context).not.toMatch(/internal error|^\s+at .+:\d+:\d+\)?$/m);
      if (r.exitCode === 2) {
        // the path is one token, or has bracketed quoted keys (nodes.x["a b"]) when a key has spaces
        expect(r.stderr, context).toMatch(new RegExp(`^${r.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ (\\S+|\\S*\\["(?:[^"\\\\]|\\\\.)*"\\]\\S*): .+`, 'm'));
        expect(r.stderr, context).toContain('nothing was changed on this machine');
      } else expect(r.stdout, context).toContain('valid');
    }
    const appeared = [...machine()].filter((n) => !before.has(n) && nodeNames.has(n));
    expect(appeared).toEqual([]);
    expect(readdirSync(stateDir)).toEqual([]);
  }, 120_000);
});
