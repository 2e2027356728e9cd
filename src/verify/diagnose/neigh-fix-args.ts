import { isIp } from '../../schema/ip-text.js';
import { MAC } from '../../schema/name-patterns.js';
import { FIX_IFNAME as IFNAME } from './fix-words.js';

/**
 * The `ip -n NS neigh ...` commands a diagnosis may print, word for word (rule 4: an allow-list for what
 * reaches a root process): an entry put back (`replace IP lladdr MAC dev IF nud permanent`), a wrong one
 * deleted (`del IP dev IF`), the unresolved ones flushed (`flush dev IF [nud failed] [nud incomplete]`).
 */
export function neighArgsProblem(rest: readonly string[]): string | undefined {
  const [verb, ...args] = rest;
  const [a0 = '', a1 = '', a2 = '', a3 = '', a4 = '', a5 = '', a6 = ''] = args;
  if (verb === 'replace' && args.length === 7 && isIp(a0) && a1 === 'lladdr' && MAC.test(a2) && a3 === 'dev' && IFNAME.test(a4) && a5 === 'nud' && a6 === 'permanent') return undefined;
  if (verb === 'del' && args.length === 3 && isIp(a0) && a1 === 'dev' && IFNAME.test(a2)) return undefined;
  if (verb === 'flush' && a0 === 'dev' && IFNAME.test(a1) && nudStates(args.slice(2))) return undefined;
  return `ip neigh: only replace IP lladdr MAC dev IF nud permanent, del IP dev IF, flush dev IF [nud failed|incomplete], not ${rest.join(' ') || 'nothing'}`;
}

/** `nud failed nud incomplete`: pairs naming unresolved states only */
function nudStates(words: readonly string[]): boolean {
  if (words.length % 2 !== 0) return false;
  return words.every((w, i) => (i % 2 === 0 ? w === 'nud' : w === 'failed' || w === 'incomplete'));
}
