import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { probeScript, type ProbeScript } from '../../src/verify/probe-script.js';

// Each probe runs as its one CommonJS file (dist/bundle/NAME.cjs, scripts/bundle.mjs) instead of the ES
// module tsc wrote: same argv, same output. Run both for real here, against listeners on this machine.

const run = promisify(execFile);
const compiled = (name: ProbeScript) => join(PACKAGE_ROOT, 'dist', name === 'capture-probe' ? 'exec' : 'verify', `${name}.js`);
/** a probe's stdout with its timings (`ms`, which differ run to run) set to 0, its lines sorted (a batch's jobs finish in any order) */
async function output(file: string, args: readonly string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [file, ...args]);
  const lines = stdout.replace(/\\?"ms\\?":\d+/g, (m) => m.replace(/\d+$/, '0')).split('\n');
  return `${lines.filter((l) => l !== '').sort().join('\n')}\n`;
}

let http: Server;
let closedPort: number;
beforeAll(async () => {
  http = createServer((_req, res) => res.writeHead(200, { 'x-netlab-node': 'b' }).end('hello'));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const spare = createTcpServer();
  await new Promise<void>((r) => spare.listen(0, '127.0.0.1', r));
  closedPort = (spare.address() as AddressInfo).port;
  await new Promise((r) => spare.close(r));
});
afterAll(() => new Promise((r) => http.close(r)));

describe('probeScript', () => {
  it('runs each probe from its CommonJS bundle after a build, a file of no ESM syntax', () => {
    for (const name of ['probe-batch', 'tcp-probe', 'http-probe', 'dns-probe', 'capture-probe'] as const) {
      expect(probeScript(name)).toBe(join(PACKAGE_ROOT, 'dist', 'bundle', `${name}.cjs`));
      const text = readFileSync(probeScript(name), 'utf8');
      expect(text).not.toMatch(/^\s*(import|export)\s/m);
      expect(text).not.toMatch(/\bimport\(/);
      expect(existsSync(compiled(name))).toBe(true);
    }
  });

  it('prints what the ES module prints, for every kind of probe', async () => {
    const port = String((http.address() as AddressInfo).port);
    const cases: [ProbeScript, string[]][] = [
      ['tcp-probe', ['127.0.0.1', port, '2000']],
      ['tcp-probe', ['127.0.0.1', String(closedPort), '2000']],
      ['http-probe', [`http://127.0.0.1:${port}/x`, '2', '2000']],
      ['http-probe', [`http://127.0.0.1:${closedPort}/`, '1', '2000']],
      ['dns-probe', ['127.0.0.1', 'a.test', 'A', '300']],
      ['probe-batch', [JSON.stringify([{ probe: 'tcp-probe', args: ['127.0.0.1', port, '2000'] }, { probe: 'http-probe', args: [`http://127.0.0.1:${port}/`, '1', '2000'] }, { probe: 'nope', args: [] }])]],
      ['capture-probe', [JSON.stringify({ ifname: '', tcpdump: ['tcpdump'], trigger: ['true'], triggerTimeoutMs: 1000, lingerMs: 10 })]],
    ];
    for (const [name, args] of cases) {
      const bundled = await output(probeScript(name), args);
      expect(bundled).toBe(await output(compiled(name), args));
      expect(bundled).toMatch(/^(\{.*\}\n)+$/);
    }
  });
});
