import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packageFor, parseSystemTools, SYSTEM_TOOLS_FILE, systemTools } from '../../src/exec/packages.js';
import { doctorTools } from '../../src/doctor/tools.js';

const ROOT = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    // this file names its patterns' examples, not tools
    if (name === 'system-tools.test.ts') return [];
    return statSync(path).isDirectory() ? files(path) : /\.(ts|mjs)$/.test(name) ? [path] : [];
  });
}

// Where a program name starts a command: spawn/execa('X'), argv: ['X', inNs(ns, ['X', netOnly/withEtc/toward(..., ['X', `ip netns exec NS X`,
// and the tools asked for by name (which, findOnPath, requireTools).
const PATTERNS = [
  /\b(?:spawn|spawnSync|execa|execFile)\(\s*'([\w.-]+)'/g,
  /\bargv:\s*\[\s*'([\w.-]+)'/g,
  /\binNs\([^,()]+,\s*\[\s*'([\w.-]+)'/g,
  /\b(?:netOnly|withEtc)\([^,()]+,\s*\[\s*'([\w.-]+)'/g,
  /\.\.\.UNPRIVILEGED,\s*'([\w.-]+)'/g,
  /\btoward\([^,()]+,[^,()]+,\s*\[\s*'([\w.-]+)'/g,
  /'netns',\s*'exec',\s*[^,\]]+,\s*'([\w.-]+)'/g,
  /\b(?:which|findOnPath)\(\s*'([\w.-]+)'/g,
  /\brequireTools\(\s*\[\s*('[^\]]*)\]/g,
  /\btools\.add\(\s*'([\w.-]+)'/g,
  /\breturn \[\s*'([\w.-]+)',\s*'-/g,
];

function spawnedTools(text: string): string[] {
  const found: string[] = [];
  for (const pattern of PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const group = m[1] ?? '';
      // requireTools([...]): the quoted names in the list; the other patterns capture one bare name
      found.push(...(group.includes("'") ? [...group.matchAll(/'([\w.-]+)'/g)].map((x) => x[1] as string) : /^[\w.-]+$/.test(group) ? [group] : []));
    }
  }
  return found.filter((t) => t !== 'netlab' && t !== 'node');
}

describe('one list of system tools (scripts/system-tools.tsv)', () => {
  const listed = new Set(systemTools().map((t) => t.tool));

  it('parses: every row has a tool, a package, a known need and a reason', () => {
    expect(systemTools().length).toBeGreaterThan(20);
    for (const t of systemTools()) {
      expect(t.tool).toMatch(/^[\w.-]+$/);
      expect(t.pkg).toMatch(/^[a-z0-9][a-z0-9.+-]+$/);
      expect(['labs', 'some-labs', 'learner', 'tests', 'target']).toContain(t.need);
      expect(t.why.length).toBeGreaterThan(5);
    }
    expect(parseSystemTools('# c\nip\tiproute2\tlabs\twhy\n\n')).toEqual([{ tool: 'ip', pkg: 'iproute2', need: 'labs', why: 'why' }]);
  });

  it('holds every tool netlab\'s code spawns', () => {
    const spawned = new Set(files(join(ROOT, 'src')).flatMap((f) => spawnedTools(readFileSync(f, 'utf8'))));
    // the scanner must see the obvious ones, or it sees nothing
    for (const t of ['ip', 'iptables-restore', 'ping', 'tcpdump', 'perl', 'nsenter', 'getent', 'sysctl']) expect(spawned).toContain(t);
    expect([...spawned].filter((t) => !listed.has(t)).sort()).toEqual([]);
  });

  it('holds every tool the test suite spawns (curl, script, setpriv...)', () => {
    const spawned = new Set(files(join(ROOT, 'test')).flatMap((f) => spawnedTools(readFileSync(f, 'utf8'))));
    for (const t of ['curl', 'script', 'setpriv']) expect(spawned).toContain(t);
    expect([...spawned].filter((t) => !listed.has(t)).sort()).toEqual([]);
  });

  it('gives the hints their package, the doctor its list, and leaves the VM driver\'s tools to the user', () => {
    expect(packageFor('dig')).toBe('dnsutils');
    expect(packageFor('/usr/sbin/dnsmasq')).toBe('dnsmasq-base');
    expect(packageFor('curl')).toBe('curl');
    const doctor = doctorTools().map((t) => t.tool);
    expect(doctor).toEqual(expect.arrayContaining(['ip', 'dig', 'curl', 'script']));
    expect(doctor).not.toContain('vagrant');
  });

  it('is what the install script, the provisioning script and the container image use (no second list)', () => {
    const install = readFileSync(join(ROOT, 'scripts', 'install-system-deps.sh'), 'utf8');
    expect(install).toContain('system-tools.tsv');
    expect(install).not.toMatch(/iputils-ping|dnsutils|iproute2/);
    expect(readFileSync(join(ROOT, 'scripts', 'provision-vm.sh'), 'utf8')).toContain('scripts/install-system-deps.sh');
    expect(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).toContain('provision-vm.sh');
    expect(SYSTEM_TOOLS_FILE.startsWith(ROOT)).toBe(true);
  });
});
