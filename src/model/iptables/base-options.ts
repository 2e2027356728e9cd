/**
 * iptables 1.8.9's own options (iptables/xshared.c original_opts and IPT_OPTSTRING), in its order:
 * getopt_long looks for an exact name first, then for a unique prefix, in this table followed by the
 * options of the extensions loaded so far (newest first).
 */
export type HasArg = 0 | 1 | 2;

/** [long name, has_arg, the short option it stands for] */
export const BASE_LONG_OPTIONS: readonly (readonly [string, HasArg, string])[] = [
  ['append', 1, 'A'], ['delete', 1, 'D'], ['check', 1, 'C'], ['insert', 1, 'I'], ['replace', 1, 'R'],
  ['list', 2, 'L'], ['list-rules', 2, 'S'], ['flush', 2, 'F'], ['zero', 2, 'Z'], ['new-chain', 1, 'N'],
  ['delete-chain', 2, 'X'], ['rename-chain', 1, 'E'], ['policy', 1, 'P'], ['source', 1, 's'],
  ['destination', 1, 'd'], ['src', 1, 's'], ['dst', 1, 'd'], ['protocol', 1, 'p'], ['in-interface', 1, 'i'],
  ['jump', 1, 'j'], ['table', 1, 't'], ['match', 1, 'm'], ['numeric', 0, 'n'], ['out-interface', 1, 'o'],
  ['verbose', 0, 'v'], ['wait', 2, 'w'], ['wait-interval', 2, 'W'], ['exact', 0, 'x'], ['fragments', 0, 'f'],
  ['version', 0, 'V'], ['help', 2, 'h'], ['line-numbers', 0, '0'], ['modprobe', 1, 'M'], ['set-counters', 1, 'c'],
  ['goto', 1, 'g'], ['ipv4', 0, '4'], ['ipv6', 0, '6'],
];

/** IPT_OPTSTRING without its leading "-:" (return non-options in order; report a missing argument as ':'). */
const OPTSTRING = 'A:C:D:E:F::I:L::M:N:P:VX::Z::c:d:i:j:o:p:s:t:R:S::W::46bfg:h::m:nvw::x';

export const SHORT_OPTIONS: ReadonlyMap<string, HasArg> = (() => {
  const map = new Map<string, HasArg>();
  for (let i = 0; i < OPTSTRING.length; i++) {
    const c = OPTSTRING[i] as string;
    const colons = OPTSTRING.slice(i + 1).match(/^:{0,2}/)?.[0].length ?? 0;
    map.set(c, colons as HasArg);
    i += colons;
  }
  return map;
})();

/** The long name of a short option (-b, -4 and -6 have none of their own in a rule's vocabulary). */
export function longNameOf(short: string): string {
  return BASE_LONG_OPTIONS.find(([, , s]) => s === short)?.[0] ?? `-${short}`;
}
