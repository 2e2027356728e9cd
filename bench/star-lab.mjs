#!/usr/bin/env node
// Print the star lab for N namespaces as netlab YAML on stdout:
//   node bench/star-lab.mjs 200 > star-200.yaml
//   node bench/star-lab.mjs 1000 --checks all > star-1000.yaml
// One "host" namespace with the bridge br0 (10.77.0.1/16), N namespaces n1..nN each joined to it
// by a veth (eth0 inside, vI on the bridge), an address in 10.77.0.0/16, a default route via the
// host, ip_forward and one MASQUERADE rule in the host, and ping checks from the namespaces to the
// host: one per namespace up to 200, then 200 spread evenly over them (--checks K|all to choose).
// Why at most 200 by default: every ping leaves two ARP entries (in the namespace and in host), and
// the kernel's neighbour table is one for all namespaces, capped by the machine's own
// net.ipv4.neigh.default.gc_thresh3 (1024 by default), which netlab never changes; past ~500 pinging
// namespaces, pings fail with "neighbour table overflow".
// 10.77.0.0/16 holds 65533 namespaces; everything stays inside the lab's namespaces.
import { pathToFileURL } from 'node:url';

/** The address of namespace i (1-based): 10.77.<hi>.<lo>, skipping .0 and .255 and the host's .0.1. */
export function starAddress(i) {
  const n = i + 1; // 10.77.0.1 is the host
  return `10.77.${Math.floor(n / 256)}.${n % 256}`;
}

export const DEFAULT_CHECKS = 200;

/** Which namespaces get a ping check: all of them up to `checks`, else `checks` spread evenly. */
export function checkedNamespaces(n, checks = DEFAULT_CHECKS) {
  const k = Math.min(n, checks);
  return Array.from({ length: k }, (_, j) => 1 + Math.floor((j * n) / k));
}

export function starLab(n, name = `star-${n}`, checks = DEFAULT_CHECKS) {
  if (!Number.isInteger(n) || n < 1 || n > 60000) throw new Error(`N must be an integer 1..60000, got ${n}`);
  const out = [];
  out.push(`name: ${name}`);
  out.push(`description: star lab of ${n} namespaces around one bridge (bench/star-lab.mjs)`);
  out.push('nodes:');
  out.push('  host:');
  out.push('    bridges:');
  out.push('      br0: { address: 10.77.0.1/16 }');
  out.push('    sysctls: { net.ipv4.ip_forward: 1 }');
  out.push('    firewall:');
  out.push('      nat:');
  out.push('        rules: ["-A POSTROUTING -s 10.77.0.0/16 ! -o br0 -j MASQUERADE"]');
  for (let i = 1; i <= n; i++) out.push(`  n${i}:`, '    routes: [{ to: default, via: 10.77.0.1 }]');
  out.push('links:');
  for (let i = 1; i <= n; i++) out.push(`  - { ends: [n${i}:eth0, host:v${i}], bridge: br0, address: ${starAddress(i)}/16 }`);
  out.push('checks:');
  for (const i of checkedNamespaces(n, checks)) out.push(`  - ping: { from: n${i}, to: 10.77.0.1 }`);
  return `${out.join('\n')}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--checks');
  const checksArg = at >= 0 ? args.splice(at, 2)[1] : undefined;
  const checks = checksArg === 'all' ? Infinity : checksArg === undefined ? DEFAULT_CHECKS : Number(checksArg);
  const n = Number(args[0] ?? '10');
  try {
    if (!(checks >= 0)) throw new Error(`--checks takes a number or "all", got ${checksArg}`);
    process.stdout.write(starLab(n, args[1], checks));
  } catch (error) {
    process.stderr.write(`usage: node bench/star-lab.mjs N [lab-name] [--checks K|all]\n${error.message}\n`);
    process.exit(2);
  }
}
