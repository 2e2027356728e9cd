import { createRequire } from 'node:module';

// An http check's `match` runs on a body the lab's own servers send: it runs on RE2 (a JavaScript
// port, re2js), whose matching time is linear in the body, never on the backtracking RegExp engine
// (`^(a|aa)+$` on a long body would hang verify). RE2 has no backreferences or lookaround; a
// pattern that needs them is refused when the lab is validated. Loaded on first use only.

interface Re2 {
  matcher(input: string): { find(): boolean };
}
interface Re2Module {
  RE2JS: { compile(pattern: string): Re2 };
}

let re2: Re2Module | undefined;
const load = (): Re2Module => (re2 ??= createRequire(import.meta.url)('re2js') as Re2Module);

/** Why RE2 cannot compile this pattern, or undefined when it can. */
export function regexProblem(pattern: string): string | undefined {
  try {
    load().RE2JS.compile(pattern);
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^error parsing regexp: /, '');
  }
}

/** A matcher that runs in time linear in its input. */
export function linearRegex(pattern: string): (text: string) => boolean {
  const re = load().RE2JS.compile(pattern);
  return (text) => re.matcher(text).find();
}
