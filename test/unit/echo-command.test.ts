import { describe, expect, it } from 'vitest';
import { echoCommand } from '../../src/exec/echo-command.js';
import { runnerArgv } from '../../src/render/setns-runner.js';

const echoed = (argv: readonly string[], input?: string): string[] => {
  const lines: string[] = [];
  echoCommand(argv, (line) => lines.push(line), input);
  return lines;
};

describe('echoCommand (netlab -v)', () => {
  it('shows the command, quoted as a learner would type it', () => {
    expect(echoed(['ip', '-n', 'red', 'link', 'set', 'dev', 'eth0', 'up'])).toEqual(['+ ip -n red link set dev eth0 up']);
    expect(echoed(['iptables', '-A', 'INPUT', '-m', 'comment', '--comment', 'a b'])).toEqual(["+ iptables -A INPUT -m comment --comment 'a b'"]);
  });

  it('shows each command an xargs runner runs, from its NUL-separated input', () => {
    const input = ['-n', 'p-n1', '-batch', '/run/netlab/l/batches/config-0-p-n1.batch', '-n', 'p-n2', '-batch', '/run/netlab/l/batches/config-1-p-n2.batch'].map((f) => `${f}\0`).join('');
    expect(echoed(runnerArgv('ip'), input)).toEqual([
      '+ xargs -0 -n 4 ip',
      '+   ip -n p-n1 -batch /run/netlab/l/batches/config-0-p-n1.batch',
      '+   ip -n p-n2 -batch /run/netlab/l/batches/config-1-p-n2.batch',
    ]);
    const nsenter = ['--net=/run/netns/p-n1', '--', 'ip', '-batch', '/x/config-0-p-n1.batch'].map((f) => `${f}\0`).join('');
    expect(echoed(runnerArgv('nsenter'), nsenter)).toEqual(['+ xargs -0 -n 5 nsenter', '+   nsenter --net=/run/netns/p-n1 -- ip -batch /x/config-0-p-n1.batch']);
  });

  it('shows nothing more for other commands with input, and nothing at all without an echo', () => {
    expect(echoed(['ip', '-batch', '-'], 'netns add a\n')).toEqual(['+ ip -batch -']);
    expect(echoed(['xargs', '-0', '-n', 'x', 'ip'], 'a\0')).toEqual(['+ xargs -0 -n x ip']);
    expect(() => echoCommand(['xargs', '-0', '-n', '4', 'ip'], undefined, 'a\0')).not.toThrow();
  });
});
