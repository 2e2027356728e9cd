import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeHandWrittenEtcFiles } from '../../src/exec/etc-netns-extra.js';

// down and a learner's files in the lab's /etc/netns/<ns>/ (issue 15: down failed with ENOTEMPTY)

describe('files written by hand into a lab\'s /etc/netns/<ns>/', () => {
  it('removes plain files and links (never what a link points at) in the lab\'s directories; a directory inside stays, reported', () => {
    const root = mkdtempSync(join(tmpdir(), 'netlab-etc-'));
    const victim = join(mkdtempSync(join(tmpdir(), 'netlab-victim-')), 'keep');
    writeFileSync(victim, 'x');
    mkdirSync(join(root, 'p-a'));
    writeFileSync(join(root, 'p-a', 'hosts'), '10.110.93.99 nginx-for-svc\n');
    symlinkSync(victim, join(root, 'p-a', 'resolv.conf'));
    mkdirSync(join(root, 'p-b', 'sub'), { recursive: true });
    mkdirSync(join(root, 'other'));
    writeFileSync(join(root, 'other', 'hosts'), 'not this lab\'s\n');
    const leftovers: string[] = [];
    const removed = removeHandWrittenEtcFiles(['p-a', 'p-b', 'p-gone'], [join(root, 'p-a')], leftovers, root);
    expect(removed.sort()).toEqual([join(root, 'p-a', 'hosts'), join(root, 'p-a', 'resolv.conf')]);
    expect(existsSync(victim)).toBe(true);
    expect(existsSync(join(root, 'p-a'))).toBe(true); // the lab's own directory: its caller removes it
    expect(existsSync(join(root, 'other', 'hosts'))).toBe(true);
    expect(leftovers).toEqual([`${join(root, 'p-b', 'sub')}: not a plain file (written by hand into the lab's directory?), left alone`]);
  });

  it('a directory a learner made for one of the lab\'s namespaces goes once emptied', () => {
    const root = mkdtempSync(join(tmpdir(), 'netlab-etc-'));
    mkdirSync(join(root, 'p-c'));
    writeFileSync(join(root, 'p-c', 'hosts'), '127.0.0.1 localhost\n');
    expect(removeHandWrittenEtcFiles(['p-c'], [], [], root)).toEqual([join(root, 'p-c', 'hosts')]);
    expect(existsSync(join(root, 'p-c'))).toBe(false);
  });

  it('nothing when the root itself is a symbolic link (to somewhere else\'s directories)', () => {
    const real = mkdtempSync(join(tmpdir(), 'netlab-victim-'));
    mkdirSync(join(real, 'p-a'));
    writeFileSync(join(real, 'p-a', 'hosts'), 'someone else\'s\n');
    const root = join(mkdtempSync(join(tmpdir(), 'netlab-etc-')), 'netns');
    symlinkSync(real, root);
    expect(removeHandWrittenEtcFiles(['p-a'], [], [], root)).toEqual([]);
    expect(existsSync(join(real, 'p-a', 'hosts'))).toBe(true);
  });
});
