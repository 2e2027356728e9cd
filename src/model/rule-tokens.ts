/**
 * Split an iptables rule as typed ("-A INPUT -m comment --comment "two words" -j ACCEPT") into argv.
 * Only double quotes group; inside them a backslash escapes the next character, as iptables-save
 * prints (`--comment "name: \"v-net\""`) and iptables-restore reads it. There is no shell, so nothing
 * else is special. Returns null on an unterminated quote or a trailing backslash.
 */
export function tokenizeRule(rule: string): string[] | null {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quoted = false;
  let escaped = false;
  for (const c of rule) {
    if (escaped) {
      current += c;
      escaped = false;
    } else if (quoted) {
      if (c === '"') quoted = false;
      else if (c === '\\') escaped = true;
      else current += c;
    } else if (c === '"') {
      quoted = true;
      inToken = true;
    } else if (c === ' ' || c === '\t') {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else {
      current += c;
      inToken = true;
    }
  }
  if (quoted || escaped) return null;
  if (inToken) tokens.push(current);
  return tokens;
}
