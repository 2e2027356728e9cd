import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { IS_ROOT, uniquePrefix } from '../helpers/cli.js';
import { restoreLine } from '../../src/render/restore-line.js';
import { tokenizeRule } from '../../src/model/rule-tokens.js';

const d = IS_ROOT ? describe : describe.skip;

/** A line of iptables-save split into words: bare, or in double quotes with '\' escapes. */
function saveWords(line: string): string[] {
  const words: string[] = [];
  for (let i = 0; i < line.length; i++) {
    if (line[i] === ' ') continue;
    let word = '';
    if (line[i] === '"') {
      for (i++; i < line.length && line[i] !== '"'; i++) word += line[i] === '\\' ? line[++i] : line[i];
    } else for (; i < line.length && line[i] !== ' '; i++) word += line[i];
    words.push(word);
  }
  return words;
}

const rulesOf = (save: string) => save.split('\n').filter((l) => l.startsWith('-A INPUT')).map(saveWords);
const after = (words: string[], option: string) => words.flatMap((w, i) => (w === option ? [words[i + 1] as string] : []));
const savedComments = (save: string) => rulesOf(save).flatMap((w) => after(w, '--comment'));
const targets = (save: string) => rulesOf(save).flatMap((w) => after(w, '-j'));

/** A small seeded generator, so a failure names the seed that reproduces it. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const ALPHABET = [...' !"#$%&\'()*+,-./0123456789:;<=>?@ABCZ[\\]^_`abcz{|}~', 'é', '한', '\t'];

d('iptables-restore input: the kernel gets the tokens netlab validated', () => {
  const ns = `${uniquePrefix()}rt`;
  beforeAll(async () => void (await execa('ip', ['netns', 'add', ns])));
  afterAll(async () => void (await execa('ip', ['netns', 'del', ns], { reject: false })));

  const restore = async (lines: string[]) => {
    await execa('ip', ['netns', 'exec', ns, 'iptables', '-F', 'INPUT']);
    await execa('ip', ['netns', 'exec', ns, 'iptables-restore', '--noflush'], { input: `*filter\n${lines.join('\n')}\nCOMMIT\n` });
    return (await execa('ip', ['netns', 'exec', ns, 'iptables-save', '-t', 'filter'])).stdout;
  };

  it('keeps a token that ends in a backslash inside its quotes (it used to escape its own closing quote)', async () => {
    // read as iptables-save prints it: \\ is a backslash and \" a quote inside a quoted word
    expect(tokenizeRule(String.raw`-A INPUT -m comment --comment "x y\" -j DROP -m comment --comment " -j ACCEPT z w\"`)).toBeNull();
    const tokens = tokenizeRule(String.raw`-A INPUT -m comment --comment "x y\\" -j DROP -m comment --comment " -j ACCEPT -m comment --comment z w\\"`) as string[];
    expect(tokens.slice(5)).toEqual(['x y\\', '-j', 'DROP', '-m', 'comment', '--comment', ' -j ACCEPT -m comment --comment z w\\']);
    const save = await restore([restoreLine(tokens)]);
    expect(targets(save)).toEqual(['DROP']);
    expect(savedComments(save)).toEqual(['x y\\', ' -j ACCEPT -m comment --comment z w\\']);
  });

  it('keeps a quote inside a quoted comment, as iptables-save prints it, and the rule\'s own target', async () => {
    const tokens = tokenizeRule(String.raw`-A INPUT -m comment --comment "say \"hi\" -j ACCEPT" -j DROP`) as string[];
    expect(tokens.slice(5)).toEqual(['say "hi" -j ACCEPT', '-j', 'DROP']);
    const save = await restore([restoreLine(tokens)]);
    expect(targets(save)).toEqual(['DROP']);
    expect(savedComments(save)).toEqual(['say "hi" -j ACCEPT']);
  });

  it('round-trips random tokens through iptables-restore and iptables-save', async () => {
    const seed = Number(process.env.NETLAB_FUZZ_SEED ?? Date.now() % 100000);
    const next = random(seed);
    for (let round = 0; round < 5; round++) {
      const comments = Array.from({ length: 40 }, () => {
        const length = 1 + Math.floor(next() * 30);
        return Array.from({ length }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('');
      });
      const lines = comments.map((c) => restoreLine(['-A', 'INPUT', '-m', 'comment', '--comment', c, '-j', 'DROP']));
      const save = await restore(lines);
      expect(savedComments(save), `seed ${seed}, round ${round}`).toEqual(comments);
      expect(targets(save)).toEqual(comments.map(() => 'DROP'));
    }
  });
});
