import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { parseServeArgv } from '../../src/cli/serve-fast.js';
import { serviceCommand } from '../../src/render/service-argv.js';
import { loadLab } from '../../src/lab/load-lab.js';
import { LABS_DIR } from '../../src/paths.js';

describe('netlab serve past the CLI parser', () => {
  it('takes every service argv the shipped labs render, with the values the service was given', () => {
    let seen = 0;
    for (const f of readdirSync(LABS_DIR).filter((n) => n.endsWith('.yaml'))) {
      for (const node of loadLab(f.slice(0, -5)).lab.nodes) {
        for (const s of node.services) {
          if (s.kind === 'dns') continue;
          const argv = serviceCommand(s);
          // netlab-serve KIND ... (what up runs) takes the argv of `netlab serve KIND ...`
          expect(argv[0]).toBe('netlab-serve');
          const parsed = parseServeArgv(['serve', ...argv.slice(1)]);
          // a body that starts with "-" is left to the full CLI; none of the shipped labs has one
          expect(parsed, argv.join(' ')).toBeDefined();
          expect(parsed?.kind).toBe(s.kind);
          expect(parsed?.opts.node).toBe(s.node);
          if (s.kind !== 'pause') expect(parsed?.opts.port).toBe(String(s.port));
          if (s.kind === 'proxy') expect([parsed?.opts.to, parsed?.opts.toPort]).toEqual([s.to, String(s.toPort)]);
          if (s.kind === 'http') expect(parsed?.opts.body).toBe(s.body === `hello from ${s.node}\n` ? undefined : s.body);
          seen++;
        }
      }
    }
    expect(seen).toBeGreaterThan(10);
  });

  it('gives the CLI\'s default port, 80', () => {
    expect(parseServeArgv(['serve', 'http', '--node', 'a'])).toEqual({ kind: 'http', opts: { node: 'a', port: '80' } });
  });

  it('leaves everything else to the full CLI and its parser', () => {
    for (const args of [
      ['serve'], ['serve', 'bogus', '--node', 'a'], ['serve', 'http'], ['serve', 'http', '--port', '80'],
      ['serve', 'http', '--node=a'], ['serve', 'http', '--node', 'a', '--node', 'b'], ['serve', 'http', '--node', 'a', '--help'],
      ['serve', 'http', '--node', 'a', '--body', '-x'], ['serve', 'http', '--node', 'a', '--unknown', 'x'], ['serve', '--node', 'a', 'http'],
      ['serve', 'http', '--node', 'a', '--constructor', 'x'], ['up', 'http', '--node', 'a'],
    ]) {
      expect(parseServeArgv(args), args.join(' ')).toBeUndefined();
    }
  });
});
