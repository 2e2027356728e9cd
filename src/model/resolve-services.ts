import type { ServiceSpec } from '../schema/index.js';
import type { Problem } from '../problem.js';
import type { Service } from './types.js';

/** A node's services: defaults applied, each with an id unique in the lab (the state and logs use it). */
export function resolveServices(node: string, ns: string, specs: readonly ServiceSpec[], problems: Problem[]): Service[] {
  const ids = new Map<string, number>();
  return specs.flatMap((s, index): Service[] => {
    const label = s.name !== undefined ? { name: s.name } : {};
    let service: Service | undefined;
    if (s.http) {
      const h = s.http;
      service = {
        kind: 'http', node, ns, id: `${node}/http:${h.port}${h.address ? `@${h.address}` : ''}`, port: h.port, body: h.body ?? `hello from ${node}\n`,
        ...(h.address !== undefined ? { address: h.address } : {}), ...label,
      };
    } else if (s.dns) {
      const d = s.dns;
      service = {
        kind: 'dns', node, ns, id: `${node}/dns:${d.port}@${d.address}`, address: d.address, port: d.port, hosts: d.hosts,
        local: d.local ?? [], upstream: d.upstream ?? [], records: d.records ?? [], cnames: d.cnames ?? [], logQueries: d['log-queries'], ...label,
      };
    } else if (s.proxy) {
      const p = s.proxy;
      service = {
        kind: 'proxy', node, ns, id: `${node}/proxy:${p.port}${p.address ? `@${p.address}` : ''}`, port: p.port, to: p.to, toPort: p['to-port'],
        ...(p.address !== undefined ? { address: p.address } : {}), ...label,
      };
    } else if (s.pause) {
      service = { kind: 'pause', node, ns, id: `${node}/pause`, ...label };
    }
    if (!service) return [];
    if (s.name !== undefined) service = { ...service, id: `${node}/${s.name}` };
    const first = ids.get(service.id);
    if (first !== undefined) {
      problems.push({ path: ['nodes', node, 'services', index], message: `a second service ${service.id} in ${node} (services[${first}])`, hint: 'give each a different port, address or name' });
      return [];
    }
    ids.set(service.id, index);
    return [service];
  });
}
