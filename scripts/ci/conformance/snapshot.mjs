// The kernel state of one network namespace, as a learner would list it (ip, iptables-save, sysctl, ss),
// read through `nsenter --net=PATH` so that a netlab node, a CNI netns and a Docker sandbox read alike.
import { execFileSync } from 'node:child_process';

function run(nsPath, argv) {
  return execFileSync('nsenter', [`--net=${nsPath}`, '--', ...argv], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
const json = (nsPath, argv) => JSON.parse(run(nsPath, argv) || '[]');

/** Raw facts; names and MACs are normalized later, across namespaces (a veth is named by its peer). */
export function snapshot(nsPath) {
  const links = json(nsPath, ['ip', '-j', '-d', 'link', 'show']);
  const addrs = json(nsPath, ['ip', '-j', 'addr', 'show']);
  const routes4 = json(nsPath, ['ip', '-j', '-4', 'route', 'show', 'table', 'main']);
  const routes6 = json(nsPath, ['ip', '-j', '-6', 'route', 'show', 'table', 'main']);
  const iptables = run(nsPath, ['iptables-save']);
  const listening = run(nsPath, ['ss', '-Htln']).split('\n').filter(Boolean).map((l) => l.trim().split(/\s+/)[3]);
  const sysctls = readSysctls(nsPath);
  return { links, addrs, routes4, routes6, iptables, listening, sysctls };
}

/** net.* sysctls of the namespace (values only; the caller keeps what differs from a fresh one). */
function readSysctls(nsPath) {
  const out = run(nsPath, ['sysctl', '-a', '--ignore', '-r', '^net\\.(ipv4|ipv6|bridge|core|netfilter)\\.']);
  const map = {};
  for (const line of out.split('\n')) {
    const at = line.indexOf(' = ');
    if (at > 0) map[line.slice(0, at)] = line.slice(at + 3);
  }
  return map;
}
