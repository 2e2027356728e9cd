// Small scans over lab text for what js-yaml's events do not carry: where the indicator ("-" or ":")
// before an empty or block scalar is, and where a flow collection closes. Each one either lands
// exactly where YAML's grammar puts the character or returns -1 (the caller then gives up).

/** past spaces, tabs, line breaks and comments */
export function skipBlank(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') i++;
    else if (c === '#') {
      const eol = text.indexOf('\n', i);
      if (eol === -1) return text.length;
      i = eol;
    } else return i;
  }
}

/** past spaces and tabs on the same line (`yaml` puts an empty scalar there) */
export function skipSpaces(text: string, from: number): number {
  let i = from;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i;
}

/** the indicator character `ch` as the next thing after `from`, or -1 */
export function indicatorAt(text: string, from: number, ch: string): number {
  const i = skipBlank(text, from);
  return text[i] === ch ? i : -1;
}

/** just past the bracket that closes a flow collection whose last entry ends at `from`, or -1 */
export function flowEnd(text: string, from: number, close: string): number {
  let i = skipBlank(text, from);
  while (text[i] === ',') i = skipBlank(text, i + 1);
  return text[i] === close ? i + 1 : -1;
}
