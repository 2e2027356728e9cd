import { afterAll, describe, expect, it } from 'vitest';
import { IS_ROOT, leftovers, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';

// The help promises -v (each command netlab runs, on stderr) and -q (no progress) on every command,
// before or after the subcommand.
const d = IS_ROOT ? describe : describe.skip;
const stateDir = tempStateDir();
afterAll(async () => {
  await netlab(['down', '--all'], { stateDir });
});

d('-v and -q in any position', () => {
  it.each([
    ['before the subcommand', (p: string) => ['-v', 'up', 'red-blue-bridge', '--prefix', p]],
    ['after it', (p: string) => ['up', 'red-blue-bridge', '--prefix', p, '--verbose']],
  ])('-v %s prints each command up runs', async (_where, args) => {
    const prefix = uniquePrefix();
    const up = await netlab(args(prefix), { stateDir });
    expect(up.exitCode).toBe(0);
    expect(up.stderr).toMatch(/^\+ ip -batch -$/m);
    expect(up.stderr).toMatch(/^\+ iptables -V$/m);
    expect(up.stdout).not.toContain('+ ');
    const down = await netlab(['down', 'red-blue-bridge', '--prefix', prefix, '-v'], { stateDir });
    expect(down.exitCode).toBe(0);
    expect(down.stderr).toMatch(/^\+ /m);
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });

  it.each([
    ['before the subcommand', (p: string) => ['-q', 'up', 'red-blue-bridge', '--prefix', p]],
    ['after it', (p: string) => ['up', 'red-blue-bridge', '--prefix', p, '--quiet']],
  ])('-q %s silences the progress, keeps the result', async (_where, args) => {
    const prefix = uniquePrefix();
    const up = await netlab(args(prefix), { stateDir });
    expect(up.exitCode).toBe(0);
    expect(up.stderr).toBe('');
    expect(up.stdout).toMatch(/^up /m);
    const plain = await netlab(['down', 'red-blue-bridge', '--prefix', prefix], { stateDir });
    expect(plain.exitCode).toBe(0);
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });

  it('without either, up shows its phases and no commands', async () => {
    const prefix = uniquePrefix();
    const up = await netlab(['up', 'red-blue-bridge', '--prefix', prefix], { stateDir });
    expect(up.exitCode).toBe(0);
    expect(up.stderr).toMatch(/^ok netns/m);
    expect(up.stderr).not.toMatch(/^\+ /m);
    expect((await netlab(['down', 'red-blue-bridge', '--prefix', prefix], { stateDir })).exitCode).toBe(0);
  });
});
