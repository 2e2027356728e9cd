import { readdirSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import * as ipJson from '../../src/observe/ip-json.js';
import { readAs, type Shape } from '../../src/observe/json-shape.js';
import * as liveState from '../../src/verify/diagnose/put-back/live-state.js';
import * as probeOutput from '../../src/verify/probe-output.js';
import { zodIpJson, zodLiveState, zodProbeOutput } from '../helpers/zod-reference-shapes.js';
import { seededRandom } from '../helpers/seeded-random.js';

// The referee of the hand-written shapes: each one against the zod schema it replaced, on generated
// values (valid, each field missing, each field of every wrong type, extra fields, nested changes) and
// on `ip -j` / `bridge -j` output captured from this kernel (test/fixtures/ip-json/). Same decision,
// same value (deeply, with undefined keys), same key order.

const pairs: [string, z.ZodType, Shape<unknown>][] = [
  ...Object.entries(zodIpJson).map(([name, schema]): [string, z.ZodType, Shape<unknown>] => [name, schema, ipJson[name as keyof typeof zodIpJson]]),
  ...Object.entries(zodLiveState).map(([name, schema]): [string, z.ZodType, Shape<unknown>] => [name, schema, liveState[name as keyof typeof zodLiveState]]),
  ...Object.entries(zodProbeOutput).map(([name, schema]): [string, z.ZodType, Shape<unknown>] => [name, schema, probeOutput[name as keyof typeof zodProbeOutput]]),
];

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;

const WRONG: unknown[] = ['x', '', 0, 1500, -2.5, true, false, null, [], ['UP'], {}, { a: 1 }, Infinity, -Infinity, NaN, undefined];
const OMIT = Symbol('omit');
interface Def { type: string; shape?: Record<string, z.ZodType>; catchall?: unknown; element?: z.ZodType; innerType?: z.ZodType }
const defOf = (schema: z.ZodType): Def => schema._zod.def as unknown as Def;

function extraValue(rng: Rng): unknown {
  return pick(rng, ['eth9', 7, true, null, ['a', 1], { info: { nested: [1, 2] } }, 1e300]);
}

/** a value the schema accepts (OMIT: an optional key left out) */
function valid(schema: z.ZodType, rng: Rng, depth = 0): unknown {
  const def = defOf(schema);
  switch (def.type) {
    case 'string': return pick(rng, ['', 'eth0', 'UP', '198.51.100.7', 'fe80::1', 'connected', 'é ☃']);
    case 'number': return pick(rng, [0, 1, 1500, -1, 3.25, 2 ** 40, Number.MAX_SAFE_INTEGER]);
    case 'boolean': return rng() < 0.5;
    case 'optional': return rng() < 0.3 ? OMIT : valid(def.innerType!, rng, depth);
    case 'nullable': return rng() < 0.25 ? null : valid(def.innerType!, rng, depth);
    case 'array': return Array.from({ length: Math.floor(rng() * (depth > 2 ? 2 : 4)) }, () => valid(def.element!, rng, depth + 1)).filter((v) => v !== OMIT);
    case 'object': {
      const out: Record<string, unknown> = {};
      const keys = Object.keys(def.shape!);
      const extras = Math.floor(rng() * 3);
      for (let i = 0; i < extras; i++) out[pick(rng, ['extra', 'link_netnsid', 'txqlen', 'constructor', 'toString'])] = extraValue(rng);
      for (const key of rng() < 0.5 ? keys : [...keys].reverse()) {
        const v = valid(def.shape![key]!, rng, depth + 1);
        if (v !== OMIT) out[key] = v;
      }
      return out;
    }
    default: throw new Error(`no generator for ${def.type}`);
  }
}

/** every value one change away from `value` (which the schema accepts): at the top and at each nested position */
function mutants(schema: z.ZodType, value: unknown): unknown[] {
  const def = defOf(schema);
  const out: unknown[] = [...WRONG];
  if (def.type === 'optional' || def.type === 'nullable') return value === undefined || value === null ? out : [...out, ...mutants(def.innerType!, value)];
  if (def.type === 'array' && Array.isArray(value)) {
    value.forEach((element, i) => {
      for (const m of mutants(def.element!, element)) out.push(value.map((e, j) => (j === i ? m : e)));
    });
    out.push([...value, ...WRONG.slice(0, 3)], { 0: value[0], length: value.length });
  }
  if (def.type === 'object' && typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(def.shape!)) {
      const { [key]: _dropped, ...without } = record;
      out.push(without);
      for (const m of key in record ? mutants(def.shape![key]!, record[key]) : WRONG) out.push({ ...record, [key]: m });
    }
    out.push({ ...record, extra: 1, another: { x: [1] } }, withProto(record));
    out.push(Object.assign(Object.create({ [Object.keys(def.shape!)[0]!]: 'inherited' }), record));
  }
  return out;
}

