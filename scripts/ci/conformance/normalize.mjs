// Snapshots -> comparable lines per node and object. Only what is random is normalized: veth names
// (named by their peer), MACs (but Docker's IP-derived 02:42:ac:11:... and the 02:42 prefix stay),
// IPv6 link-local addresses, and counters.

const RANDOM_VETH = /^veth[0-9a-f]{7,}$/;
const SKIP_SYSCTL = /(stable_secret|tcp_fastopen_key|nf_conntrack_count|nf_conntrack_buckets|nf_conntrack_max|base_reachable_time$|hash_secret)/;

export function normalMac(mac) {
  if (!mac || mac === '00:00:00:00:00:00') return mac ?? '-';
  if (/^02:42:ac:11:/.test(mac)) return mac;
  if (/^02:42:/.test(mac)) return '02:42:<random>';
  return '<random>';
}

/** node -> (ifindex -> display name): random veth names become veth(peerNode:peerName). */
function vethNames(snaps) {
  const names = new Map();
  for (const [node, s] of Object.entries(snaps)) names.set(node, new Map(s.links.map((l) => [l.ifindex, l.ifname])));
  for (const [node, s] of Object.entries(snaps)) {
    for (const l of s.links) {
      if (l.linkinfo?.info_kind !== 'veth' || !RANDOM_VETH.test(l.ifname)) continue;
      for (const [peerNode, p] of Object.entries(snaps)) {
        if (peerNode === node) continue;
        const peer = p.links.find((x) => x.ifindex === l.link_index && x.link_index === l.ifindex && x.linkinfo?.info_kind === 'veth');
        if (peer) names.get(node).set(l.ifindex, `veth(${peerNode}:${peer.ifname})`);
      }
    }
  }
  return names;
}

function linkLines(s, names) {
  return s.links.map((l) => {
    const name = names.get(l.ifindex) ?? l.ifname;
    const master = l.master ? names.get(s.links.find((x) => x.ifname === l.master)?.ifindex) ?? l.master : '-';
    const flags = (l.flags ?? []).filter((f) => ['UP', 'LOWER_UP', 'NO-CARRIER'].includes(f)).join(',');
    return `${name} ${l.linkinfo?.info_kind ?? (name === 'lo' ? 'loopback' : 'device')} master=${master} state=${l.operstate} flags=${flags} mac=${normalMac(l.address)} mtu=${l.mtu}`;
  });
}

function addressLines(s, names) {
  return s.addrs.flatMap((l) => (l.addr_info ?? []).map((a) => {
    const dev = names.get(l.ifindex) ?? l.ifname;
    const local = a.family === 'inet6' && a.local.startsWith('fe80:') ? '<link-local>' : a.local;
    return `${dev} ${a.family} ${local}/${a.prefixlen}${a.broadcast ? ` brd ${a.broadcast}` : ''} scope ${a.scope}`;
  }));
}

function routeLines(routes, names, byName) {
  return routes.map((r) => {
    const dev = r.dev ? names.get(byName.get(r.dev)) ?? r.dev : '-';
    return [r.type && r.type !== 'unicast' ? r.type : '', r.dst, r.gateway ? `via ${r.gateway}` : '', `dev ${dev}`, r.protocol ? `proto ${r.protocol}` : '', r.scope ? `scope ${r.scope}` : '',
      r.prefsrc ? `src ${r.prefsrc}` : '', r.metric !== undefined ? `metric ${r.metric}` : ''].filter(Boolean).join(' ');
  });
}

/** iptables-save per table, without comments and counters; rule order kept. */
function iptablesObjects(text) {
  const tables = {};
  let table = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line === 'COMMIT') continue;
    if (line.startsWith('*')) { table = line.slice(1); tables[table] = []; continue; }
    if (table) tables[table].push(line.replace(/ \[\d+:\d+\]$/, ''));
  }
  return tables;
}

/** The sysctls that differ from a fresh namespace (per interface: from the fresh namespace's conf.default). */
function sysctlLines(s, names, byName, fresh) {
  const out = [];
  for (const [key, value] of Object.entries(s.sysctls)) {
    if (SKIP_SYSCTL.test(key)) continue;
    const m = /^net\.(ipv4|ipv6)\.(conf|neigh)\.([^.]+)\.(.+)$/.exec(key);
    let base;
    let shown = key;
    if (m && m[3] !== 'all' && m[3] !== 'default' && m[3] !== 'lo') {
      base = fresh[`net.${m[1]}.${m[2]}.default.${m[4]}`];
      shown = `net.${m[1]}.${m[2]}.${names.get(byName.get(m[3])) ?? m[3]}.${m[4]}`;
      if (m[4] === 'mtu') continue;   // follows the link's MTU, compared with the link
    } else base = fresh[key];
    if (base !== undefined && base !== value) out.push(`${shown} = ${value}`);
  }
  return out;
}

function listeningLines(s) {
  return s.listening.map((a) => a.replace(/^0\.0\.0\.0:/, '*:').replace(/^\[::\]:/, '*:'));
}

/** node -> object name -> lines */
export function normalize(snaps, fresh) {
  const names = vethNames(snaps);
  const result = {};
  for (const [node, s] of Object.entries(snaps)) {
    const own = names.get(node);
    const byName = new Map(s.links.map((l) => [l.ifname, l.ifindex]));
    const objects = {
      links: linkLines(s, own).sort(),
      addresses: addressLines(s, own).sort(),
      routes: [...routeLines(s.routes4, own, byName), ...routeLines(s.routes6, own, byName)].sort(),
      sysctls: sysctlLines(s, own, byName, fresh).sort(),
      listening: [...new Set(listeningLines(s))].sort(),
    };
    for (const [table, lines] of Object.entries(iptablesObjects(s.iptables))) objects[`iptables ${table}`] = lines;
    result[node] = objects;
  }
  return result;
}
