import { checkPrefix, locateLab } from '../load/locate-lab.js';
import { readLabText } from '../load/read-text.js';
import { cachedLab, cachedResolvedLab, cachedUpPlan, cachedUpTemplate, storeResolvedLab, storeUpPlan, storeUpTemplate } from '../load/spec-cache.js';
import { respelled, STAND_IN } from './prefix-template.js';
import type { LabSpec } from '../schema/index.js';
import type { Lab } from '../model/types.js';
import type { Plan } from '../compile/step.js';
import { trace } from '../trace.js';

/**
 * loadLab for the commands whose start is measured (plan, up): a lab file read before, without a
 * variant, comes from the cache of validated labs (load/spec-cache.ts): resolved already when it was
 * read with this prefix before, else resolved from the stored spec, without loading the schema (zod
 * builds it in about 25 ms) or either YAML parser. Anything else (a miss, a variant, a problem that
 * needs its position) is loadLab itself, loaded on demand, with the same result and errors.
 */
export async function loadLabQuick(ref: string, options: { prefix?: string; variant?: string } = {}): Promise<{ lab: Lab; file: string }> {
  const { lab, file } = await loadLabAndText(ref, options);
  return { lab, file };
}

/** loadLabQuick, with the text the lab came from (absent with a variant): what `plan` keys what it printed by. */
export async function loadLabAndText(ref: string, options: { prefix?: string; variant?: string } = {}): Promise<{ lab: Lab; file: string; text?: string }> {
  if (options.variant !== undefined) return (await import('../lab/load-lab.js')).loadLab(ref, options);
  const file = locateLab(ref);
  const prefix = checkPrefix(options.prefix);
  const text = readLabText(file);
  const { lab } = await fromText(ref, file, prefix, text, options);
  return { lab, file, text };
}

/** What `up` starts from: the lab, and its compiled plan when this text was `up`ed with this prefix before. */
export interface UpLoad {
  readonly lab: Lab;
  readonly file: string;
  /** the plan compiled for this very text, prefix and build, read back (absent: compile, then keep it) */
  readonly plan?: Plan;
  /** store the plan compiled from `lab` for the next `up` of the same text (absent with a variant) */
  readonly keep?: (plan: Plan) => void;
}

/**
 * loadLabQuick for `up`: a text `up`ed before under this prefix also brings back the plan compiled
 * for it (spec-cache.ts, same ownership rules and key), so that up loads neither the resolver nor the
 * compiler; the plan is a function of the lab alone, the one `netlab plan` prints (issue 17).
 */
export async function loadUpQuick(ref: string, options: { prefix?: string; variant?: string } = {}): Promise<UpLoad> {
  if (options.variant !== undefined) return loadLabQuick(ref, options);
  const file = locateLab(ref);
  const prefix = checkPrefix(options.prefix);
  const text = readLabText(file);
  const hit = cachedUpPlan(text, prefix);
  if (hit !== undefined) {
    trace('load: compiled plan from the cache');
    return { lab: hit.lab as Lab, file, plan: hit.plan as Plan };
  }
  const { lab } = await fromText(ref, file, prefix, text, options);
  return { lab, file, keep: (plan) => storeUpPlan(text, prefix, lab, plan) };
}

/**
 * The lab and plan of this ref's text `up`ed before under this prefix, or undefined: a miss, and any
 * problem (no such lab, a bad prefix, an unreadable file), which the full CLI then reports as always.
 */
export function cachedUpLoad(ref: string, prefix: string | undefined): UpLoad | undefined {
  const found = cachedUpSource(ref, prefix);
  return found !== undefined && 'loaded' in found ? found.loaded : undefined;
}

/**
 * A text validated before, under a prefix it was not `up`ed with (a plan miss): what fromText would
 * start from, the lab it resolved under this prefix before or else the validated spec.
 */
export interface SpecHit {
  readonly file: string;
  readonly text: string;
  readonly prefix: string;
  readonly source: { readonly resolved: Lab } | { readonly spec: LabSpec };
}

/**
 * What up-fast.ts can run `up LAB [--prefix P]` from without the full CLI: the compiled plan (a hit),
 * or a SpecHit to compile (engine/plan-from-spec.ts, then keptUpLoad); undefined for a text never
 * validated, and for any problem (no such lab, a bad prefix, an unreadable file): the full CLI's.
 */
export function cachedUpSource(ref: string, prefix: string | undefined): { loaded: UpLoad } | { fromSpec: SpecHit } | undefined {
  try {
    const file = locateLab(ref);
    const checked = checkPrefix(prefix);
    const text = readLabText(file);
    const hit = cachedUpPlan(text, checked);
    if (hit !== undefined) {
      trace('load: compiled plan from the cache');
      return { loaded: { lab: hit.lab as Lab, file, plan: hit.plan as Plan } };
    }
    const template = cachedUpTemplate(text);
    const made = template === undefined ? undefined : respelled(template, STAND_IN, checked);
    if (made !== undefined) {
      trace('load: compiled plan from the cache, respelled for this prefix');
      return { loaded: { lab: made.lab as Lab, file, plan: made.plan as Plan } };
    }
    // fromText's order: the lab resolved under this prefix before, else the spec
    const resolved = cachedResolvedLab(text, checked) as Lab | undefined;
    const spec = resolved === undefined ? cachedLab(text)?.spec as LabSpec | undefined : undefined;
    if (resolved === undefined && spec === undefined) return undefined;
    trace('load: spec from the cache, plan miss');
    return { fromSpec: { file, text, prefix: checked, source: resolved !== undefined ? { resolved } : { spec: spec as LabSpec } } };
  } catch {
    return undefined;
  }
}

/**
 * The lab and plan made from a SpecHit, kept for the next up of this text: as the template of every
 * prefix when there is one (prefix-template.ts), else as up's `keep` keeps them, under this prefix.
 * (The resolved lab is not stored on its own as fromText does: the plan's entry holds it, and fewer
 * entries keep the spec entries longer in a cache of MAX_ENTRIES files.)
 */
export function keptUpLoad(hit: SpecHit, made: { lab: Lab; plan: Plan }, template?: { lab: Lab; plan: Plan }): UpLoad {
  if (template !== undefined) storeUpTemplate(hit.text, template.lab, template.plan);
  else storeUpPlan(hit.text, hit.prefix, made.lab, made.plan);
  return { lab: made.lab, file: hit.file, plan: made.plan };
}

async function fromText(ref: string, file: string, prefix: string, text: string, options: { prefix?: string }): Promise<{ lab: Lab; file: string }> {
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
