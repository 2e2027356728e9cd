import { checkPrefix, locateLab } from '../load/locate-lab.js';
import { readLabText } from '../load/read-text.js';
import { cachedLab, cachedResolvedLab, storeResolvedLab } from '../load/spec-cache.js';
import type { LabSpec } from '../schema/index.js';
import type { Lab } from '../model/types.js';
import { trace } from '../trace.js';

/**
 * loadLab for the commands whose start is measured (plan, up): a lab file read before, without a
 * variant, comes from the cache of validated labs (load/spec-cache.ts): resolved already when it was
 * read with this prefix before, else resolved from the stored spec, without loading the schema (zod
 * builds it in about 25 ms) or either YAML parser. Anything else (a miss, a variant, a problem that
 * needs its position) is loadLab itself, loaded on demand, with the same result and errors.
 */
export async function loadLabQuick(ref: string, options: { prefix?: string; variant?: string } = {}): Promise<{ lab: Lab; file: string }> {
  if (options.variant !== undefined) return (await import('../lab/load-lab.js')).loadLab(ref, options);
  const file = locateLab(ref);
  const prefix = checkPrefix(options.prefix);
  const text = readLabText(file);
  const resolved = cachedResolvedLab(text, prefix) as Lab | undefined;
  if (resolved !== undefined) {
    trace('load: resolved lab from the cache');
    return { lab: resolved, file };
  }
  const cached = cachedLab(text);
  if (cached) {
    const spec = cached.spec as LabSpec;
    // loaded only here: a lab resolved before needs neither the resolver nor its checks
    const [{ resolveLab }, { withLabFacts }] = await Promise.all([import('../model/resolve.js'), import('../variants/lab-facts.js')]);
    const { lab, problems } = resolveLab(spec, { prefix });
    trace('load: resolved from the cached spec');
    if (problems.length === 0) {
      const full = withLabFacts(lab, spec, undefined);
      storeResolvedLab(text, prefix, full);
      return { lab: full, file };
    }
  }
  // the first read of this text: the full path, and its resolved lab kept, so that the second up of
  // a lab is as quick as any later one (a lab with a problem throws here and is never stored)
  const loaded = (await import('../lab/load-lab.js')).loadLab(ref, { ...options, text });
  storeResolvedLab(text, prefix, loaded.lab);
  return loaded;
}
