import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { createNetForker, netCommandOf } from '../../src/exec/net-forker.js';
import { findOnPath } from '../../src/exec/preflight.js';

describe('which commands the namespace forker runs (exec/net-forker.ts)', () => {
  it('takes `nsenter --net=/run/netns/NS -- PROGRAM ...` only', () => {
    expect(netCommandOf(['nsenter', '--net=/run/netns/lab-n1', '--', 'ping', '-c', '1', '10.0.0.1'])).toEqual({ nsFile: '/run/netns/lab-n1', argv: ['ping', '-c', '1', '10.0.0.1'] });
    expect(netCommandOf(['nsenter', '--net=/run/netns/lab-n1', '--'])).toBeUndefined();
    expect(netCommandOf(['nsenter', '--net=/proc/1/ns/net', '--', 'ping'])).toBeUndefined();
    expect(netCommandOf(['nsenter', '--net=/run/netns/../x', '--', 'ping'])).toBeUndefined();
    expect(netCommandOf(['nsenter', '--net=/run/netns/a', '--mount=/x', '--', 'ping'])).toBeUndefined();
    expect(netCommandOf(['ip', 'netns', 'exec', 'lab-n1', 'ping'])).toBeUndefined();
  });

  it('is not made where the setns number is unknown', () => {
    expect(createNetForker('mips')).toBeUndefined();
  });

  // opening the namespace file comes before setns(2), so this needs no root: the message is nsenter's
  it.runIf(findOnPath('perl') && findOnPath('nsenter'))('fails on a missing namespace file as nsenter does', async () => {
    const forker = createNetForker();
    const nsFile = '/run/netns/netlab-unit-no-such-namespace';
    const forked = await forker?.run({ nsFile, argv: ['ip', 'link'] }, undefined).result;
    const real = await execa('nsenter', [`--net=${nsFile}`, '--', 'ip', 'link'], { reject: false });
    expect(forked).toEqual({ exitCode: real.exitCode, stdout: '', stderr: `${real.stderr}\n` });
  });
});
