import type { Lab } from '../../model/types.js';

/** Whether the lab gives `node` the device `dev`: one of its interfaces, or a loopback it does not keep down. */
export function labHasDevice(lab: Lab, node: string, dev: string): boolean {
  if (dev === 'lo') return lab.nodes.find((n) => n.name === node)?.loopback !== 'down';
  return lab.interfaces.some((i) => i.node === node && i.name === dev);
}
