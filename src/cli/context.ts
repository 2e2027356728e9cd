import type { Context, Verbosity } from '../engine/context.js';
import { createLocalExecutor } from '../exec/local.js';
import { createNetForker } from '../exec/net-forker.js';

/** The global flags that shape the context (-q, -v), before or after the subcommand. */
export interface GlobalFlags { readonly quiet?: boolean; readonly verbose?: boolean }

const positive = (text: string | undefined): number | undefined => {
  const n = Number(text);
  return text !== undefined && text !== '' && Number.isInteger(n) && n > 0 ? n : undefined;
};

/**
 * The one reader of netlab's NETLAB_* settings (except NETLAB_TIMEOUT_SCALE, NETLAB_STATE_DIR and
 * NETLAB_TRACE: see timeout-scale.ts, paths.ts and trace.ts for why they stay process-wide).
 * A flag wins over NETLAB_VERBOSITY; a bad number is ignored, as before.
 */
export function contextFrom(flags: GlobalFlags, env: NodeJS.ProcessEnv): Context {
  const fromEnv = env.NETLAB_VERBOSITY === 'quiet' || env.NETLAB_VERBOSITY === 'verbose' ? env.NETLAB_VERBOSITY : 'normal';
  const verbosity: Verbosity = flags.quiet ? 'quiet' : flags.verbose ? 'verbose' : fromEnv;
  const echo = verbosity === 'verbose' ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
  const serviceReadyMs = positive(env.NETLAB_SERVICE_READY_MS);
  return {
    verbosity,
    ...(echo ? { echo } : {}),
    jobs: positive(env.NETLAB_JOBS) ?? 4,
    ...(env.NETLAB_RUNNER !== undefined ? { runner: env.NETLAB_RUNNER } : {}),
    ...(serviceReadyMs !== undefined ? { serviceReadyMs } : {}),
    executor: ({ netForker, ...options } = {}) => {
      // NETLAB_RUNNER=nsenter (or none) keeps nsenter for every command, the forker's fallback
      const forker = netForker && env.NETLAB_RUNNER !== 'nsenter' && env.NETLAB_RUNNER !== 'none' ? createNetForker() : undefined;
      return createLocalExecutor({ ...options, ...(echo ? { echo } : {}), ...(forker ? { forker } : {}) });
    },
  };
}

let current: Context | undefined;

/** Set once, from the parsed global flags, before a command runs (cli/register-tools.ts). */
export function setContext(context: Context): void {
  current = context;
}

/** The context of this run; before the flags are parsed, the environment's. */
export function context(): Context {
  current ??= contextFrom({}, process.env);
  return current;
}
