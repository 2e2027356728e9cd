// Proposes the breakage corpus test/breakages/<lab>.yaml from each shipped lab: the mistakes a
// learner makes by hand on a running lab, each with the cause it must be diagnosed as. The expected
// cause follows from the breakage itself (a link set down is link_down there), never from running
// the diagnosis. The lab's own path (from the lab file) says which nodes and links a check crosses.
// Usage: npm run build && node test/tools/gen-breakages.mjs LAB ...   (writes test/breakages/LAB.yaml;
// red-blue-veth.yaml has two entries added by hand, and dns.yaml's resolv.conf and hosts entries name
// the checks that fail (a name in the hosts file survives a broken resolv.conf): regenerate only with care)
import { readdirSync, writeFileSync } from 'node:fs';
import { loadLab } from '../../dist/lab/load-lab.js';
import { labFacts, l2Path, ownerOf } from '../../dist/verify/diagnose/facts.js';
import { tracePath } from '../../dist/verify/diagnose/trace.js';
import { flowOf } from '../../dist/verify/diagnose/diagnose.js';
import { inSubnet } from '../../dist/model/addr.js';

const ns = (node) => `{${node}}`;
const ipn = (node, ...rest) => ['ip', '-n', ns(node), ...rest];
const nsx = (node, ...rest) => ['ip', 'netns', 'exec', ns(node), ...rest];

function bump(cidr) {
  const [ip, prefix] = cidr.split('/');
  const o = ip.split('.').map(Number);
  o[3] = o[3] > 154 ? o[3] - 100 : o[3] + 100;
  return `${o.join('.')}/${prefix}`;
}

