import { requireRoot } from '../../exec/preflight.js';
import { hostsStateFor } from '../across-hosts/hosts-state-for.js';
import { context } from '../context.js';
import type { Executor } from '../../exec/executor.js';
import { readInterfaces } from '../../observe/namespace.js';
import { listStates } from '../../state/store.js';
import { runningState } from '../lab-ref.js';
import { netnsExists } from '../../exec/netns.js';
import { colorFor, err, out, printJson } from '../output.js';

/** A node's live interfaces and addresses, read from the kernel with `ip -j addr`. */
async function liveInterfaces(executor: Executor, ns: string): Promise<{ name: string; state: string; mtu: number; mac?: string; addresses: string[] }[]> {
  return (await readInterfaces(executor, ns)).map((i) => ({
    name: i.ifname,
    state: i.operstate ?? '',
    mtu: i.mtu ?? 0,
    ...(i.address ? { mac: i.address } : {}),
    addresses: (i.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`),
  }));
}

export async function run(ref: string | undefined, opts: { prefix?: string; json?: boolean; diff?: boolean }): Promise<number> {
  const c = colorFor(process.stdout);
  if (!ref) {
    // a state file that fails the checks is not a lab to show, but it is not hidden either
    const refused = (file: string, error: Error) => err(`${colorFor(process.stderr).yellow('refused')} ${file}: ${error.message.replace(/^refusing the state file \S+: /, '')}`);
    const labs = listStates(refused).map((s) => ({ lab: s.name, prefix: s.prefix, id: s.id, status: s.status, startedAt: s.startedAt, namespaces: s.namespaces.length, processes: s.processes.length, file: s.labFile }));
    const across = (await import('../across-hosts/commands.js')).acrossHostsSummaries();
    if (opts.json) printJson([...labs, ...across.map((a) => ({ lab: a.id, across: a.hosts }))]);
    else if (labs.length === 0 && across.length === 0) out('no labs are running');
    else {
      for (const l of labs) out(`${c.bold(l.id)}  ${l.status}  ${l.namespaces} namespaces  ${l.processes} processes  since ${l.startedAt}`);
      for (const a of across) out(`${c.bold(a.id)}  across hosts ${a.hosts.join(', ')}`);
    }
    return 0;
  }
  const across = hostsStateFor(ref, opts.prefix);
  if (across) {
    const hosts = await import('../across-hosts/commands.js');
    return opts.diff ? hosts.driftAcrossHosts(across, opts) : hosts.statusAcrossHosts(across, opts);
  }
  // reading a lab's namespaces needs root; without it every node would look empty
  requireRoot('status');
  const state = runningState(ref, opts.prefix);
  if (opts.diff) return (await import('./status-diff.js')).showDrift(state, opts.json === true);
  const executor = context().executor();
  const nodes = await Promise.all(
    state.lab.nodes.map(async (n) => ({ node: n.name, namespace: n.ns, present: netnsExists(n.ns), interfaces: await liveInterfaces(executor, n.ns) })),
  );
  const services = state.processes.map((p) => ({ id: p.id, namespace: p.ns, pid: p.pid }));
  if (opts.json) printJson({ lab: state.name, prefix: state.prefix, status: state.status, startedAt: state.startedAt, file: state.labFile, nodes, services });
  else {
    out(`${c.bold(state.id)}  ${state.status}  since ${state.startedAt}  (${state.labFile})`);
    for (const n of nodes) {
      out(`  ${c.cyan(n.node)}${n.namespace !== n.node ? ` (netns ${n.namespace})` : ''}${n.present ? '' : c.red(' MISSING')}`);
      for (const i of n.interfaces) out(`    ${i.name.padEnd(16)} ${i.state.padEnd(8)} ${i.addresses.join(' ')}`);
    }
    for (const s of services) out(`  service ${s.id} pid ${s.pid}`);
  }
  return 0;
}
