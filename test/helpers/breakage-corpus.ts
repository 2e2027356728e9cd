import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { z } from 'zod';
import { CAUSE_CODES } from '../../src/verify/diagnose/diagnosis.js';
import { scopeProblem } from '../../src/verify/diagnose/fix-scope.js';
import { ROOT } from './cli.js';

// The breakage corpus (test/breakages/<lab>.yaml): mistakes made by hand on a running lab, and the
// cause each must be diagnosed as. Trusted test input, but every command must still act only inside
// the lab's namespaces (checked before anything runs).

const argv = z.array(z.string().min(1)).min(2);
const node = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/);
const action = z.union([
  argv,
  z.object({ stop: z.object({ node, service: z.enum(['http', 'dns']) }).strict() }).strict(),
  z.object({ write: z.object({ node, file: z.enum(['resolv.conf', 'hosts']), content: z.string() }).strict() }).strict(),
  // a lab's file deleted by hand (the node's programs then read the machine's /etc file)
  z.object({ remove: z.object({ node, file: z.enum(['resolv.conf', 'hosts']) }).strict() }).strict(),
  z.object({ restart: z.literal(true) }).strict(),
]);
export type Action = z.infer<typeof action>;

/**
 * What a breakage needs of the kernel beyond its lab's `requires`: the runner skips it, saying why, where
 * the kernel refuses it (this CI machine's kernel refuses `vlan_filtering 1`; the VM referee's do not).
 */
export const NEEDS = ['vlan_filtering'] as const;
export type Need = (typeof NEEDS)[number];
// `ip -batch` lines run in a scratch namespace of their own (`unshare --net`): exit 0 when the kernel can
const NEED_PROBES: Record<Need, string> = {
  vlan_filtering: 'link add name probe0 type bridge\nlink set dev probe0 type bridge vlan_filtering 1\n',
};

/** Each need the kernel refuses, with its words. */
export async function unmetNeeds(needs: Iterable<Need>): Promise<Map<Need, string>> {
  const unmet = new Map<Need, string>();
  for (const need of new Set(needs)) {
    const r = await execa('unshare', ['--net', '--', 'ip', '-batch', '-'], { input: NEED_PROBES[need], reject: false });
    if (r.exitCode !== 0) unmet.set(need, `${need}: ${r.stderr.replace(/\nCommand failed -:\d+\s*$/, '').trim() || `exit ${r.exitCode}`}`);
  }
  return unmet;
}

const breakage = z.object({
  name: z.string().min(1),
  needs: z.array(z.enum(NEEDS)).min(1).optional(),
  run: z.array(action).min(1),
  check: z.string().min(1),
  cause: z.object({ code: z.enum(CAUSE_CODES), node, interface: z.string().min(1).optional() }).strict(),
  fix: z.enum(['command', 'words']),
  repair: z.array(action).min(1).optional(),
}).strict().refine((b) => b.fix === 'command' || b.repair !== undefined, { message: 'a words-only fix needs the corpus\'s repair' });
export type Breakage = z.infer<typeof breakage>;

// at least 6 a lab in test/breakages (test/unit/breakage-corpus.test.ts); a held-out set may have fewer
export const corpusFile = z.object({ lab: z.string().min(1), breakages: z.array(breakage).min(1) }).strict();
export type CorpusFile = z.infer<typeof corpusFile>;

export const DEFAULT_CORPUS_DIR = join(ROOT, 'test', 'breakages');
// NETLAB_BREAKAGE_DIR: run the same runner on another set of the same format (a held-out set, test/held-out/<round>)
export const CORPUS_DIR = process.env.NETLAB_BREAKAGE_DIR ? resolve(ROOT, process.env.NETLAB_BREAKAGE_DIR) : DEFAULT_CORPUS_DIR;

export function corpusLabs(dir = CORPUS_DIR): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();
}

export function readCorpus(lab: string, dir = CORPUS_DIR): CorpusFile {
  return corpusFile.parse(parse(readFileSync(join(dir, `${lab}.yaml`), 'utf8')));
}

/** {node} -> the node's namespace */
export function substitute(args: readonly string[], prefix: string): string[] {
  return args.map((a) => a.replace(/\{([A-Za-z0-9_-]+)\}/g, (_m, n: string) => `${prefix}${n}`));
}

/**
 * A breakage (never a fix) may make a link between two of the lab's nodes, as a learner does:
 * `ip -n NS link add ... peer name P netns NS2` or `ip -n NS link set P netns NS2`. The `netns NS2`
 * is taken out for the scope check when NS2 is one of the lab's namespaces (any other stays refused).
 */
function movedInLab(argv: string[], namespaces: ReadonlySet<string>): string[] {
  const at = argv.indexOf('netns', 3);
  const target = argv[at + 1];
  if (argv[0] !== 'ip' || argv[1] !== '-n' || argv[3] !== 'link' || at < 0 || target === undefined || !namespaces.has(target)) return argv;
  return [...argv.slice(0, at), ...argv.slice(at + 2)];
}

/** Why an action would reach outside the lab, or undefined. */
export function actionProblem(a: Action, prefix: string, namespaces: ReadonlySet<string>): string | undefined {
  if (Array.isArray(a)) return scopeProblem(movedInLab(substitute(a, prefix), namespaces), namespaces);
  if ('stop' in a) return namespaces.has(`${prefix}${a.stop.node}`) ? undefined : `no node ${a.stop.node}`;
  if ('write' in a) return namespaces.has(`${prefix}${a.write.node}`) ? undefined : `no node ${a.write.node}`;
  if ('remove' in a) return namespaces.has(`${prefix}${a.remove.node}`) ? undefined : `no node ${a.remove.node}`;
  return undefined;
}

/** Do it on the running lab: only ever inside its namespaces, its /etc/netns files and its processes. */
export async function applyAction(a: Action, prefix: string, namespaces: ReadonlySet<string>, restart: () => Promise<void>): Promise<void> {
  const problem = actionProblem(a, prefix, namespaces);
  if (problem) throw new Error(`refused: ${problem}`);
  if (Array.isArray(a)) {
    const [cmd, ...rest] = substitute(a, prefix);
    const r = await execa(cmd as string, rest, { reject: false });
    if (r.exitCode !== 0) throw new Error(`${a.join(' ')}: ${r.stderr}`);
  } else if ('stop' in a) {
    const ns = `${prefix}${a.stop.node}`;
    const pids = (await execa('ip', ['netns', 'pids', ns])).stdout.split('\n').filter(Boolean);
    const mark = a.stop.service === 'dns' ? 'dnsmasq' : 'serve';
    let killed = 0;
    for (const pid of pids) {
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      } catch {
        continue;
      }
      if (cmdline.includes(mark)) {
        process.kill(Number(pid), 'SIGKILL');
        killed++;
      }
    }
    if (killed === 0) throw new Error(`no ${a.stop.service} service process in ${ns}`);
    await new Promise((r) => setTimeout(r, 300));
  } else if ('write' in a) {
    writeFileSync(`/etc/netns/${prefix}${a.write.node}/${a.write.file}`, a.write.content);
  } else if ('remove' in a) {
    rmSync(`/etc/netns/${prefix}${a.remove.node}/${a.remove.file}`);
  } else await restart();
}
