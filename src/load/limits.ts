import type { Diagnostic } from '../errors.js';

// Lab files are untrusted. These limits refuse hostile input (YAML bombs, deep nesting, huge files)
// before the YAML parser or the validator can spend seconds or blow the stack on it. Real labs are a
// few hundred lines; a 500-node generated lab is far below every limit.

export const MAX_LAB_BYTES = 2 * 1024 * 1024;
export const MAX_LAB_LINES = 20_000;
/** nesting of flow collections ([ { ), and of block collections (indentation, "- - -") */
export const MAX_DEPTH = 64;
/** aliases expanded when the document becomes data: a "billion laughs" needs far more */
export const MAX_ALIASES = 50;

/** The first limit the text breaks, positioned where it breaks it; undefined when within limits. */
export function checkTextLimits(text: string, file: string): Diagnostic | undefined {
  const at = (line: number, col: number, message: string): Diagnostic => ({ file, line, col, path: '(yaml)', message });
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_LAB_BYTES) return at(1, 1, `the file is ${bytes} bytes; lab files are limited to ${MAX_LAB_BYTES}`);
  let line = 1;
  let lineStart = 0;
  let flow = 0;
  let quote: string | null = null;
  /** whether a quote here would open a quoted scalar: at a line's start, after [ { , and after the indicators : - ? */
  let scalarMayStart = true;
  const indents: number[] = [];
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (i === lineStart) {
      // a new line: its block depth from indentation and leading "- " entries
      let j = i;
      while (text[j] === ' ') j++;
      const first = text[j];
      if (flow === 0 && quote === null && first !== undefined && first !== '\n' && first !== '\r' && first !== '#') {
        const indent = j - i;
        while (indents.length > 0 && (indents.at(-1) as number) >= indent) indents.pop();
        indents.push(indent);
        let dashes = 0;
        while (text[j] === '-' && (text[j + 1] === ' ' || text[j + 1] === '\n')) {
          dashes++;
          j += 2;
          while (text[j] === ' ') j++;
        }
        if (indents.length + dashes > MAX_DEPTH) return at(line, j - i + 1, `nesting is deeper than ${MAX_DEPTH} levels`);
      }
    }
    if (c === undefined) break;
    if (c === '\n') {
      line++;
      lineStart = i + 1;
      if (line > MAX_LAB_LINES) return at(line, 1, `the file has more than ${MAX_LAB_LINES} lines; lab files are limited to that`);
      if (flow === 0) {
        quote = null;
        scalarMayStart = true;
      }
      continue;
    }
    if (quote) {
      if (c === quote) {
        quote = null;
        scalarMayStart = false;
      } else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    if (c === '"' || c === "'") {
      // a quote opens a quoted scalar only where a scalar can start, never inside a plain one
      // ("it's", or "[a 'b, ..." in a flow list, where the quote is part of the plain scalar a 'b)
      if (scalarMayStart) quote = c;
      scalarMayStart = false;
    } else if (c === '#' && (i === lineStart || /\s/.test(text[i - 1] ?? ''))) {
      const nl = text.indexOf('\n', i);
      i = (nl === -1 ? text.length : nl) - 1;
    } else if (c === '[' || c === '{') {
      if (++flow > MAX_DEPTH) return at(line, i - lineStart + 1, `nesting is deeper than ${MAX_DEPTH} levels`);
      scalarMayStart = true;
    } else if (c === ']' || c === '}') {
      flow = Math.max(0, flow - 1);
      scalarMayStart = false;
    } else if (c === ',') scalarMayStart = true;
    else if ((c === ':' || c === '-' || c === '?') && /[\s,\]}]/.test(text[i + 1] ?? ' ')) scalarMayStart = true;
    // a JSON-like key ("a":'b' or {x: 1}:y) takes its value right after the colon
    else if (c === ':' && flow > 0 && /["'\]}]/.test(text[i - 1] ?? '')) scalarMayStart = true;
    else if ((c === '!' || c === '&') && scalarMayStart) {
      // a tag or an anchor before a scalar: the scalar may still start after it
      while (i + 1 < text.length && !/[\s,[\]{}]/.test(text[i + 1] as string)) i++;
    } else scalarMayStart = false;
  }
  return undefined;
}
