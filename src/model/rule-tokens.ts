/**
 * Split an iptables rule as typed ("-A INPUT -m comment --comment "two words" -j ACCEPT") into argv.
 * Only double quotes group; there is no shell, so nothing else is special. Returns null on an
 * unterminated quote.
 */
export function tokenizeRule(rule: string): string[] | null {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quoted = false;
  for (const c of rule) {
    if (quoted) {
      if (c === '"') quoted = false;
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
  if (quoted) return null;
  if (inToken) tokens.push(current);
  return tokens;
}
