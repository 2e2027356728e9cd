import type { LabSpec } from '../schema/index.js';
import type { Problem } from '../problem.js';
import type { Check, Interface } from './types.js';
import { attemptFormula, attemptSeconds, MAX_ATTEMPT_SECONDS } from './check-time.js';
import type { Context, Entry, Path } from './checks/context.js';
import { resolvePing, resolveTcp } from './checks/ping-tcp.js';
import { resolveHttp } from './checks/http.js';
import { resolveDns } from './checks/dns.js';
import { resolveNat } from './checks/nat.js';
import { resolveRoute } from './checks/route.js';
import { resolveInterface } from './checks/interface.js';
import { resolveSysctl } from './checks/sysctl.js';
import { resolveFirewallCheck } from './checks/firewall.js';
import { resolveNeighbor } from './checks/neighbor.js';
import { resolveCapture } from './checks/capture.js';

/** The lab's checks, with nodes resolved to namespaces and every bad reference reported at its YAML path. */
export function resolveChecks(spec: LabSpec, nsByNode: ReadonlyMap<string, string>, interfaces: readonly Interface[], problems: Problem[]): Check[] {
  const ctx: Context = { ns: nsByNode, interfaces, problems };
  const checks: Check[] = [];
  (spec.checks ?? []).forEach((entry, index) => {
    const check = resolveEntry(entry, index, ['checks', index], ctx);
    if (check && attemptSeconds(check) > MAX_ATTEMPT_SECONDS) {
      problems.push({
        path: ['checks', index, check.kind],
        message: `one attempt of this check could take ${Math.round(attemptSeconds(check))} s (${attemptFormula(check)}); at most ${MAX_ATTEMPT_SECONDS} s are allowed`,
        hint: 'fewer requests or pings, or a shorter timeout',
      });
    } else if (check) checks.push(check);
  });
  return checks;
}

/** The entry's one kind (the schema allows exactly one), resolved by that kind's file under checks/. */
function resolveEntry(entry: Entry, index: number, path: Path, ctx: Context): Check | undefined {
  const label = entry.name;
  const at = (kind: string) => [...path, kind];
  if (entry.ping) return resolvePing(entry.ping, index, at('ping'), label, ctx);
  if (entry.tcp) return resolveTcp(entry.tcp, index, at('tcp'), label, ctx);
  if (entry.http) return resolveHttp(entry.http, index, at('http'), label, ctx);
  if (entry.dns) return resolveDns(entry.dns, index, at('dns'), label, ctx);
  if (entry.nat) return resolveNat(entry.nat, index, at('nat'), label, ctx);
  if (entry.route) return resolveRoute(entry.route, index, at('route'), label, ctx);
  if (entry.interface) return resolveInterface(entry.interface, index, at('interface'), label, ctx);
  if (entry.sysctl) return resolveSysctl(entry.sysctl, index, at('sysctl'), label, ctx);
  if (entry.firewall) return resolveFirewallCheck(entry.firewall, index, at('firewall'), label, ctx);
  if (entry.neighbor) return resolveNeighbor(entry.neighbor, index, at('neighbor'), label, ctx);
  if (entry.capture) return resolveCapture(entry.capture, index, at('capture'), label, ctx);
  return undefined;
}
