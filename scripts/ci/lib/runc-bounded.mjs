// The runtime dockerd uses in scripts/ci/container.sh when this machine's capability bounding set
// lacks some capability (a sandboxed CI machine may drop CAP_SYS_RESOURCE): Debian's docker 20.10
// asks runc for every capability for --privileged, which the kernel refuses with EPERM. This drops
// from a bundle's config.json exactly the capabilities no process here can hold (runc-bounded, the
// runtime itself, then execs runc).   node runc-bounded.mjs BUNDLE/config.json
import { readFileSync, writeFileSync } from 'node:fs';

const CAPS = ['CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID',
  'SETPCAP', 'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK',
  'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT',
  'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL',
  'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON',
  'BPF', 'CHECKPOINT_RESTORE'].map((name) => `CAP_${name}`);

export function missingCapabilities(status) {
  const bounding = BigInt(`0x${/^CapBnd:\s*([0-9a-f]+)/m.exec(status)[1]}`);
  return CAPS.filter((_, bit) => ((bounding >> BigInt(bit)) & 1n) === 0n);
}

const file = process.argv[2];
if (file) {
  const missing = new Set(missingCapabilities(readFileSync('/proc/self/status', 'utf8')));
  const config = JSON.parse(readFileSync(file, 'utf8'));
  const caps = config.process?.capabilities ?? {};
  for (const set of Object.keys(caps)) caps[set] = caps[set].filter((cap) => !missing.has(cap));
  writeFileSync(file, JSON.stringify(config));
}
