import type { Step } from '../compile/step.js';
import type { Lab } from '../model/types.js';
import { ruleNote } from '../graph/topology.js';

// One line of why for each step of guided mode (`netlab up --step`): what the command does for the
// lab, in the words of the notes. Pure.

const nodeOf = (lab: Lab, ns: string) => lab.nodes.find((n) => n.ns === ns)?.name ?? ns;

export function whyOf(step: Step, lab: Lab): string {
  const node = nodeOf(lab, step.ns);
  switch (step.kind) {
    case 'netns.add':
    case 'link.add-bridge':
    case 'link.add-veth':
    case 'link.add-vxlan':
    case 'link.add-macvlan':
    case 'link.set':
      return whyLink(step, lab, node);
    case 'addr.add':
    case 'route.add':
    case 'neigh.add':
    case 'fdb.append':
    case 'sysctl.set':
      return whyConfig(step, node);
    default:
      return whyRest(step, node);
  }
}

type Kinds<K extends Step['kind']> = Extract<Step, { kind: K }>;

/** A namespace and its links. */
function whyLink(step: Kinds<'netns.add' | 'link.add-bridge' | 'link.add-veth' | 'link.add-vxlan' | 'link.add-macvlan' | 'link.set'>, lab: Lab, node: string): string {
  switch (step.kind) {
    case 'netns.add':
      return node === 'host'
        ? 'the lab\'s "host" is a namespace too, so this machine\'s own network is never touched'
        : `node ${node} gets its own network stack: links, addresses, routes, ARP table and firewall (a container has one)`;
    case 'link.add-bridge':
      return `${step.name} is a virtual switch in ${node} (what docker0 and cni0 are): every port plugged into it shares one Ethernet segment`;
    case 'link.add-veth':
      return `a veth pair is a virtual cable: ${step.name} stays in ${node}, its other end ${step.peer} goes straight into ${nodeOf(lab, step.peerNs)}`;
    case 'link.add-vxlan':
      return `VXLAN ${step.id} wraps Ethernet frames in UDP (port ${step.dstport})${step.remote ? ` to ${step.remote}` : ''}: an overlay like flannel's, across the underlay network` +
        (step.netns ? `; made in ${node}, whose network carries its packets, and moved into ${nodeOf(lab, step.netns)} (as Docker does for an overlay network)` : '');
    case 'link.add-macvlan':
      return `a macvlan of ${step.link} in ${node}: a second MAC on the same wire${step.netns ? `, moved into ${nodeOf(lab, step.netns)}` : ''} (mode ${step.mode}); ${node} itself cannot reach it through ${step.link}`;
    case 'link.set': {
      const set = step.set;
      if ('master' in set) return `plug ${step.dev} into bridge ${set.master} as a port (like \`brctl addif\`): the bridge now forwards frames to and from it`;
      if ('mtu' in set) return `set the MTU of ${step.dev} to ${set.mtu}${set.mtu < 1500 ? ': leaves room for a tunnel header' : ''}`;
      if ('mac' in set) return `a fixed MAC on ${step.dev}, so ARP and forwarding entries can name it`;
      if ('name' in set) return `${step.dev} was made in another namespace under a name free there; here it takes its own name ${set.name}`;
      if (step.dev === 'lo') return `bring up loopback in ${node}: a new namespace has lo down, so even 127.0.0.1 does not answer`;
      const bridgePort = lab.interfaces.some((i) => i.ns === step.ns && i.name === step.dev && i.master !== undefined);
      return bridgePort
        ? `bring up ${step.dev}: a bridge port forwards nothing while down (the notes forget this for the bridge-side ends)`
        : `bring up ${step.dev}: links are created down and pass nothing until both ends are up`;
    }
  }
}

/** Addresses, routes, neighbours and sysctls of a node. */
function whyConfig(step: Kinds<'addr.add' | 'route.add' | 'neigh.add' | 'fdb.append' | 'sysctl.set'>, node: string): string {
  switch (step.kind) {
    case 'addr.add': {
      const [ip, len] = step.cidr.split('/');
      return step.dev === 'lo'
        ? `${ip} on lo: an address of ${node} that does not belong to any one link`
        : `${ip} on ${step.dev} in ${node}; the /${len} also adds the connected route to its subnet (without it, "Network is unreachable")`;
    }
    case 'route.add': {
      const r = step.route;
      const via = r.via ? `via the gateway ${r.via}` : `directly out of ${r.dev ?? 'the link'}`;
      return r.to === 'default'
        ? `default route in ${node}: everything without a more specific route goes ${via}`
        : `${node} reaches ${r.to} ${via}${r.onlink ? ' (onlink: the gateway is taken to be on the link even outside its subnet)' : ''}`;
    }
    case 'neigh.add':
      return `a permanent ARP entry: ${step.address} is ${step.lladdr} on ${step.dev}, so ${node} never has to ask`;
    case 'fdb.append':
      return `tell ${step.dev} that ${step.lladdr} lives behind the VTEP ${step.dst} (what flannel programs for each node)`;
    case 'sysctl.set':
      if (/ip_forward|forwarding/.test(step.key)) return `${step.key}=${step.value}: ${step.value === '1' ? `${node} now routes packets between its interfaces, like a Docker host or a Kubernetes node` : `${node} stops routing between its interfaces`}`;
      if (/bridge-nf-call/.test(step.key)) return `${step.key}=${step.value}: whether bridged frames in ${node} pass through iptables (br_netfilter)`;
      return `${step.key}=${step.value} inside ${node} only (network sysctls are per namespace)`;
  }
}

/** The firewall, the files and the services. */
function whyRest(step: Kinds<'iptables.policy' | 'iptables.chain' | 'iptables.rule' | 'file.mkdir' | 'file.write' | 'service.start'>, node: string): string {
  switch (step.kind) {
    case 'iptables.policy':
      return `${step.table} ${step.chain} policy ${step.policy}${step.policy === 'DROP' ? ': anything no rule accepts is dropped (Docker sets FORWARD to DROP)' : ''}`;
    case 'iptables.chain':
      return `a custom chain ${step.chain} in ${step.table}, which rules jump to (as Docker's DOCKER and kube-proxy's KUBE-* chains)`;
    case 'iptables.rule': {
      const note = ruleNote(step.table, step.rule);
      if (note.startsWith('MASQUERADE')) return `NAT: ${note}; replies come back to ${node} and are translated back (how containers reach the internet)`;
      if (note.startsWith('DNAT')) return `port publishing: ${note} (docker run -p, a NodePort, a ClusterIP)`;
      if (note.startsWith('SNAT')) return `NAT: ${note}`;
      return `firewall in ${node}: ${note}`;
    }
    case 'file.mkdir':
      return `/etc/netns/${step.ns}/ holds files that \`ip netns exec\` bind-mounts over /etc inside ${node}`;
    case 'file.write':
      return step.name === 'resolv.conf'
        ? `${node}'s own /etc/resolv.conf: which DNS server its programs ask`
        : `${node}'s own /etc/${step.name} (seen only by programs run with ip netns exec)`;
    case 'service.start':
      return `start ${step.service.kind} in ${node}${'port' in step.service ? ` on port ${(step.service as { port: number }).port}` : ''}, so there is something to reach`;
  }
}
