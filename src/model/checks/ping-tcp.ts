import type { PingCheck, TcpCheck } from '../types.js';
import { nodeNs, opt, type Context, type Entry, type Path } from './context.js';

type PingSpec = NonNullable<Entry['ping']>;
type TcpSpec = NonNullable<Entry['tcp']>;

export function resolvePing(p: PingSpec, index: number, path: Path, label: string | undefined, ctx: Context): PingCheck | undefined {
  const fromNs = nodeNs(p.from, [...path, 'from'], ctx);
  if (fromNs === undefined) return undefined;
  return {
    kind: 'ping', index, from: p.from, fromNs, to: p.to, expect: p.expect, count: p.count, timeout: p.timeout, ...opt('within', p.within),
    name: label ?? `ping ${p.from} -> ${p.to}: ${p.expect}`,
  };
}

export function resolveTcp(t: TcpSpec, index: number, path: Path, label: string | undefined, ctx: Context): TcpCheck | undefined {
  const fromNs = nodeNs(t.from, [...path, 'from'], ctx);
  if (fromNs === undefined) return undefined;
  return {
    kind: 'tcp', index, from: t.from, fromNs, to: t.to, port: t.port, expect: t.expect, timeout: t.timeout, ...opt('within', t.within),
    name: label ?? `tcp ${t.from} -> ${t.to}:${t.port}: ${t.expect}`,
  };
}
