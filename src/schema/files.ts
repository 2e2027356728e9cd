import * as z from 'zod';

import { FILE_NAMES } from './node-file-names.js';

export { FILE_NAMES, fileNameRefusal } from './node-file-names.js';

/**
 * A character a file's content may not hold: NUL and the other C0 controls except tab and line feed,
 * DEL, the C1 controls (terminals act on them), and lone UTF-16 surrogates (they have no UTF-8
 * bytes, so the file would not hold what the lab says). Carriage returns are refused too: hosts and
 * resolv.conf are Unix text, and a lone CR hides text on a terminal.
 */
const NOT_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Where the first character that is not text is, as "U+0000 at line 3, column 5", or undefined. */
export function firstNonText(content: string): string | undefined {
  const m = NOT_TEXT.exec(content);
  if (!m) return undefined;
  const before = content.slice(0, m.index);
  const line = before.split('\n').length;
  const col = m.index - before.lastIndexOf('\n');
  const code = (m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return `U+${code} at line ${line}, column ${col}`;
}

/** Text a lab writes to a file or sends as a response: tabs, line breaks and printable characters only. */
export const TextContent = (max: number) =>
  z
    .string()
    .max(max)
    .superRefine((v, ctx) => {
      const at = firstNonText(v);
      if (at) ctx.addIssue({ code: 'custom', message: `a character that is not text (${at}: a control character or a lone surrogate); only tabs, line breaks and printable text are allowed` });
    });

export const FileContent = TextContent(1_000_000);

export const NodeFiles = z
  .partialRecord(z.enum(FILE_NAMES), FileContent)
  .describe(
    `files under /etc/netns/<node>/, which \`ip netns exec\` shows the node's programs as /etc/<name>: only ${FILE_NAMES.join(' and ')}, ` +
      'the per-namespace name resolution the notes teach; any other /etc file would change how root programs in the node run (nsswitch.conf, ld.so.preload, bash.bashrc...)',
  );
