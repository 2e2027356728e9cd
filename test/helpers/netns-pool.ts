import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { PoolOptions, PoolRunnerInitializer, PoolWorker, WorkerRequest } from 'vitest/node';

// vitest's forks pool, with one change: each test file's node is started through netns-worker.sh, so
// it runs in a network and mount namespace of its own (isolate: a fresh fork per file). Test files
// then see only their own labs, and run beside other files, other copies of the suite and other
// people's labs on the same machine. Written out instead of subclassing ForksPoolWorker, whose fork is private.

const WRAPPER = resolve(import.meta.dirname, 'netns-worker.sh');
const KILL_AFTER_MS = 10_000;

class NetnsForksWorker implements PoolWorker {
  readonly name = 'netns-forks';
  readonly cacheFs = true;
  private child?: ChildProcess;
  private readonly entrypoint: string;
  private readonly out: NodeJS.WritableStream;
  private readonly err: NodeJS.WritableStream;

  constructor(private readonly options: PoolOptions) {
    this.entrypoint = resolve(options.distPath, 'workers/forks.js');
    this.out = options.project.vitest.logger.outputStream;
    this.err = options.project.vitest.logger.errorStream;
  }

  private get proc(): ChildProcess {
    if (!this.child) throw new Error('the namespaced test worker is not running');
    return this.child;
  }

  on(event: string, callback: (arg: unknown) => void): void {
    this.proc.on(event, callback);
  }

  off(event: string, callback: (arg: unknown) => void): void {
    this.proc.off(event, callback);
  }

  send(message: WorkerRequest): void {
    this.proc.send(message);
  }

  async start(): Promise<void> {
    this.child ??= fork(this.entrypoint, [], {
      // without root there are no namespaces to make (and the integration tests skip themselves)
      ...(process.getuid?.() === 0 ? { execPath: WRAPPER } : {}),
      execArgv: this.options.execArgv,
      env: { ...withoutTlsOnly(this.options.env), NETLAB_TEST_NODE: process.execPath },
      stdio: 'pipe',
      serialization: 'advanced',
    });
    for (const [from, to] of [[this.child.stdout, this.out], [this.child.stderr, this.err]] as const) {
      if (!from) continue;
      to.setMaxListeners(to.getMaxListeners() + 1);
      from.pipe(to, { end: false });
    }
  }

  async stop(): Promise<void> {
    const child = this.proc;
    const exited = new Promise<void>((done) => (child.exitCode !== null || child.signalCode !== null ? done() : child.once('exit', () => done())));
    const kill = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    child.kill();
    await exited;
    clearTimeout(kill);
    for (const [from, to] of [[child.stdout, this.out], [child.stderr, this.err]] as const) {
      if (!from) continue;
      from.unpipe(to);
      to.setMaxListeners(to.getMaxListeners() - 1);
    }
    this.child = undefined;
  }

  deserialize(data: unknown): unknown {
    return data;
  }
}

/**
 * The worker's environment, which every netlab and Node process a test starts inherits, without what
 * only TLS reads. NODE_EXTRA_CA_CERTS (set where an egress proxy re-signs TLS, as on this machine and in
 * CI's fresh root, for npm) makes each Node process load the CA file as it starts: about 40 ms of CPU
 * per process (`node -e 0`: 0.067 s -> 0.028 s; `netlab status`: 0.16 s -> 0.12 s), and a suite run
 * starts over a thousand (CLI calls, probes, services). Nothing under test speaks TLS: netlab has no
 * TLS client or server, and the labs' traffic stays inside the lab.
 */
export function withoutTlsOnly(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const { NODE_EXTRA_CA_CERTS: _tlsOnly, ...rest } = env;
  return rest;
}

/** The pool of the integration project: `pool: netnsForks`. */
export const netnsForks: PoolRunnerInitializer = {
  name: 'netns-forks',
  createPoolWorker: (options) => new NetnsForksWorker(options),
};
