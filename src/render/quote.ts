const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * POSIX shell quoting of one argument. This is the one quoting function in netlab: it renders
 * `netlab plan --format sh` and the command line sent over `vagrant ssh -c`; nothing else builds
 * shell text.
 */
export function quoteArg(arg: string): string {
  // a lone "!" is literal as an argument in every shell (it negates only at a command's start)
  if ((arg !== '' && SAFE.test(arg)) || arg === '!') return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function quoteArgv(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}
