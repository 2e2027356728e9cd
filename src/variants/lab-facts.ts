import type { LabSpec } from '../schema/index.js';
import type { Lab } from '../model/types.js';

/** Facts of the lab file the resolver does not carry: the chosen variant and the kernel features it needs. */
export function withLabFacts(lab: Lab, spec: LabSpec, variant: string | undefined): Lab {
  const requires = new Set<string>(spec.requires ?? []);
  for (const i of lab.interfaces) requires.add(i.kind);
  return { ...lab, requires: [...requires].sort(), ...(variant !== undefined ? { variant } : {}) };
}
