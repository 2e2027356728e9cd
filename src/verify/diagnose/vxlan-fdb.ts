import type { VxlanSettings } from '../../model/types.js';

/**
 * A VXLAN forwarding entry as the kernel prints it: `port` and `vni` only when they differ from the
 * device's own (dstport, id); `via` (an underlay device) and `src_vni` only when set.
 */
export interface VxlanFdbEntry {
  readonly lladdr: string;
  readonly dst: string;
  readonly port?: number;
  readonly vni?: number;
  readonly via?: string;
  readonly src_vni?: number;
}

const ALL_ZEROS = /^(00:){5}00$/;

/** the lab's entry (MAC, dst, and the device's own VNI and port, no via) is the one the kernel holds: every printed field agrees */
export function sameVxlanEntry(have: VxlanFdbEntry, lladdr: string, dst: string, vx: VxlanSettings | undefined): boolean {
  if (have.lladdr.toLowerCase() !== lladdr.toLowerCase() || have.dst !== dst) return false;
  if (!vx) return true;
  return (have.port === undefined || have.port === vx.dstport) && (have.vni === undefined || have.vni === vx.id) && have.via === undefined && have.src_vni === undefined;
}

/** what differs from the lab's, in the kernel's words (empty when only the MAC/dst are missing) */
export function entryWords(e: VxlanFdbEntry): string {
  return [`${e.lladdr} dst ${e.dst}`, e.port === undefined ? '' : `port ${e.port}`, e.vni === undefined ? '' : `vni ${e.vni}`, e.via === undefined ? '' : `via ${e.via}`, e.src_vni === undefined ? '' : `src_vni ${e.src_vni}`].filter(Boolean).join(' ');
}

/**
 * `bridge fdb replace MAC dev DEV dst IP vni N port P self permanent`: the lab's entry, the device's VNI and port
 * named so the command says what it puts back over an entry with other values. The all-zeros entry is appended
 * (a list of remotes), as the lab makes it.
 */
export function fdbPutBackArgv(ns: string, lladdr: string, dev: string, dst: string, vx: VxlanSettings | undefined): string[] {
  const mac = lladdr.toLowerCase();
  const fields = vx && !ALL_ZEROS.test(mac) ? ['vni', String(vx.id), 'port', String(vx.dstport), 'self', 'permanent'] : [];
  return ['bridge', '-n', ns, 'fdb', ALL_ZEROS.test(mac) ? 'append' : 'replace', mac, 'dev', dev, 'dst', dst, ...fields];
}
