import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Step } from '../../src/compile/step.js';
import { renderPlanScript, renderPlanText, renderStep } from '../../src/render/plan-text.js';
import { quoteArgBash } from '../../src/render/quote.js';
import { compileUp } from '../../src/compile/compile-up.js';
import { parseLab } from '../../src/load/read-lab.js';
import { resolveLab } from '../../src/model/resolve.js';

// Issue 11, finding 2: a file's content in `netlab plan` (text and sh) is one bash word that no
// byte sequence can end early. Here bash runs the rendered line with `tee` replaced by a function
// that writes to a scratch file, so nothing touches /etc; the sandboxed run of whole scripts is in
// test/integration/plan-sh-content.test.ts.

const CANARY_CMD = (dir: string) => [`$(touch ${dir}/canary)`, `\`touch ${dir}/canary\``, `'; touch ${dir}/canary; '`, `\ntouch ${dir}/canary\n`];

/** Content pieces an attacker would try, plus ordinary text. */
const PIECES = (dir: string) => [
  'EOF', '\nEOF\n', 'EOF\n', "'", "'\\''", '"', '\\', '\\\n', '$', '${x}', '$HOME', '`', '!', '!!', '\n', '\t', ' ', 'a', '127.0.0.1 localhost\n',
  'nameserver 10.96.0.10\n', 'ü', '日本', '🙂', '\u00a0', '\u2028', '#', ';', '&', '|', '<<<', '<<', '>', '*', '?', '~', '%s', '%', '\\x41', '\\n', "$'", ...CANARY_CMD(dir),
];

function fileStep(content: string): Step {
  return { kind: 'file.write', ns: 'n1', name: 'hosts', content };
}

/** Run rendered file steps with bash, `tee` writing file i to DIR/i; return what each file holds. */
function runRendered(dir: string, contents: readonly string[]): Buffer[] {
  // builtins only (read, printf): no process per file, on a machine shared by many jobs
  const lines = [`tee() { local x=''; IFS= read -r -d '' x || true; printf '%s' "$x" > "${dir}/$N"; }`, 'set -euo pipefail'];
  contents.forEach((c, i) => lines.push(`N=${i}`, renderStep(fileStep(c))));
  execFileSync('bash', ['-s'], { input: `${lines.join('\n')}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
  return contents.map((_, i) => readFileSync(join(dir, String(i))));
}

describe('file contents in a plan script', () => {
  it('writes exactly the bytes of random adversarial contents and runs nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-plan-sh-'));
    try {
      const pieces = PIECES(dir);
      let seed = 2;
      const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const contents = ['', '\n', 'x', 'EOF', 'EOF\n', ...pieces];
      for (let i = 0; i < 300; i++) contents.push(Array.from({ length: Math.floor(random() * 10) }, () => pieces[Math.floor(random() * pieces.length)]).join(''));
      const written = runRendered(dir, contents);
      contents.forEach((c, i) => expect(written[i]?.equals(Buffer.from(c, 'utf8')), JSON.stringify(c)).toBe(true));
      expect(existsSync(join(dir, 'canary'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('escapes control characters (even those validation refuses) and still writes their exact bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-plan-sh-'));
    try {
      const contents = ['\u001b[2J\n', 'a\rb', '\u0007\u0008\u000b\u000c', '\u007f\u0085\u009b', "EOF\u0001\n$(touch x)'\\\n", '\u001b]0;title\u0007\n'];
      const rendered = contents.map((c) => renderStep(fileStep(c)));
      for (const line of rendered) expect(line, line).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      const written = runRendered(dir, contents);
      contents.forEach((c, i) => expect(written[i]?.equals(Buffer.from(c, 'utf8')), JSON.stringify(c)).toBe(true));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cannot render a NUL (bash drops it: the reason heredocs could be ended early)', () => {
    expect(() => renderStep(fileStep('a\nEOF\u0000\ntouch /tmp/x\n'))).toThrow(/NUL/);
    expect(quoteArgBash('a\u0000b'.slice(0, 1))).toBe('a');
  });

  it('never uses a here-document', () => {
    for (const c of ['EOF\n', 'x\nEOF\nEOF_\n', '']) expect(renderStep(fileStep(c))).not.toMatch(/(^|[^<])<<(?!<)/);
  });
});

const lab = (services: string) => {
  const { spec } = parseLab(`name: svc\nnodes:\n  red:\n    files: { hosts: "10.0.0.2 blue\\n" }\n    services:\n${services}\n`, 'svc.yaml');
  return compileUp(resolveLab(spec).lab);
};

describe('a plan script runs on a machine without this checkout', () => {
  it('runs netlab services as `netlab-serve` from PATH and checks for it first', () => {
    const script = renderPlanScript(lab('      - http: { port: 80 }\n      - pause: {}'));
    expect(script).not.toContain(process.cwd());
    expect(script).toContain('nsenter --net=/run/netns/red -- netlab-serve http --node red --port 80 >/dev/null 2>&1 &');
    const lines = script.split('\n');
    const check = lines.findIndex((l) => l.startsWith('command -v netlab-serve >/dev/null || {'));
    expect(check).toBe(lines.indexOf('set -euo pipefail') + 1);
  });

  it('stops with exit 3 and a message when netlab is not on PATH, before any command', () => {
    const script = renderPlanScript(lab('      - pause: {}'));
    const header = script.split('\n').slice(0, script.split('\n').findIndex((l) => l.startsWith('command -v netlab')) + 1).join('\n');
    let status = 0;
    let stderr = '';
    try {
      execFileSync('/bin/bash', ['-s'], { input: `${header}\necho reached\n`, env: { PATH: '/nonexistent' }, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (error) {
      status = (error as { status: number }).status;
      stderr = String((error as { stderr: Buffer }).stderr);
    }
    expect(status).toBe(3);
    expect(stderr).toContain("services run `netlab-serve` (installed with netlab): put it on root's PATH");
  });

  it('does not ask for netlab when the lab runs only dnsmasq', () => {
    expect(renderPlanScript(lab('      - dns: { address: 10.0.0.1 }'))).not.toContain('command -v netlab');
  });

  it('says in the plan why services enter the network namespace only', () => {
    expect(renderPlanText(lab('      - pause: {}'))).toContain('# nsenter --net enters the network namespace only: `ip netns exec` also bind-mounts /etc/netns/<ns>/ over /etc');
  });
});
