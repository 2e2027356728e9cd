// One conformance case, run inside a throwaway network+mount+pid namespace (conformance.sh makes it):
// build the real software's state, build the lab with netlab, snapshot both, compare, print the log.
//   node run.mjs CASE     exit 0 when every difference is declared in the lab file
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { snapshot } from './snapshot.mjs';
import { normalize } from './normalize.mjs';
import { compare } from './compare.mjs';

const here = dirname(fileURLToPath(import.meta.url));
/** conformance.sh's temp dir, removed after the sandbox is gone (dockerd's data root lives here) */
const WORK = process.env.CONFORMANCE_WORK ?? mkdtempSync('/var/tmp/netlab-conformance.');
const repo = join(here, '..', '..', '..');
const netlab = join(repo, 'bin', 'netlab');

/** lab file, variant, the nodes compared, and how the real state is built (returns node -> netns path). */
const CASES = {
  'cni-bridge': { lab: 'cni-bridge', nodes: ['node', 'ctr-a', 'ctr-b'], real: () => script('cni-bridge.sh', ['add']) },
  'cni-bridge@ctr-a-deleted': { lab: 'cni-bridge', variant: 'ctr-a-deleted', nodes: ['node', 'ctr-a', 'ctr-b'], real: () => script('cni-bridge.sh', ['del']) },
  'docker-bridge': { lab: 'docker-bridge', nodes: ['host', 'alpine0', 'alpine1'], real: () => dockerReal() },
  'red-blue-bridge': { lab: 'red-blue-bridge', nodes: ['host', 'red', 'blue', 'orange', 'gray'], real: () => script('red-blue-bridge.sh', []) },
  'container-br0-nat-dns': { lab: 'container-br0-nat-dns', nodes: ['host', 'container4', 'container5'], real: () => script('container-br0-nat-dns.sh', []) },
  'bridge-lan-nat': { lab: 'bridge-lan-nat', nodes: ['host', 'red', 'blue'], real: () => script('bridge-lan-nat.sh', []) },
  'host-port-forward': { lab: 'host-port-forward', nodes: ['host', 'red', 'blue'], real: () => script('host-port-forward.sh', []) },
  'netns-basics': { lab: 'netns-basics', nodes: ['host', 'red', 'blue'], real: () => script('netns-basics.sh', []) },
};

function script(name, args) {
  execFileSync('bash', [join(here, 'real', name), ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  return null;   // named namespaces: /run/netns/<node>
}

function dockerReal() {
  const work = mkdtempSync(join(WORK, 'docker.'));
  const out = execFileSync('bash', [join(here, 'real', 'docker-bridge.sh'), work], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return Object.fromEntries(out.trim().split('\n').map((l) => l.split(' ')));
}

function sh(argv, env = {}) {
  return execFileSync(argv[0], argv.slice(1), { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
}

const name = process.argv[2];
const c = CASES[name];
if (!c) {
  console.error(`unknown case ${name}; cases: ${Object.keys(CASES).join(', ')}`);
  process.exit(2);
}
const started = Date.now();
execFileSync('ip', ['netns', 'add', 'conformance-fresh']);
const fresh = snapshot('/run/netns/conformance-fresh').sysctls;

const paths = c.real() ?? {};
const realSnaps = Object.fromEntries(c.nodes.map((n) => [n, snapshot(paths[n] ?? `/run/netns/${n}`)]));

const labFile = join(repo, 'labs', `${c.lab}.yaml`);
const state = mkdtempSync(join(WORK, 'state.'));
const variant = c.variant ? ['--variant', c.variant] : [];
sh([netlab, 'up', labFile, ...variant, '--prefix', 'lab-', '-q'], { NETLAB_STATE_DIR: state });
let labSnaps;
try {
  labSnaps = Object.fromEntries(c.nodes.map((n) => [n, snapshot(`/run/netns/lab-${n}`)]));
} finally {
  sh([netlab, 'down', labFile, '--prefix', 'lab-', '-q'], { NETLAB_STATE_DIR: state });
}

const doc = parse(readFileSync(labFile, 'utf8'));
const simplifications = doc.simplifications ?? [];
const { lines, undeclared } = compare(name, normalize(realSnaps, fresh), normalize(labSnaps, fresh), simplifications);
console.log(lines.join('\n'));
console.log(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(undeclared === 0 ? 0 : 1);
