import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';
import { actionProblem, corpusLabs, DEFAULT_CORPUS_DIR, readCorpus } from '../helpers/breakage-corpus.js';

// The corpus is data: each file valid, each breakage about a check the lab has, each command inside the lab.
// The held-out sets (test/held-out/<round>/, run with bench/diagnosis-accuracy.mjs --dir) are held to the same.
const labs = corpusLabs(DEFAULT_CORPUS_DIR);
const HELD_OUT = join(ROOT, 'test', 'held-out');
const heldOut = existsSync(HELD_OUT)
  ? readdirSync(HELD_OUT).flatMap((round) => corpusLabs(join(HELD_OUT, round)).map((lab) => [`${round}/${lab}`, lab, join(HELD_OUT, round)] as const))
  : [];

function expectValid(name: string, dir: string): void {
  const corpus = readCorpus(name, dir);
  expect(corpus.lab).toBe(name);
  const prefix = 'zz1-';
  const { lab } = loadLab(name, { prefix });
  const namespaces = new Set(lab.nodes.map((n) => n.ns));
  const checks = new Set(lab.checks.map((c) => c.name));
  for (const b of corpus.breakages) {
    expect(checks, b.name).toContain(b.check);
    expect(lab.nodes.map((n) => n.name), b.name).toContain(b.cause.node);
    for (const a of [...b.run, ...(b.repair ?? [])]) expect(actionProblem(a, prefix, namespaces), `${b.name}: ${JSON.stringify(a)}`).toBeUndefined();
  }
}

describe('the breakage corpus', () => {
  it('covers at least 17 shipped labs with at least 120 breakages', () => {
    const total = labs.reduce((n, l) => n + readCorpus(l).breakages.length, 0);
    expect(labs.length).toBeGreaterThanOrEqual(17);
    expect(total).toBeGreaterThanOrEqual(120);
  });

  it.each(labs)('%s: valid, at least 6, names a check of the lab, and every command stays in the lab\'s namespaces', (name) => {
    expect(readCorpus(name, DEFAULT_CORPUS_DIR).breakages.length).toBeGreaterThanOrEqual(6);
    expectValid(name, DEFAULT_CORPUS_DIR);
  });

  it.skipIf(heldOut.length === 0).each(heldOut)('held out %s: valid, names a check of the lab, and every command stays in the lab\'s namespaces', (_label, name, dir) => {
    expectValid(name, dir);
  });

  // once the diagnosis gets one right it is copied whole into the corpus (to run in CI), its name marked "(held-out <round>)"
  it('held-out breakages are in the corpus only as marked copies', () => {
    const key = (a: unknown) => JSON.stringify(a);
    for (const [label, name, dir] of heldOut) {
      const round = label.split('/')[0] as string;
      const known = new Map(readCorpus(name, DEFAULT_CORPUS_DIR).breakages.map((b) => [key(b.run), b]));
      for (const b of readCorpus(name, dir).breakages) {
        const copy = known.get(key(b.run));
        if (copy) expect(key(copy), `${label}: ${b.name}`).toBe(key({ ...b, name: `${b.name} (held-out ${round})` }));
      }
    }
  });

  it('refuses a command outside the lab', () => {
    const ns = new Set(['zz1-host']);
    expect(actionProblem(['sysctl', '-w', 'net.ipv4.ip_forward=0'], 'zz1-', ns)).toBeTruthy();
    expect(actionProblem(['ip', '-n', '{other}', 'link', 'set', 'dev', 'eth0', 'down'], 'zz1-', ns)).toBeTruthy();
    expect(actionProblem(['ip', '-n', '{host}', 'link', 'set', 'dev', 'eth0', 'down'], 'zz1-', ns)).toBeUndefined();
  });

  it('lets a breakage join two of the lab\'s nodes by a veth, and no other namespace', () => {
    const ns = new Set(['zz1-host', 'zz1-red']);
    expect(actionProblem(['ip', '-n', '{host}', 'link', 'add', 'a', 'type', 'veth', 'peer', 'name', 'b', 'netns', '{red}'], 'zz1-', ns)).toBeUndefined();
    expect(actionProblem(['ip', '-n', '{host}', 'link', 'add', 'a', 'type', 'veth', 'peer', 'name', 'b', 'netns', 'other'], 'zz1-', ns)).toBeTruthy();
    expect(actionProblem(['ip', '-n', '{host}', 'link', 'set', 'b', 'netns', '1'], 'zz1-', ns)).toBeTruthy();
    expect(actionProblem(['ip', '-n', '{host}', 'link', 'add', 'a', 'netns', '{red}', 'type', 'veth', 'peer', 'name', 'b', 'netns', 'other'], 'zz1-', ns)).toBeTruthy();
  });
});
