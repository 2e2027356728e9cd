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

/** C0 controls but tab and line feed, DEL, C1 controls, and lone UTF-16 surrogates (written as U+FFFD). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Bash quoting for what netlab prints (`netlab plan`, text and sh): quoteArg, unless the argument
 * holds a control character, which a terminal would act on and a reader would not see; then bash's
 * $'...' with every such character escaped as the bytes it is written as. A NUL cannot be in an
 * argument or a bash string at all.
 */
export function quoteArgBash(arg: string): string {
  if (!CONTROL.test(arg)) return quoteArg(arg);
  if (arg.includes('\0')) throw new Error('a NUL byte cannot be part of a command argument');
  let out = '';
  for (const ch of arg) {
    if (ch === '\\' || ch === "'") out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (CONTROL.test(ch)) out += [...Buffer.from(ch, 'utf8')].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
    else out += ch;
  }
  return `$'${out}'`;
}

export function quoteArgvBash(argv: readonly string[]): string {
  return argv.map(quoteArgBash).join(' ');
}
