import { isDeepStrictEqual } from 'node:util';
import type { SpecHit } from './load-quick.js';
import type { LabSpec } from '../schema/index.js';
import type { Lab } from '../model/types.js';
import type { Plan } from '../compile/step.js';
import { resolveLab } from '../model/resolve.js';
import { withLabFacts } from '../variants/lab-facts.js';
import { compileUp } from '../compile/compile-up.js';
import { OTHER_STAND_IN, respelled, STAND_IN } from './prefix-template.js';

// `netlab up LAB --prefix P` of a text validated before, under a prefix it was never `up`ed with: what
// every integration test does (each has a prefix of its own). The full CLI would resolve the cached
// spec with this prefix (engine/load-quick.ts fromText) and compile it (engine/up.ts); this is the same
// resolve, facts and compile, bundled with nothing else (scripts/bundle.mjs: plan-from-spec.cjs), so
// that cli/up-fast.ts can run such an up without loading the CLI, its parser or the ESM loader (issue 17).

/**
 * The lab of this spec under this prefix (or the one resolved before, which fromText would take) and
 * its plan; undefined when the lab has a problem under this prefix, which the full CLI then reports.
 */
export function planFromSpec(source: SpecHit['source'], prefix: string): { lab: Lab; plan: Plan } | undefined {
  let lab: Lab;
  if ('resolved' in source) lab = source.resolved;
  else {
    const { lab: bare, problems } = resolveLab(source.spec, { prefix });
    if (problems.length > 0) return undefined;
    lab = withLabFacts(bare, source.spec, undefined);
  }
  return { lab, plan: compileUp(lab) };
}

/**
 * The lab and plan of this spec under STAND_IN when they are those of every prefix, STAND_IN spelled
 * as it (prefix-template.ts): the spec spells neither stand-in, and resolved under the other one it
 * gives exactly the respelled result. Undefined otherwise (a lab with a problem, too).
 */
export function genericPlan(spec: LabSpec): { lab: Lab; plan: Plan } | undefined {
  const written = JSON.stringify(spec);
  if (written.includes(STAND_IN) || written.includes(OTHER_STAND_IN)) return undefined;
  const kept = planFromSpec({ spec }, STAND_IN);
  const other = planFromSpec({ spec }, OTHER_STAND_IN);
  if (kept === undefined || other === undefined) return undefined;
  return isDeepStrictEqual(respelled(kept, STAND_IN, OTHER_STAND_IN), other) ? kept : undefined;
}
