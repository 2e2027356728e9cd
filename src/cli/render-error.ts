import { EXIT, LabValidationError, NetlabError } from '../errors.js';
import { colorFor, err } from './output.js';

/** The one place errors become text and exit codes. */
export function renderError(error: unknown, json: boolean): number {
  const c = colorFor(process.stderr);
  if (error instanceof LabValidationError) {
    if (json) err(JSON.stringify({ error: 'invalid-lab', diagnostics: error.diagnostics }, null, 2));
    else {
      for (const d of error.diagnostics) {
        err(`${c.bold(`${d.file}:${d.line}:${d.col}`)} ${c.cyan(d.path)}: ${c.red(d.message)}`);
        if (d.hint) err(`  ${c.dim('hint:')} ${d.hint}`);
      }
      err(c.red(`${error.diagnostics.length} problem${error.diagnostics.length === 1 ? '' : 's'}; nothing was changed on this machine.`));
    }
    return error.exitCode;
  }
  if (error instanceof NetlabError) {
    if (json) err(JSON.stringify({ error: error.name, message: error.message, hint: error.hint, detail: error.detail }, null, 2));
    else {
      err(`${c.red('error:')} ${error.message}`);
      if (error.detail) err(error.detail.trimEnd().split('\n').map((l) => `  ${l}`).join('\n'));
      if (error.hint) err(`${c.dim('hint:')} ${error.hint}`);
    }
    return error.exitCode;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  err(`${c.red('internal error')} (a bug in netlab, please report it with this text):\n${message}`);
  return EXIT.failed;
}
