// The VM side's standard input, as the relay (run-in-vm.ts) sends it: the lab files' bytes, then
// control lines (a signal's name) until it ends.

export interface Input {
  readonly files: Promise<Buffer | undefined>;
  /** the lines read so far that no listener has taken yet */
  pending(): readonly string[];
  onLine(listener: (line: string) => void): void;
  onEnd(listener: () => void): void;
  ended(): boolean;
  stop(): void;
}

/** Text cut into trimmed lines for a listener; lines that come before there is one wait for it. */
function lineSplitter() {
  let text = '';
  // lines that come before the child runs (a Ctrl-C pressed while the VM's netlab was starting
  // arrives with the files, in one read) wait for the listener: a dropped "SIGINT" let up run on
  const early: string[] = [];
  let lineListener: (line: string) => void = (line) => early.push(line);
  return {
    early,
    push: (s: string) => {
      text += s;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n')) {
        lineListener(text.slice(0, nl).trim());
        text = text.slice(nl + 1);
      }
    },
    listen: (l: (line: string) => void) => {
      lineListener = l;
      for (const line of early.splice(0)) l(line);
    },
  };
}

/** The first `total` bytes of a stream as one buffer (undefined if it ends sooner); what follows goes to `rest` as text. */
function leadingBytes(total: number, rest: (text: string) => void) {
  const chunks: Buffer[] = [];
  let have = 0;
  let resolveFiles: (b: Buffer | undefined) => void = () => {};
  const files = new Promise<Buffer | undefined>((resolve) => (resolveFiles = resolve));
  if (total === 0) resolveFiles(Buffer.alloc(0));
  const onData = (chunk: Buffer) => {
    if (have >= total) return rest(chunk.toString('latin1'));
    const need = total - have;
    chunks.push(chunk.subarray(0, need));
    have += Math.min(need, chunk.length);
    if (have === total) {
      resolveFiles(Buffer.concat(chunks));
      if (chunk.length > need) rest(chunk.subarray(need).toString('latin1'));
    }
  };
  return { files, onData, end: () => resolveFiles(undefined) };
}

/** Standard input: `total` bytes of files, then control lines until it ends. */
export function readInput(total: number): Input {
  const lines = lineSplitter();
  const bytes = leadingBytes(total, lines.push);
  let endListener = () => {};
  let ended = false;
  const onData = bytes.onData;
  const onEnd = () => {
    ended = true;
    bytes.end();
    endListener();
  };
  process.stdin.on('data', onData);
  process.stdin.on('end', onEnd);
  return {
    files: bytes.files,
    pending: () => lines.early,
    onLine: lines.listen,
    onEnd: (l) => {
      endListener = l;
      if (ended) l();
    },
    ended: () => ended,
    stop: () => {
      process.stdin.off('data', onData);
      process.stdin.off('end', onEnd);
      process.stdin.destroy();
    },
  };
}
