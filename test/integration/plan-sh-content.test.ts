import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IS_ROOT, netlab } from '../helpers/cli.js';
import { parseLab } from '../../src/load/read-lab.js';
import { LabValidationError } from '../../src/errors.js';
import { firstNonText } from '../../src/schema/files.js';

// Issue 11, finding 2, end to end: random byte strings and adversarial ones as file contents ->
// `netlab plan --format sh` -> bash as root in a throwaway sandbox (own mount and network
// namespaces, /etc behind an overlay, tmpfs on /etc/netns and /run) -> every file holds exactly its
// bytes, and no canary command ran. Contents that are not text are refused at validation instead.

const d = IS_ROOT ? describe : describe.skip;

/** Deterministic, so a failure can be rerun; NETLAB_FUZZ_SEED picks another run. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

function adversarial(canary: string): string[] {
  const touch = `touch ${canary}`;
  return [
    `EOF\n${touch}\nEOF\n`, `x\nEOF_\n${touch}\n`, `'; ${touch}; '`, `'\\''; ${touch}; echo '`, `$(${touch})`, `\`${touch}\``, `\${IFS}$(${touch})`,
    `\\'\n${touch}\n`, `$'\\x27'; ${touch}`, '"', '\\', '\\\\\n', '!!\n', '%s%n%d\n', '', '\n', '\n\n', ' ', '\t\n', 'no final newline', '日本 ü 🙂\n',
    '127.0.0.1 localhost\n::1 localhost ip6-localhost\n', 'nameserver 10.96.0.10\nsearch default.svc.cluster.local\noptions ndots:5\n',
  ];
}

/** Random bytes, biased toward the ones shells and here-documents care about; decoded as the lab file's reader does. */
function randomContent(random: () => number): string {
  const special = [0x00, 0x0a, 0x0d, 0x09, 0x1b, 0x27, 0x22, 0x5c, 0x24, 0x60, 0x21, 0x45, 0x4f, 0x46, 0x7f, 0xc3, 0xa9, 0xe6, 0x97, 0xa5, 0xff, 0x80];
  const bytes = Array.from({ length: Math.floor(random() * 40) }, () => (random() < 0.5 ? (special[Math.floor(random() * special.length)] as number) : Math.floor(random() * 256)));
  return Buffer.from(bytes).toString('utf8');
}

const yamlString = (s: string) => JSON.stringify(s);

d('netlab plan --format sh: file contents', () => {
  it('writes exactly the bytes of every accepted content and runs nothing else; refuses the rest', async () => {
    const seed = Number(process.env.NETLAB_FUZZ_SEED ?? 11);
    const random = rng(seed);
    const work = mkdtempSync(join(tmpdir(), 'netlab-plan-sh-fuzz-'));
    const canary = join(work, 'canary');
    try {
      const candidates = [...adversarial(canary), ...Array.from({ length: 150 }, () => randomContent(random))];
      const accepted: string[] = [];
      let refused = 0;
      for (const content of candidates) {
        const text = `name: fuzz\nnodes:\n  n0:\n    files:\n      hosts: ${yamlString(content)}\n`;
        if (firstNonText(content) === undefined) {
          accepted.push(content);
          continue;
        }
        refused++;
        expect(() => parseLab(text, 'fuzz.yaml'), JSON.stringify(content)).toThrow(LabValidationError);
      }
      // one lab: node i holds content 2i as hosts and 2i+1 as resolv.conf
      const nodes = Math.ceil(accepted.length / 2);
      const lines = ['name: fuzz', 'nodes:'];
      for (let i = 0; i < nodes; i++) {
        lines.push(`  n${i}:`, '    files:', `      hosts: ${yamlString(accepted[2 * i] as string)}`);
        if (2 * i + 1 < accepted.length) lines.push(`      resolv.conf: ${yamlString(accepted[2 * i + 1] as string)}`);
      }
      const lab = join(work, 'fuzz.yaml');
      writeFileSync(lab, `${lines.join('\n')}\n`);
      const plan = await netlab(['plan', lab, '--format', 'sh', '--prefix', 'fz-']);
      expect(plan.exitCode, plan.stderr).toBe(0);
      const script = join(work, 'plan.sh');
      writeFileSync(script, plan.stdout);
      const out = join(work, 'out');
      mkdirSync(join(work, 'up'));
      mkdirSync(join(work, 'wk'));
      const sandbox = [
        'set -e',
        `mount -t overlay overlay -o lowerdir=/etc,upperdir=${work}/up,workdir=${work}/wk /etc`,
        'mkdir -p /etc/netns && mount -t tmpfs tmpfs /etc/netns && mount -t tmpfs tmpfs /run',
        `bash ${script}`,
        `cp -a /etc/netns ${out}`,
      ].join('\n');
      const run = await execa('unshare', ['--mount', '--net', '--fork', 'bash', '-c', sandbox], { reject: false });
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(0);
      accepted.forEach((content, k) => {
        const file = join(out, `fz-n${Math.floor(k / 2)}`, k % 2 === 0 ? 'hosts' : 'resolv.conf');
        expect(readFileSync(file).equals(Buffer.from(content, 'utf8')), `${file}: ${JSON.stringify(content)}`).toBe(true);
      });
      expect(existsSync(canary)).toBe(false);
      expect(accepted.length).toBeGreaterThan(20);
      expect(refused).toBeGreaterThan(20);
      console.log(`plan-sh fuzz (seed ${seed}): ${accepted.length} contents written exactly, ${refused} refused at validation`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
