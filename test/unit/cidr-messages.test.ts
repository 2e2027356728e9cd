import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cidrProblem } from '../../src/schema/ip.js';
import { NETLAB } from '../helpers/cli.js';

describe('an address/prefix that is wrong says what is wrong', () => {
  it.each([
    ['10.0.0.300/24', 'the octet 300 in 10.0.0.300 is over 255'],
    ['10.0.0.1/33', 'the prefix length /33 is over 32'],
    ['10.0.0.1', 'has no prefix length: write it, such as 10.0.0.1/24'],
    ['10.0.1/24', 'needs 4 numbers'],
    ['10.0.x.1/24', '"x" in 10.0.x.1 is not a number'],
    ['2001:db8::1/129', 'over 128'],
  ])('%s', (value, words) => {
    expect(cidrProblem(value)).toContain(words);
  });

  it('netlab validate points at each bad address with file:line:col and its own reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cidr-'));
    const file = join(dir, 'lab.yaml');
    writeFileSync(file, 'name: a\nnodes: { host: {}, blue: {} }\nlinks:\n  - { ends: [host:eth0, blue:eth0], address: 10.0.0.300/24 }\n  - { ends: [host:eth1, blue:eth1], address: 10.0.1.1/33 }\n');
    const r = await execa(NETLAB, ['validate', file], { reject: false, env: { NO_COLOR: '1' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${file}:4:46 links[0].address: the octet 300 in 10.0.0.300 is over 255`);
    expect(r.stderr).toContain(`${file}:5:46 links[1].address: the prefix length /33 is over 32`);
  });
});
