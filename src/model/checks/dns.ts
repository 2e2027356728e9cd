import type { Check } from '../types.js';
import { nodeNs, opt, type Context, type Entry, type Path } from './context.js';
import { someOf } from '../../load/suggest.js';

/** The `dns:` check. */
export function resolveDns(d: NonNullable<Entry['dns']>, index: number, p: Path, label: string | undefined, ctx: Context): Check | undefined {
  const fromNs = nodeNs(d.from, [...p, 'from'], ctx);
  if (!d.server && d.expect === 'nxdomain') {
    ctx.problems.push({ path: [...p, 'expect'], message: 'without a server the node resolves like getent, which cannot tell NXDOMAIN from other failures', hint: 'use expect: not-found, or ask a server directly with server: ADDRESS' });
  }
  if (!d.server && (d.expect === 'refused' || d.expect === 'timeout' || d.expect === 'no-data')) {
    ctx.problems.push({ path: [...p, 'expect'], message: `getent cannot observe "${d.expect}"`, hint: 'use expect: not-found, or ask a server directly with server: ADDRESS' });
  }
  if (d.server && d.expect === 'not-found') {
    ctx.problems.push({ path: [...p, 'expect'], message: 'with a server, say how the lookup fails: nxdomain, no-data, refused or timeout' });
  }
  if ((d.addresses || d.cname) && d.expect !== 'resolved') {
    ctx.problems.push({ path: [...p, 'expect'], message: 'addresses and cname describe a resolved name; drop them or expect: resolved' });
  }
  if (d.type === 'CNAME' && d.addresses) ctx.problems.push({ path: [...p, 'addresses'], message: 'a CNAME query answers a name; use cname: TARGET' });
  if (d.addresses && d.type) {
    const wrong = d.addresses.filter((a) => (d.type === 'A' ? a.includes(':') : d.type === 'AAAA' ? !a.includes(':') : false));
    if (wrong.length) ctx.problems.push({ path: [...p, 'addresses'], message: `${someOf(wrong)} cannot be the answer of a ${d.type} query` });
  }
  if (fromNs === undefined) return undefined;
  const what = d.addresses ? d.addresses.join(', ') : d.cname ? `alias of ${d.cname}` : d.expect;
  return {
    kind: 'dns', index, from: d.from, fromNs, query: d.name, expect: d.expect, timeout: d.timeout,
    ...opt('server', d.server), ...opt('type', d.type), ...opt('addresses', d.addresses), ...opt('cname', d.cname), ...opt('within', d.within),
    name: label ?? `dns ${d.from}: ${d.name}${d.type ? ` ${d.type}` : ''}${d.server ? ` @${d.server}` : ''} -> ${what}`,
  };
}
