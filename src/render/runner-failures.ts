import { ENTER_FAILED_PREFIX, IP_ENTER_FAILED, runnerFailedIn } from './setns-runner.js';

/** One namespace's batch inside a runner: its steps are steps[offset, offset + length). */
export interface RunnerPart {
  readonly ns: string;
  /** the batch file ip reads (nsenter, `ip -n`); the perl runner feeds ip on a pipe: "-" */
  readonly path: string;
  readonly offset: number;
  readonly length: number;
}

/** A part that failed: where its error ends in the runner's output, and the index (in steps) of its failed step. */
export interface RunnerFailure {
  readonly part: RunnerPart;
  readonly end: number;
  readonly index: number;
}

/**
 * Each part that failed, in the order of the output. With batch files (nsenter), ip's
 * "Command failed FILE:N" names the part; on pipes (perl) every batch is "-", and the runner's
 * "netlab-runner: failed in PATH (batch K)" after each failed batch says which part the output
 * before it belongs to. A runner that could not enter a namespace ran none of that part's steps.
 */
export function runnerFailures(stderr: string, parts: readonly RunnerPart[]): RunnerFailure[] {
  return parts.every((p) => p.path === '-') ? pipeFailures(stderr, parts) : fileFailures(stderr, parts);
}

function fileFailures(stderr: string, parts: readonly RunnerPart[]): RunnerFailure[] {
  return parts.flatMap((part) => {
    const batchFailed = new RegExp(`^Command failed ${escapeRegExp(part.path)}:(\\d+)$`, 'm').exec(stderr);
    if (batchFailed) return [{ part, end: batchFailed.index + batchFailed[0].length, index: part.offset + Number(batchFailed[1]) - 1 }];
    const enterFailed = enterFailedIn(stderr, part.ns);
    if (enterFailed) return [{ part, end: enterFailed.index + enterFailed[0].length, index: part.offset }];
    return [];
  }).sort((a, b) => a.end - b.end);
}

function pipeFailures(stderr: string, parts: readonly RunnerPart[]): RunnerFailure[] {
  const failures: RunnerFailure[] = [];
  let from = 0;
  for (const mark of stderr.matchAll(runnerFailedIn())) {
    const part = parts[Number(mark[2]) - 1];
    const own = stderr.slice(from, mark.index);
    from = mark.index + mark[0].length;
    if (part === undefined || `/run/netns/${part.ns}` !== mark[1]) continue;
    const end = mark.index - (own.endsWith('\n') ? 1 : 0);
    const lines = [...own.matchAll(/^Command failed -:(\d+)$/gm)];
    const line = lines.at(-1)?.[1];
    if (line !== undefined) failures.push({ part, end, index: part.offset + Number(line) - 1 });
    else if (enterFailedIn(own, part.ns)) failures.push({ part, end, index: part.offset });
  }
  return failures;
}

function enterFailedIn(stderr: string, ns: string): RegExpExecArray | null {
  return new RegExp(`${ENTER_FAILED_PREFIX.source}(?!failed in ).*/run/netns/${escapeRegExp(ns)}\\b.*$`, 'm').exec(stderr)
    ?? new RegExp(`${IP_ENTER_FAILED.source.replace('([^"]+)', escapeRegExp(ns))}.*$`, 'm').exec(stderr);
}

/** What `ip -n NS -batch -` of the failing namespace alone would have said. */
export function runnerFailureText(stderr: string, failures: readonly RunnerFailure[]): string {
  const first = failures[0];
  const own = first ? stderr.slice(0, first.end) : stderr;
  return own.replace(runnerFailedIn(), '').replace(/^Command failed \S+\.batch:(\d+)$/gm, 'Command failed -:$1');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