async function propose(name) {
  const { lab } = loadLab(`labs/${name}.yaml`);
  const facts = labFacts(lab);
  const out = new Map();
  const add = (key, b) => { if (!out.has(key)) out.set(key, b); };
  for (const check of lab.checks) {
    const flow = flowOf(check);
    if (!flow || !flow.expectsReach || !/^[0-9.]+$/.test(flow.to)) continue;
    const t = await tracePath(lab, facts, flow.from, flow.to, flow.options);
    if (!t.arrived) continue;
    const c = check.name;
    const hops = t.hops;
    const first = hops[0];
    const last = hops.at(-1);
    // both ends of the first link, and of the last
    if (first?.out) add(`down ${first.node} ${first.out}`, { name: `${first.out} set down in ${first.node}`, run: [ipn(first.node, 'link', 'set', 'dev', first.out, 'down')], check: c, cause: { code: 'link_down', node: first.node, interface: first.out }, fix: 'command' });
    if (last?.in && last.node !== first?.node) add(`down ${last.node} ${last.in}`, { name: `${last.in} set down in ${last.node} (the far end)`, run: [ipn(last.node, 'link', 'set', 'dev', last.in, 'down')], check: c, cause: { code: 'link_down', node: last.node, interface: last.in }, fix: 'command' });
    for (const [i, h] of hops.entries()) {
      const next = hops[i + 1];
      if (h.out && next) {
        const path = l2Path(lab, { node: h.node, dev: h.out }, { node: next.node, dev: next.in }) ?? [];
        for (const step of path.slice(1, -1)) {
          const iface = lab.interfaces.find((x) => x.node === step.node && x.name === step.dev);
          if (iface?.master) add(`nomaster ${step.node} ${step.dev}`, { name: `${step.dev} taken out of ${iface.master} in ${step.node}`, run: [ipn(step.node, 'link', 'set', 'dev', step.dev, 'nomaster')], check: c, cause: { code: 'bridge_port_detached', node: step.node, interface: step.dev }, fix: 'command' });
        }
      }
      if (i > 0 && !h.local) {
        add(`fwd ${h.node}`, { name: `ip_forward set to 0 in ${h.node}`, run: [nsx(h.node, 'sysctl', '-w', 'net.ipv4.ip_forward=0')], check: c, cause: { code: 'ip_forward_off', node: h.node, ...(h.in ? { interface: h.in } : {}) }, fix: 'command' });
        const fw = lab.nodes.find((n) => n.name === h.node)?.firewall.find((f) => f.table === 'filter');
        const plain = !fw || (fw.rules.every((r) => r[1] !== 'FORWARD') && !fw.policies.some((p) => p.chain === 'FORWARD' && p.policy !== 'ACCEPT'));
        if (plain) {
          add(`drop ${h.node}`, { name: `FORWARD policy DROP in ${h.node}`, run: [nsx(h.node, 'iptables', '-P', 'FORWARD', 'DROP')], check: c, cause: { code: 'forward_drop', node: h.node, ...(h.in ? { interface: h.in } : {}) }, fix: 'command' });
          if (h.in && h.out && h.in !== h.out) add(`half ${h.node}`, { name: `FORWARD DROP in ${h.node} with an accept rule for requests only (${h.in} -> ${h.out})`, run: [nsx(h.node, 'iptables', '-P', 'FORWARD', 'DROP'), nsx(h.node, 'iptables', '-A', 'FORWARD', '-i', h.in, '-o', h.out, '-j', 'ACCEPT')], check: c, cause: { code: 'forward_drop', node: h.node, interface: h.out }, fix: 'command' });
        }
      }
      const natRules = lab.nodes.find((n) => n.name === h.node)?.firewall.find((f) => f.table === 'nat')?.rules ?? [];
      if (h.nat.some((x) => /^(MASQUERADE|SNAT) /.test(x))) {
        const rule = natRules.find((r) => r[1] === 'POSTROUTING' && (r.includes('MASQUERADE') || r.includes('SNAT'))) ?? natRules.find((r) => r.includes('MASQUERADE') || r.includes('SNAT'));
        if (rule) add(`masq ${h.node}`, { name: `the MASQUERADE/SNAT rule deleted in ${h.node}`, run: [nsx(h.node, 'iptables', '-t', 'nat', '-D', ...rule.slice(1))], check: c, cause: { code: 'masquerade_missing', node: h.node, interface: h.out }, fix: 'command' });
      }
      if (h.nat.some((x) => x.startsWith('DNAT '))) {
        const chain = i === 0 ? 'OUTPUT' : 'PREROUTING';
        const rule = natRules.find((r) => r[1] === chain && r.includes('DNAT'));
        if (rule) add(`dnat ${h.node} ${chain}`, { name: `the DNAT rule deleted from ${chain} in ${h.node}`, run: [nsx(h.node, 'iptables', '-t', 'nat', '-D', ...rule.slice(1))], check: c, cause: { code: 'dnat_missing', node: h.node, ...(i > 0 && h.in ? { interface: h.in } : {}) }, fix: 'command' });
      }
    }
    if (last?.local && last.in) {
      const cidr = lab.interfaces.find((x) => x.node === last.node && x.name === last.in)?.addresses.find((a) => a.split('/')[0] === last.dst);
      if (cidr && !cidr.includes(':')) add(`addr ${last.node} ${last.in}`, { name: `${last.node}'s address ${cidr} changed to ${bump(cidr)}`, run: [ipn(last.node, 'addr', 'del', cidr, 'dev', last.in), ipn(last.node, 'addr', 'add', bump(cidr), 'dev', last.in)], check: c, cause: { code: 'address_mismatch', node: last.node, interface: last.in }, fix: 'command' });
    }
    // the route the packet takes, and only when no other declared route would carry it instead
    const covering = first ? (lab.nodes.find((n) => n.name === first.node)?.routes ?? []).filter((r) => r.to === 'default' || r.to === flow.to || (r.to.includes('/') && inSubnet(flow.to, r.to))) : [];
    const route = covering.length === 1 && covering[0].via && covering[0].via === first.via ? covering[0] : undefined;
    if (route) add(`route ${first.node} ${route.to}`, { name: `${first.node}'s route to ${route.to} deleted`, run: [ipn(first.node, 'route', 'del', route.to)], check: c, cause: { code: 'no_route', node: first.node }, fix: 'command' });
    const back = t.reply?.[0];
    const backRoute = back && back.via && lab.nodes.find((n) => n.name === back.node)?.routes.find((r) => r.via === back.via && r.to !== 'default');
    if (backRoute) add(`route ${back.node} ${backRoute.to}`, { name: `${back.node}'s route back to ${backRoute.to} deleted`, run: [ipn(back.node, 'route', 'del', backRoute.to)], check: c, cause: { code: 'no_return_route', node: back.node }, fix: 'command' });
    const port = flow.options.dport;
    const dest = last?.node;
    const service = dest && lab.nodes.find((n) => n.name === dest)?.services.find((sv) => sv.port === port);
    if (service && (service.kind === 'http' || service.kind === 'dns')) add(`stop ${dest} ${port}`, { name: `the ${service.kind} service in ${dest} stopped`, run: [{ stop: { node: dest, service: service.kind } }], check: c, cause: { code: service.kind === 'dns' ? 'dns_server_down' : 'service_down', node: dest }, fix: 'words', repair: [{ restart: true }] });
    for (const [i, h] of hops.entries()) {
      const iface = lab.interfaces.find((x) => x.node === h.node && x.name === h.out);
      if (iface?.kind !== 'vxlan') continue;
      const fdb = lab.nodes.find((n) => n.name === h.node)?.fdb.find((f) => f.dev === h.out);
      if (fdb) add(`fdb ${h.node}`, { name: `the VXLAN forwarding entry deleted in ${h.node}`, run: [['bridge', '-n', ns(h.node), 'fdb', 'del', fdb.lladdr, 'dev', fdb.dev, 'dst', fdb.dst]], check: c, cause: { code: 'fdb_missing', node: h.node, interface: h.out }, fix: 'command' });
      void i;
    }
  }
  for (const check of lab.checks) {
    if (check.kind !== 'dns' || check.server || check.expect !== 'resolved') continue;
    const node = lab.nodes.find((n) => n.name === check.from);
    const resolv = node?.files.find((f) => f.name === 'resolv.conf');
    if (resolv) add(`resolv ${node.name}`, { name: `${node.name}'s resolv.conf pointed at a server that does not exist`, run: [{ write: { node: node.name, file: 'resolv.conf', content: 'nameserver 198.51.100.99\n' } }], check: check.name, cause: { code: 'resolv_conf_wrong', node: node.name }, fix: 'words', repair: [{ write: { node: node.name, file: 'resolv.conf', content: resolv.content } }] });
    const hosts = node?.files.find((f) => f.name === 'hosts');
    if (hosts && hosts.content.includes(check.query)) add(`hosts ${node.name}`, { name: `${node.name}'s hosts file emptied`, run: [{ write: { node: node.name, file: 'hosts', content: '127.0.0.1 localhost\n' } }], check: check.name, cause: { code: 'hosts_file_wrong', node: node.name }, fix: 'words', repair: [{ write: { node: node.name, file: 'hosts', content: hosts.content } }] });
  }
  // at most PER_LAB, as many different causes as the lab offers first
  const all = [...out.values()];
  const picked = [];
  for (const b of all) if (picked.length < PER_LAB && !picked.some((p) => p.cause.code === b.cause.code)) picked.push(b);
  for (const b of all) if (picked.length < PER_LAB && !picked.includes(b)) picked.push(b);
  return picked;
}

const PER_LAB = 8;

/** one breakage per block, each command on one line as a flow sequence */
function render(name, breakages) {
  const flow = (v) => JSON.stringify(v);
  const lines = [`lab: ${name}`, 'breakages:'];
  for (const b of breakages) {
    lines.push(`  - name: ${flow(b.name)}`, '    run:', ...b.run.map((r) => `      - ${flow(r)}`), `    check: ${flow(b.check)}`);
    lines.push(`    cause: ${flow(b.cause)}`, `    fix: ${b.fix}`);
    if (b.repair) lines.push('    repair:', ...b.repair.map((r) => `      - ${flow(r)}`));
  }
  return `${lines.join('\n')}\n`;
}

const labs = process.argv.slice(2).length ? process.argv.slice(2) : readdirSync('labs').filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
for (const name of labs) {
  const breakages = await propose(name);
  const header = `# Breakages of labs/${name}.yaml made by hand on the running lab (proposed by test/tools/gen-breakages.mjs, then kept here as data).\n# {node} in a command is that node's namespace (the lab's prefix + node). Schema: test/helpers/breakage-corpus.ts\n`;
  writeFileSync(`test/breakages/${name}.yaml`, header + render(name, breakages));
  console.log(`${name}: ${breakages.length}`);
}
