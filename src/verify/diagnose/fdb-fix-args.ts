import { isIp } from '../../schema/ip-text.js';
import { MAC } from '../../schema/name-patterns.js';
import { FIX_IFNAME as IFNAME } from './fix-words.js';

/**
 * The `bridge fdb` words a diagnosis may print (rule 4), word by word:
 *   replace|append MAC dev IF [dst IPV4 [vni N] [port N] [self] [permanent]]   the lab's entry put back
 *   del MAC dev IF (dst IPV4 self | master)                                      an entry the lab does not have
 */
const UINT = /^[0-9]{1,8}$/;

const ipv4 = (w: string | undefined) => w !== undefined && isIp(w) && !w.includes(':');

export function fdbProblem(verb: string | undefined, args: readonly string[]): string | undefined {
  const [mac = '', dev, ifname = '', ...more] = args;
  if (verb !== 'replace' && verb !== 'append' && verb !== 'del') return `bridge fdb ${verb ?? ''}: only replace, append or del`;
  if (!MAC.test(mac) || dev !== 'dev' || !IFNAME.test(ifname)) return 'bridge fdb: MAC dev IF';
  const ok = verb === 'del' ? delTail(more) : putTail(more);
  return ok ? undefined : `bridge fdb ${verb}: not ${more.join(' ') || 'nothing'} after the device`;
}

/** nothing, or dst IPV4 then, in this order and each at most once: vni N (below 2^24), port N (1-65535), self, permanent */
function putTail(more: readonly string[]): boolean {
  if (!more.length) return true;
  const [dst, ip, ...rest] = more;
  if (dst !== 'dst' || !ipv4(ip)) return false;
  let i = 0;
  const number = (word: string, max: number) => {
    if (rest[i] !== word) return true;
    const n = rest[i + 1] ?? '';
    i += 2;
    return UINT.test(n) && Number(n) >= (word === 'port' ? 1 : 0) && Number(n) <= max;
  };
  if (!number('vni', 16777215) || !number('port', 65535)) return false;
  for (const flag of ['self', 'permanent']) if (rest[i] === flag) i += 1;
  return i === rest.length;
}

/** a VXLAN remote (dst IPV4 self) or a bridge's entry (master): nothing else, so only that one entry goes */
function delTail(more: readonly string[]): boolean {
  if (more.length === 1) return more[0] === 'master';
  return more.length === 3 && more[0] === 'dst' && ipv4(more[1]) && more[2] === 'self';
}
