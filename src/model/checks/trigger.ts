import type { TriggerSpec } from '../../schema/checks.js';
import type { Trigger } from '../types.js';
import type { Context, Path } from './context.js';
import { resolvePing, resolveTcp } from './ping-tcp.js';
import { resolveHttp } from './http.js';

/** What a capture listens while: a ping, tcp or http request. */
export function resolveTrigger(spec: TriggerSpec, index: number, path: Path, ctx: Context): Trigger | undefined {
  if (spec.ping) return resolvePing(spec.ping, index, [...path, 'ping'], undefined, ctx);
  if (spec.tcp) return resolveTcp(spec.tcp, index, [...path, 'tcp'], undefined, ctx);
  if (spec.http) return resolveHttp(spec.http, index, [...path, 'http'], undefined, ctx);
  return undefined;
}
