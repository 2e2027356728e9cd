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

/** Where the scan of a lab text is: line, nesting, and whether it is inside a quoted scalar. */
interface Scan {
  line: number;
  lineStart: number;
  flow: number;
  quote: string | null;
  /** whether a quote here would open a quoted scalar: at a line's start, after [ { , and after the indicators : - ? */
  scalarMayStart: boolean;
  readonly indents: number[];
}

/** The first limit the text breaks, positioned where it breaks it; undefined when within limits. */
export function checkTextLimits(text: string, file: string): Diagnostic | undefined {
  const at = (line: number, col: number, message: string): Diagnostic => ({ file, line, col, path: '(yaml)', message });
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_LAB_BYTES) return at(1, 1, `the file is ${bytes} bytes; lab files are limited to ${MAX_LAB_BYTES}`);
  const scan: Scan = { line: 1, lineStart: 0, flow: 0, quote: null, scalarMayStart: true, indents: [] };
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (i === scan.lineStart) {
      const col = blockDepthProblem(text, i, scan);
      if (col !== undefined) return at(scan.line, col, `nesting is deeper than ${MAX_DEPTH} levels`);
    }
    if (c === undefined) break;
    if (c === '\n') {
      scan.line++;
      scan.lineStart = i + 1;
      if (scan.line > MAX_LAB_LINES) return at(scan.line, 1, `the file has more than ${MAX_LAB_LINES} lines; lab files are limited to that`);
      if (scan.flow === 0) {
        scan.quote = null;
        scan.scalarMayStart = true;
      }
      continue;
    }
    if (scan.quote) {
      if (c === scan.quote) {
        scan.quote = null;
        scan.scalarMayStart = false;
      } else if (c === '\\' && scan.quote === '"') i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    const next = scanChar(text, i, c, scan);
    if (next === undefined) return at(scan.line, i - scan.lineStart + 1, `nesting is deeper than ${MAX_DEPTH} levels`);
    i = next;
  }
  return undefined;
}

/** At a line's start: its block depth from indentation and leading "- " entries; the column where it is too deep. */
function blockDepthProblem(text: string, i: number, scan: Scan): number | undefined {
  let j = i;
  while (text[j] === ' ') j++;
  const first = text[j];
  if (scan.flow !== 0 || scan.quote !== null || first === undefined || first === '\n' || first === '\r' || first === '#') return undefined;
  const indent = j - i;
  const { indents } = scan;
  while (indents.length > 0 && (indents.at(-1) as number) >= indent) indents.pop();
  indents.push(indent);
  let dashes = 0;
  while (text[j] === '-' && (text[j + 1] === ' ' || text[j + 1] === '\n')) {
    dashes++;
    j += 2;
    while (text[j] === ' ') j++;
  }
  return indents.length + dashes > MAX_DEPTH ? j - i + 1 : undefined;
}

/** One character outside a quoted scalar: where the scan goes on (it may skip a comment, a tag, an anchor), or undefined when flow nesting is too deep. */
function scanChar(text: string, i: number, c: string, scan: Scan): number | undefined {
  if (c === '"' || c === "'") {
    // a quote opens a quoted scalar only where a scalar can start, never inside a plain one
    // ("it's", or "[a 'b, ..." in a flow list, where the quote is part of the plain scalar a 'b)
    if (scan.scalarMayStart) scan.quote = c;
    scan.scalarMayStart = false;
  } else if (c === '#' && (i === scan.lineStart || /\s/.test(text[i - 1] ?? ''))) {
    const nl = text.indexOf('\n', i);
    return (nl === -1 ? text.length : nl) - 1;
  } else if (c === '[' || c === '{') {
    if (++scan.flow > MAX_DEPTH) return undefined;
    scan.scalarMayStart = true;
  } else if (c === ']' || c === '}') {
    scan.flow = Math.max(0, scan.flow - 1);
    scan.scalarMayStart = false;
  } else if (c === ',') scan.scalarMayStart = true;
  else if ((c === ':' || c === '-' || c === '?') && /[\s,\]}]/.test(text[i + 1] ?? ' ')) scan.scalarMayStart = true;
  // a JSON-like key ("a":'b' or {x: 1}:y) takes its value right after the colon
  else if (c === ':' && scan.flow > 0 && /["'\]}]/.test(text[i - 1] ?? '')) scan.scalarMayStart = true;
  else if ((c === '!' || c === '&') && scan.scalarMayStart) {
    // a tag or an anchor before a scalar: the scalar may still start after it
    let j = i;
    while (j + 1 < text.length && !/[\s,[\]{}]/.test(text[j + 1] as string)) j++;
    return j;
  } else scan.scalarMayStart = false;
  return i;
}
