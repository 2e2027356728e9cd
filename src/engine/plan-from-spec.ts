import type { SpecHit } from './load-quick.js';
import type { Lab } from '../model/types.js';
import type { Plan } from '../compile/step.js';
import { resolveLab } from '../model/resolve.js';
import { withLabFacts } from '../variants/lab-facts.js';
import { compileUp } from '../compile/compile-up.js';

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
