import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

function run(file: string, args: string[]): string {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    return `(${file} ${args.join(' ')} failed: ${(error as Error).message.split('\n')[0]})`;
  }
}

const SYSCTLS = ['net/ipv4/ip_forward', 'net/ipv4/conf/all/forwarding', 'net/ipv6/conf/all/forwarding', 'net/bridge/bridge-nf-call-iptables', 'net/ipv4/conf/all/proxy_arp'];

/**
 * The network namespace this process runs in, as text: links, addresses, routes, rules, firewall and
 * the sysctls labs touch. Counters and link statistics are left out so only real changes show.
 * Run from vitest's main process it is the machine's root namespace (root-guard.ts); /run/netns and
 * /etc/netns are left out there: other people's labs on the machine come and go in them.
 */
export function rootSnapshot(): Record<string, string> {
  const sysctls = SYSCTLS.map((k) => {
    try {
      return `${k}=${readFileSync(`/proc/sys/${k}`, 'utf8').trim()}`;
    } catch {
      return `${k}=(absent)`;
    }
  }).join('\n');
  return {
    links: run('ip', ['-d', '-br', 'link']),
    addresses: run('ip', ['addr']).replace(/valid_lft .*$/gm, ''),
    // route cache entries age (expires Nsec) on a machine with live traffic: not a change netlab made
    routes: run('ip', ['route', 'show', 'table', 'all']).replace(/\s+expires \d+sec/g, ''),
    rules: run('ip', ['rule']),
    rules6: run('ip', ['-6', 'rule']),
    iptables: run('iptables-save', []).replace(/^#.*$/gm, '').replace(/\[\d+:\d+\]/g, ''),
    ip6tables: run('ip6tables-save', []).replace(/^#.*$/gm, '').replace(/\[\d+:\d+\]/g, ''),
    nft: run('nft', ['list', 'ruleset']).replace(/counter packets \d+ bytes \d+/g, 'counter'),
    sysctls,
  };
}

/**
 * A test file's private namespaces (test/helpers/netns-worker.sh): its network as rootSnapshot() sees
 * it, plus the namespaces pinned in its /run/netns and its /etc/netns, which only its own labs use.
 */
export function privateSnapshot(): Record<string, string> {
  return { ...rootSnapshot(), netns: run('ls', ['-A', '/run/netns']), etcNetns: run('ls', ['-A', '/etc/netns']) };
}

export function diffSnapshots(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(before).filter((k) => before[k] !== after[k]).map((k) => `${k} changed:\n--- before\n${before[k]}\n--- after\n${after[k]}`);
}
