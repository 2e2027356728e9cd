import type { Step } from '../compile/step.js';

/**
 * The tunnels phase runs its namespaces side by side. A device made in another namespace and moved in
 * (a cross-host link's VXLAN, made in the uplink namespace) must exist before a device made in place
 * runs over it (flannel.1 over that eth0): those go in a second wave.
 */
export function tunnelWaves(steps: readonly Step[]): Step[][] {
  const moved = new Set(steps.flatMap((s) => ((s.kind === 'link.add-vxlan' || s.kind === 'link.add-macvlan') && s.netns !== undefined ? [`${s.netns}/${s.name}`] : [])));
  const waitsForMoved = (s: Step) => (s.kind === 'link.add-vxlan' && s.netns === undefined && moved.has(`${s.ns}/${s.dev ?? ''}`))
    || (s.kind === 'link.add-macvlan' && s.netns === undefined && moved.has(`${s.ns}/${s.link}`));
  const second = steps.filter(waitsForMoved);
  return second.length === 0 ? [[...steps]] : [steps.filter((s) => !waitsForMoved(s)), second];
}
