import { renderError } from './render-error.js';
import { installOutputGuards } from './signals.js';
import { parseTimeoutScale, setTimeoutScale } from '../timeout-scale.js';
import { trace } from '../trace.js';

// `netlab serve` is started once per service of a lab, as a Node process of its own: bin/netlab sends
// it here, past the CLI's argument parser (commander) and the other commands, which cost a service
// about a third of its start. Only the exact argv netlab renders for its services
// (render/service-argv.ts) is taken; anything else (another order, --opt=value, a value that looks
// like an option, help) goes to the full CLI, so what a learner types behaves as it always did.

const KINDS = new Set(['http', 'proxy', 'pause']);
const OPTIONS: Readonly<Record<string, string>> = { '--node': 'node', '--port': 'port', '--address': 'address', '--body': 'body', '--to': 'to', '--to-port': 'toPort' };

export interface ServeArgs {
  readonly kind: string;
  readonly opts: { node: string; port: string; address?: string; body?: string; to?: string; toPort?: string };
}

/** `serve KIND --opt value ...` as netlab renders it, with the CLI's default port; undefined for anything else. */
export function parseServeArgv(args: readonly string[]): ServeArgs | undefined {
  const [command, kind, ...rest] = args;
  if (command !== 'serve' || kind === undefined || !KINDS.has(kind) || rest.length % 2 !== 0) return undefined;
  const opts: Record<string, string> = {};
  for (let i = 0; i < rest.length; i += 2) {
    const key = Object.hasOwn(OPTIONS, rest[i] as string) ? OPTIONS[rest[i] as string] : undefined;
    const value = rest[i + 1] as string;
    if (key === undefined || Object.hasOwn(opts, key) || value.startsWith('-')) return undefined;
    opts[key] = value;
  }
  if (opts.node === undefined) return undefined;
  return { kind, opts: { port: '80', ...opts } as ServeArgs['opts'] };
}

/** What bin/netlab runs for `netlab serve ...`: the service itself, or the full CLI when the argv is not netlab's own. */
export async function serveMain(argv: readonly string[]): Promise<void> {
  const parsed = parseServeArgv(argv.slice(2));
  if (!parsed) {
    await (await import('./main.js')).main(argv);
    return;
  }
  trace('main: loaded (serve)');
  installOutputGuards();
  try {
    setTimeoutScale(parseTimeoutScale(process.env.NETLAB_TIMEOUT_SCALE));
    const code = await (await import('./commands/serve.js')).run(parsed.kind, parsed.opts);
    if (typeof code === 'number') process.exitCode = code;
  } catch (error) {
    process.exitCode = renderError(error, false);
  }
}
