import type { SshSession } from '../../exec/ssh-session.js';
import { directionsOf, fdbSendsTo, judgeDirection, parseCachedPmtu, parseLinkLocal, probeArgv, type TunnelVerdict } from '../../hosts/tunnel-probes.js';
import { rootArgv } from './host-ops.js';
import type { HostRecord, HostsState } from './hosts-state.js';
import { targetOfRecord } from './targets.js';
import { UPLINK_DEVICE } from '../../hosts/uplink-argv.js';
import { IpLink, parseIpJson } from '../../observe/ip-json.js';

function mtuOf(json: string): number {
  return parseIpJson(IpLink, json)?.[0]?.mtu ?? Number.NaN;
}

/** Every tunnel in both directions, probed on the host it starts from (hosts/tunnel-probes.ts says how). */
export async function checkTunnels(ssh: SshSession, state: HostsState): Promise<TunnelVerdict[]> {
  const records = new Map(state.hosts.map((h) => [h.name, h]));
  const run = async (host: string, argv: string[]) => {
    const record = records.get(host) as HostRecord;
    const t = targetOfRecord(record);
    return ssh.run(t, rootArgv(t, argv), { timeoutMs: 30_000 });
  };
  // the underlay device, and the macvlan on it (which keeps a lowered MTU when the device's goes back up)
  const mtus = (await Promise.all(state.hosts.filter((h) => h.underlay !== undefined).map(async (h) => {
    const [device, macvlan] = await Promise.all([
      run(h.name, ['cat', `/sys/class/net/${h.underlay}/mtu`]),
      h.uplink ? run(h.name, ['ip', '-n', h.uplink, '-j', 'link', 'show', 'dev', UPLINK_DEVICE]) : Promise.resolve(undefined),
    ]);
    return [
      { host: h.name, device: h.underlay as string, mtu: device.exitCode === 0 ? Number(device.stdout.trim()) : Number.NaN },
      { host: h.name, device: `${UPLINK_DEVICE} in ${h.uplink}`, mtu: macvlan?.exitCode === 0 ? mtuOf(macvlan.stdout) : Number.NaN },
    ];
  }))).flat();
  const directions = directionsOf(state.tunnels, (host) => records.get(host)?.uplink);
  return Promise.all(directions.map(async (d) => {
    const ok = async (host: string, argv: string[]) => (await run(host, argv)).exitCode === 0;
    const [far, fdb, underlay, underlayFull] = await Promise.all([
      run(d.to.host, probeArgv.linkLocal(d)).then((r) => parseLinkLocal(r.stdout)),
      run(d.from.host, probeArgv.fdb(d)).then((r) => fdbSendsTo(r.stdout, d.to.address)),
      ok(d.from.host, probeArgv.underlay(d)),
      ok(d.from.host, probeArgv.underlayFull(d)),
    ]);
    const tunnel = far === undefined ? undefined : await ok(d.from.host, probeArgv.tunnel(d, far));
    const tunnelFull = far === undefined || !tunnel ? undefined : await ok(d.from.host, probeArgv.tunnelFull(d, far));
    const cachedPmtu = far !== undefined && tunnelFull === false ? parseCachedPmtu((await run(d.from.host, probeArgv.pmtuCache(d, far))).stdout) : undefined;
    const ends = mtus.filter((m) => (m.host === d.from.host || m.host === d.to.host) && Number.isFinite(m.mtu));
    return judgeDirection(d, { ...(far !== undefined ? { farLinkLocal: far } : {}), fdbHasRemote: fdb, underlay, underlayFull, ...(tunnel !== undefined ? { tunnel } : {}), ...(tunnelFull !== undefined ? { tunnelFull } : {}), ...(cachedPmtu ? { cachedPmtu } : {}), mtus: ends });
  }));
}
