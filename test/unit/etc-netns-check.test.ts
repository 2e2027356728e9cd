import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireOnlyLabEtcFiles, unexpectedEtcEntries } from '../../src/exec/etc-netns-check.js';
import { EnvironmentError } from '../../src/errors.js';

// `netlab shell` and `netlab exec` keep `ip netns exec` (the learner wants the node's /etc/hosts);
// they refuse when /etc/netns/<ns>/ holds anything a lab could not have written.

describe('/etc/netns/<ns>/ before ip netns exec', () => {
  const root = mkdtempSync(join(tmpdir(), 'netlab-etc-'));

  it('accepts a missing directory and one with regular hosts and resolv.conf', () => {
    expect(unexpectedEtcEntries('none', root)).toEqual([]);
    mkdirSync(join(root, 'ok'));
    writeFileSync(join(root, 'ok', 'hosts'), '127.0.0.1 localhost\n');
    writeFileSync(join(root, 'ok', 'resolv.conf'), 'nameserver 10.0.0.53\n');
    expect(unexpectedEtcEntries('ok', root)).toEqual([]);
    expect(() => requireOnlyLabEtcFiles('ok', root)).not.toThrow();
  });

  it('names every other entry: other files, a symlink, a directory', () => {
    mkdirSync(join(root, 'bad'));
    writeFileSync(join(root, 'bad', 'hosts'), 'x\n');
    writeFileSync(join(root, 'bad', 'bash.bashrc'), 'touch /tmp/pwned\n');
    writeFileSync(join(root, 'bad', 'ld.so.preload'), '/x.so\n');
    symlinkSync('/etc/shadow', join(root, 'bad', 'resolv.conf'));
    mkdirSync(join(root, 'bad', 'pam.d'));
    expect(unexpectedEtcEntries('bad', root)).toEqual(['bash.bashrc', 'ld.so.preload', 'pam.d', 'resolv.conf']);
    expect(() => requireOnlyLabEtcFiles('bad', root)).toThrow(EnvironmentError);
    expect(() => requireOnlyLabEtcFiles('bad', root)).toThrow(/holds "bash.bashrc", "ld.so.preload", "pam.d", "resolv.conf", which `ip netns exec` would put over \/etc/);
  });
});
