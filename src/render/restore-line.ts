/**
 * iptables-restore's own quoting (xshared.c add_param_to_argv): outside double quotes every byte but
 * space, tab and '"' is literal; inside them a backslash escapes the next byte, and the closing quote
 * ends the word. A word is written bare only when it holds nothing that parser treats specially, and
 * otherwise quoted with '\' and '"' escaped, so iptables gets exactly the tokens netlab validated.
 */
const BARE = /^[A-Za-z0-9_@%+=:,./!-]+$/;

export function restoreToken(token: string): string {
  // validation refuses these; a line break would end the rule and start another
  if (/[\u0000\n\r]/.test(token)) throw new Error('an iptables-restore word cannot hold NUL or a line break');
  return BARE.test(token) ? token : `"${token.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function restoreLine(tokens: readonly string[]): string {
  return tokens.map(restoreToken).join(' ');
}
