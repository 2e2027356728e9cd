import type { HttpCheck } from '../types.js';
import { isIp } from '../../schema/ip-text.js';
import { regexProblem } from '../safe-regex.js';
import { nodeNs, opt, type Context, type Entry, type Path } from './context.js';

type HttpSpec = NonNullable<Entry['http']>;

export function resolveHttp(h: HttpSpec, index: number, path: Path, label: string | undefined, ctx: Context): HttpCheck | undefined {
  const fromNs = nodeNs(h.from, [...path, 'from'], ctx);
  const target = httpTarget(h, path, ctx, '/');
  if (h.expect !== 'response' && (h.status !== undefined || h.body !== undefined || h.match !== undefined || h.responders !== undefined)) {
    ctx.problems.push({ path: [...path, 'expect'], message: `a request that fails (${h.expect}) has no status, body or responders` });
  }
  if (h.match !== undefined) {
    const problem = regexProblem(h.match);
    if (problem) ctx.problems.push({ path: [...path, 'match'], message: `not a regular expression netlab can run in linear time (RE2 syntax): ${problem}`, hint: 'backreferences (\\1) and lookaround ((?=...), (?!...)) are not supported' });
  }
  if (h.responders !== undefined && h.responders > h.requests) {
    ctx.problems.push({ path: [...path, 'responders'], message: `${h.requests} request${h.requests === 1 ? '' : 's'} cannot reach ${h.responders} responders`, hint: `send more: requests: ${Math.max(12, h.responders * 6)}` });
  }
  if (fromNs === undefined || !target) return undefined;
  const what = h.expect !== 'response' ? h.expect
    : h.responders ? `${h.requests} requests reach >= ${h.responders} responders`
      : [String(h.status ?? 200), h.body !== undefined && `"${h.body.trim()}"`, h.match !== undefined && `/${h.match}/`].filter(Boolean).join(' ');
  return {
    kind: 'http', index, from: h.from, fromNs, ...target, expect: h.expect, requests: h.requests, timeout: h.timeout,
    ...opt('status', h.status ?? (h.expect === 'response' ? 200 : undefined)), ...opt('body', h.body), ...opt('match', h.match), ...opt('responders', h.responders), ...opt('within', h.within),
    name: label ?? `http ${h.from} -> ${target.url}: ${what}`,
  };
}

/** `url`, or `to` + `port` + `path`: exactly one of the two forms. */
export function httpTarget(h: { url?: string; to?: string; port?: number; path?: string }, path: Path, ctx: Context, defaultPath: string): { url: string; to: string; port: number } | undefined {
  if (h.url !== undefined && (h.to !== undefined || h.port !== undefined || h.path !== undefined)) {
    ctx.problems.push({ path: [...path, 'url'], message: 'give either url, or to with port and path, not both' });
    return undefined;
  }
  if (h.url !== undefined) {
    const u = new URL(h.url);
    const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    return { url: u.href, to: host, port: u.port === '' ? 80 : Number(u.port) };
  }
  if (h.to === undefined) {
    ctx.problems.push({ path, message: 'say where the request goes: url: http://ADDRESS/PATH, or to: ADDRESS (with port and path)' });
    return undefined;
  }
  const port = h.port ?? 80;
  const host = isIp(h.to) && h.to.includes(':') ? `[${h.to}]` : h.to;
  return { url: `http://${host}${port === 80 ? '' : `:${port}`}${h.path ?? defaultPath}`, to: h.to, port };
}