/** `record` with an own "__proto__" key, as JSON.parse makes it */
function withProto(record: Record<string, unknown>): unknown {
  const text = JSON.stringify(record);
  return JSON.parse(`{"__proto__":{"polluted":1}${text === '{}' ? '}' : `,${text.slice(1)}`}`);
}

/** Asserts the same decision and value as zod; the detailed expects run only on a difference (speed). */
function sameAsZod(name: string, schema: z.ZodType, shape: Shape<unknown>, input: unknown): boolean {
  const expected = schema.safeParse(input);
  const got = readAs(shape, input);
  const same = expected.success
    ? got !== null && isDeepStrictEqual(got, expected.data) && JSON.stringify(got) === JSON.stringify(expected.data)
    : got === null;
  if (!same) {
    const label = `${name} on ${JSON.stringify(input)}`;
    expect(got === null, label).toBe(!expected.success);
    expect(got, label).toStrictEqual(expected.data);
    expect(JSON.stringify(got), label).toBe(JSON.stringify(expected.data));
  }
  expect(same).toBe(true);
  return expected.success;
}

describe('json-shape: the hand-written shapes decide as the zod schemas they replaced', () => {
  for (const [name, schema, shape] of pairs) {
    it(`${name}: generated values, each one-change mutant, extra and missing fields`, () => {
      const rng = seededRandom(name.length * 7919 + name.charCodeAt(0));
      let accepted = 0;
      let rejected = 0;
      for (let i = 0; i < 25; i++) {
        const value = valid(schema, rng);
        for (const input of [value, ...mutants(schema, value)]) {
          if (sameAsZod(name, schema, shape, input)) accepted++;
          else rejected++;
        }
      }
      // both decisions were exercised many times, not just one of them
      expect(accepted).toBeGreaterThan(25);
      expect(rejected).toBeGreaterThan(250);
    });
  }

  const dir = new URL('../fixtures/ip-json/', import.meta.url);
  const captured = readdirSync(dir).filter((f) => f.endsWith('.json'));
  it('real ip -j / bridge -j output of this kernel: every shape on every row of every capture, and its mutants', { timeout: 60_000 }, () => {
    expect(captured.length).toBeGreaterThan(10);
    let acceptedRows = 0;
    for (const file of captured) {
      const rows: unknown = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
      expect(Array.isArray(rows)).toBe(true);
      for (const [name, schema, shape] of pairs) {
        let changed = 0;
        for (const row of rows as unknown[]) {
          if (sameAsZod(`${name} (${file})`, schema, shape, row) && changed++ < 4) {
            acceptedRows++;
            for (const m of mutants(schema, row)) sameAsZod(`${name} (${file}, changed)`, schema, shape, m);
          }
        }
      }
    }
    expect(acceptedRows).toBeGreaterThan(80);
  });

  it('parseIpJson on the captures: the same array or undefined as z.array(schema) on the same text', () => {
    for (const file of captured) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      for (const [name, schema, shape] of pairs) {
        const expected = (schema.array()).safeParse(JSON.parse(text));
        expect(ipJson.parseIpJson(shape, text), `${name} (${file})`).toStrictEqual(expected.success ? expected.data : undefined);
      }
    }
    expect(ipJson.parseIpJson(ipJson.IpLink, '[{"ifname":"a","mtu":1e999}]')).toBeUndefined();
    expect(ipJson.parseIpJson(ipJson.IpLink, '{"ifname":"a"}')).toBeUndefined();
  });

  it('probe lines: lastJson and jsonLines read generated probe output as zod did', () => {
    const rng = seededRandom(17);
    for (const [name, schema, shape] of pairs.filter(([n]) => n in zodProbeOutput)) {
      for (let i = 0; i < 40; i++) {
        const value = valid(schema, rng);
        const lines = [value, ...mutants(schema, value).filter((m) => m !== undefined).slice(0, 12)].map((v) => JSON.stringify(v));
        for (const line of lines) {
          const expected = schema.safeParse(JSON.parse(line));
          expect(probeOutput.lastJson(shape, `noise\n${line}\n`), `${name} ${line}`).toStrictEqual(expected.success ? expected.data : null);
        }
        const all = lines.map((l) => schema.safeParse(JSON.parse(l)));
        const whole = all.every((r) => r.success) ? all.map((r) => r.data) : null;
        expect(probeOutput.jsonLines(shape, lines.join('\n\n')), name).toStrictEqual(whole);
      }
    }
    expect(probeOutput.lastJson(probeOutput.ConnectAnswer, 'not json')).toBeNull();
  });
});
