import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IS_ROOT, leftovers, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';

// Issue 11, finding 1, against the real kernel: a lab that writes /etc files root programs load is
// refused before anything changes; a lab with hosts and resolv.conf still resolves through them,
// while dnsmasq and netlab's own services run without the /etc/netns bind-mounts.

const d = IS_ROOT ? describe : describe.skip;

function labFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'netlab-files-')), 'lab.yaml');
  writeFileSync(file, text);
  return file;
}

const HOSTILE = `name: hostile-files
nodes:
  red:
    files:
      hosts: "127.0.0.1 localhost\\n"
      nsswitch.conf: "hosts: files evil\\n"
      bash.bashrc: "touch /tmp/netlab-pwned\\n"
    services:
      - dns: { address: 10.0.0.1 }
`;

const DNS_LAB = `name: files-dns
nodes:
  dns:
    files:
      hosts: "127.0.0.1 localhost\\n10.0.0.80 web web.lab.test\\n"
    services:
      - dns: { address: 10.0.0.53, local: [lab.test] }
      - pause: {}
  client:
    files:
      hosts: "127.0.0.1 localhost\\n10.0.0.53 resolver\\n"
      resolv.conf: "nameserver 10.0.0.53\\nsearch lab.test\\n"
links:
  - ends: [ { node: dns, name: eth0, address: 10.0.0.53/24 }, { node: client, name: eth0, address: 10.0.0.2/24 } ]
checks:
  - name: getent sees the client's own hosts file
    dns: { from: client, name: resolver, addresses: [10.0.0.53] }
  - name: getent goes through resolv.conf and its search list to dnsmasq, which serves the dns node's hosts file
    dns: { from: client, name: web, addresses: [10.0.0.80] }
  - name: dig-style, straight to the server
    dns: { from: client, name: web.lab.test, server: 10.0.0.53, addresses: [10.0.0.80] }
  - name: a name in no hosts file
    dns: { from: client, name: nope.lab.test, server: 10.0.0.53, expect: nxdomain }
  - ping: { from: client, to: resolver }
`;

/** The processes in a namespace, with their command name, mount namespace and real uid. */
async function processesIn(ns: string): Promise<{ pid: number; comm: string; mnt: string; uid: number }[]> {
  const out = String((await execa('ip', ['netns', 'pids', ns])).stdout);
  return out.split('\n').filter(Boolean).map((p) => {
    const pid = Number(p);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { pid, comm: readFileSync(`/proc/${pid}/comm`, 'utf8').trim(), mnt: readlinkSync(`/proc/${pid}/ns/mnt`), uid: Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]) };
  });
}

d('files: the allow-list and services without /etc/netns', () => {
  it('refuses a lab writing nsswitch.conf and bash.bashrc at up, with positions, and changes nothing', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const file = labFile(HOSTILE);
    const up = await netlab(['up', file, '--prefix', prefix], { stateDir });
    expect(up.exitCode).toBe(2);
    expect(up.stderr).toContain(`${file}:6:7 nodes.red.files.nsswitch.conf: netlab does not write /etc/netns/<node>/nsswitch.conf`);
    expect(up.stderr).toContain(`${file}:7:7 nodes.red.files.bash.bashrc: netlab does not write /etc/netns/<node>/bash.bashrc`);
    expect(up.stderr).toContain('hosts or resolv.conf');
    expect(up.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(`/etc/netns/${prefix}red`)).toBe(false);
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });

  it('resolves through the lab\'s hosts and resolv.conf; dnsmasq and netlab serve see the machine\'s /etc, dnsmasq as nobody', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const file = labFile(DNS_LAB);
    try {
      const up = await netlab(['up', file, '--prefix', prefix], { stateDir });
      expect(up.exitCode, up.stderr).toBe(0);
      const ours = readlinkSync('/proc/self/ns/mnt');
      const procs = await processesIn(`${prefix}dns`);
      const dnsmasq = procs.find((p) => p.comm === 'dnsmasq');
      const pause = procs.find((p) => p.comm !== 'dnsmasq');
      expect(dnsmasq, JSON.stringify(procs)).toBeDefined();
      expect(pause, JSON.stringify(procs)).toBeDefined();
      // `ip netns exec` would have given each its own mount namespace with /etc/netns/<ns>/ over /etc
      expect(dnsmasq?.mnt).toBe(ours);
      expect(pause?.mnt).toBe(ours);
      expect(dnsmasq?.uid).toBe(65534);
      const logs = readdirSync(stateDir, { recursive: true }).map(String).filter((f) => f.endsWith('.log'));
      const log = logs.map((f) => readFileSync(join(stateDir, f), 'utf8')).find((t) => t.includes('dnsmasq'));
      expect(log, logs.join(', ')).toContain(`read /etc/netns/${prefix}dns/hosts - 3 names`);
      const verify = await netlab(['verify', file, '--prefix', prefix, '--json'], { stateDir });
      expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0);
    } finally {
      await netlab(['down', file, '--prefix', prefix], { stateDir });
    }
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });

  it('a file written by hand into the lab\'s /etc/netns directories (a learner\'s hosts file): down removes it too, says so, and leaves nothing', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const file = labFile(DNS_LAB);
    let down: Awaited<ReturnType<typeof netlab>> | undefined;
    try {
      const up = await netlab(['up', file, '--prefix', prefix], { stateDir });
      expect(up.exitCode, up.stderr).toBe(0);
      // into a directory the lab made (dns/ has only the lab's hosts)
      writeFileSync(`/etc/netns/${prefix}dns/resolv.conf`, 'nameserver 198.51.100.99\n');
      down = await netlab(['down', file, '--prefix', prefix], { stateDir });
      expect(down.exitCode, down.stderr).toBe(0);
      expect(down.stdout).toContain(`written by hand into the lab's /etc/netns directories: /etc/netns/${prefix}dns/resolv.conf`);
    } finally {
      if (down?.exitCode !== 0) await netlab(['down', file, '--prefix', prefix], { stateDir });
    }
    expect(existsSync(`/etc/netns/${prefix}dns`)).toBe(false);
    expect(await leftovers(prefix, stateDir)).toEqual([]);
  });
});
