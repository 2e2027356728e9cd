// Text from a lab file (keys, names, labels, paths) reaches a terminal in errors and reports. A raw
// control character there is an instruction to the terminal (ESC [2J clears it, OSC 52 writes the
// clipboard, C1 0x9b is a one-byte CSI), so every user-derived string is shown through printable():
// C0 controls, DEL, C1 controls and lone surrogates become visible escapes (\x1b, \u009b, \ud800).

/** what printable() escapes: C0 (tab and, with keepNewlines, LF excepted), DEL, C1 and lone surrogates */
const UNPRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const UNPRINTABLE_KEEP_LF = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const escape = (c: string): string => {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  // DEL, C1 and surrogates as \u (also a valid escape inside a JSON string), C0 as \x
  return code < 0x20 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** The text with every control character and lone surrogate as a visible escape; one line unless keepNewlines. */
export function printable(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(options.keepNewlines ? UNPRINTABLE_KEEP_LF : UNPRINTABLE, escape);
}

/** chalk's colors, the only escape sequences netlab writes itself: ESC [ n(;n)* m */
const OWN_SEQUENCE = /\u001b\[[0-9;]*m/y;

/**
 * The last line of defence for everything netlab writes to stdout and stderr: escapes like printable()
 * (keeping line breaks and tabs) but lets chalk's color sequences through, so a string that reaches
 * out() or err() without printable() still cannot move the cursor, clear the screen or set the clipboard.
 */
export function terminalSafe(text: string): string {
  let result = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const suspicious = code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0xd800 && code <= 0xdfff);
    if (!suspicious || code === 0x0a || code === 0x09) continue;
    if (code === 0x1b) {
      OWN_SEQUENCE.lastIndex = i;
      const m = OWN_SEQUENCE.exec(text);
      if (m) {
        i += m[0].length - 1;
        continue;
      }
    }
    if (code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      i++;
      continue;
    }
    result += text.slice(from, i) + escape(text[i] as string);
    from = i + 1;
  }
  return from === 0 ? text : result + text.slice(from);
}
