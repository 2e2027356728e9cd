import { EXIT, LabValidationError, NetlabError } from '../errors.js';
import { colorFor, err, jsonText } from './output.js';
import { printable as p } from '../render/printable.js';

/** The one place errors become text and exit codes. */
export function renderError(error: unknown, json: boolean): number {
  const c = colorFor(process.stderr);
  if (error instanceof LabValidationError) {
    if (json) err(jsonText({ error: 'invalid-lab', diagnostics: error.diagnostics }));
    else {
      for (const d of error.diagnostics) {
        // a path, a message or a hint may quote the lab file (an unknown key, a name): shown with printable()
        err(`${c.bold(`${p(d.file)}:${d.line}:${d.col}`)} ${c.cyan(p(d.path))}: ${c.red(p(d.message))}`);
        if (d.hint) err(`  ${c.dim('hint:')} ${p(d.hint)}`);
      }
      err(c.red(`${error.diagnostics.length} problem${error.diagnostics.length === 1 ? '' : 's'}; nothing was changed on this machine.`));
    }
    return error.exitCode;
  }
  if (error instanceof NetlabError) {
    if (json) err(jsonText({ error: error.name, message: error.message, hint: error.hint, detail: error.detail }));
    else {
      err(`${c.red('error:')} ${p(error.message)}`);
      if (error.detail) err(error.detail.trimEnd().split('\n').map((l) => `  ${p(l)}`).join('\n'));
      if (error.hint) err(`${c.dim('hint:')} ${p(error.hint)}`);
    }
    return error.exitCode;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  err(`${c.red('internal error')} (a bug in netlab, please report it with this text):\n${message}`);
  return EXIT.failed;
}
