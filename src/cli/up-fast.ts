import { enableSpecCache } from '../load/spec-cache.js';
import { cachedUpSource, keptUpLoad, type SpecHit, type UpLoad } from '../engine/load-quick.js';
import { trace } from '../trace.js';
import { respelled, STAND_IN } from '../engine/prefix-template.js';
import { parseLabArgv, type LabArgs } from './lab-argv.js';

// `netlab up LAB [--prefix P]` of a lab file `up`ed before is what a learner, a script and the
// benchmark run again and again (issue 17): bin/netlab sends `up` here, and when its argv has exactly
// that shape (lab-argv.ts) and the cache holds the plan compiled for this very text, prefix and build
// (load/spec-cache.ts), up-hit.ts runs the up command on it, past the CLI's argument parser and its
// other commands. A text validated before, under a prefix it was not `up`ed with (every integration
// test has one of its own), runs from the text's template, its plan for any prefix
// (engine/prefix-template.ts), or else is resolved and compiled from its cached spec first, as the
// full CLI would (engine/plan-from-spec.ts), which keeps the template. Anything else (another option,
// -q/-v, help, --, a value that looks like an option, a second argument, a text never validated, a
// lab with a problem under this prefix, an unreadable file) goes to the full CLI, so its parsing, its
// errors and a first up are exactly what they always were. This file, up-hit.js and plan-from-spec.js
// are each bundled into one CommonJS file (scripts/bundle.mjs): loading the 30-odd chunks of the up
// command one by one cost about 20 ms of CPU more than one file.

/** `up LAB [--prefix P]`; undefined for anything else (lab-argv.ts) */
export const parseUpArgv = (args: readonly string[]): LabArgs | undefined => parseLabArgv('up', args);

/** What bin/netlab runs for `netlab up ...`: the cached plan applied, a plan compiled from the cached spec, or the full CLI. */
export async function upMain(argv: readonly string[]): Promise<void> {
  const parsed = parseUpArgv(argv.slice(2));
  enableSpecCache();
  const found = parsed ? cachedUpSource(parsed.ref, parsed.prefix) : undefined;
  const loaded = found === undefined || 'loaded' in found ? found?.loaded : await fromSpec(found.fromSpec);
  if (parsed === undefined || loaded === undefined) {
    await (await import('./main.js')).main(argv);
    return;
  }
  await (await import('./up-hit.js')).upHit(parsed, loaded);
}

/**
 * A plan miss of a text validated before (a new prefix): resolved and compiled as the full CLI would
 * (engine/plan-from-spec.ts, its own CommonJS file) and kept; undefined (the full CLI, its errors) for
 * a lab with a problem under this prefix, and for anything that throws.
 */
async function fromSpec(hit: SpecHit): Promise<UpLoad | undefined> {
  try {
    const { genericPlan, planFromSpec } = await import('../engine/plan-from-spec.js');
    const template = 'spec' in hit.source ? genericPlan(hit.source.spec) : undefined;
    const made = template !== undefined ? respelled(template, STAND_IN, hit.prefix) : planFromSpec(hit.source, hit.prefix);
    trace('up: resolved and compiled from the cached spec');
    return made === undefined ? undefined : keptUpLoad(hit, made, template);
  } catch {
    return undefined;
  }
}
