/** `sysctl -e KEY...` run inside the namespace (it reads the namespace's own /proc/sys/net). */
export function sysctlArgv(ns: string, keys: readonly string[]): string[] {
  return ['ip', 'netns', 'exec', ns, 'sysctl', '-e', ...keys];
}

/** `key = value` lines as sysctl prints them; other lines are ignored. */
export function parseSysctlLines(text: string): Record<string, string> {
  return Object.fromEntries(
    text.split('\n').map((line) => /^(\S+) = (.*)$/.exec(line)).filter((m): m is RegExpExecArray => m !== null).map((m) => [m[1] as string, (m[2] as string).trim()]),
  );
}
