import { checkPrefix, locateLab } from '../load/locate-lab.js';
import { readLabText } from '../load/read-text.js';
import { cachedLab } from '../load/spec-cache.js';
import { resolveLab } from '../model/resolve.js';
import { withLabFacts } from '../variants/lab-facts.js';
import type { LabSpec } from '../schema/index.js';
import type { Lab } from '../model/types.js';
import { trace } from '../trace.js';

/**
 * loadLab for the commands whose start is measured (plan, up): a lab file read before, without a
 * variant, comes from the cache of validated labs (load/spec-cache.ts) and resolves without loading
 * the schema (zod builds it in about 25 ms) or either YAML parser. Anything else (a miss, a variant, a
 * problem that needs its position) is loadLab itself, loaded on demand, with the same result and errors.
 */
export async function loadLabQuick(ref: string, options: { prefix?: string; variant?: string } = {}): Promise<{ lab: Lab; file: string }> {
  if (options.variant === undefined) {
    const file = locateLab(ref);
    const prefix = checkPrefix(options.prefix);
    const cached = cachedLab(readLabText(file));
    if (cached) {
      const spec = cached.spec as LabSpec;
      const { lab, problems } = resolveLab(spec, { prefix });
      trace('load: resolved from the cache');
      if (problems.length === 0) return { lab: withLabFacts(lab, spec, undefined), file };
    }
  }
  return (await import('../lab/load-lab.js')).loadLab(ref, options);
}
