import { describe, expect, it } from 'vitest';
import { parseLabArgv, parseVerifyArgv } from '../../src/cli/lab-argv.js';

// bin/netlab sends `verify` to verify-fast.ts: the argv shapes it runs past the CLI's parser, and every
// other argv left to commander (its options, its errors, its help).

describe('netlab verify past the CLI parser', () => {
  it('takes `verify LAB` with --prefix, --budget and --json, in any order, each once', () => {
    expect(parseVerifyArgv(['verify', 'lab'])).toEqual({ ref: 'lab' });
    expect(parseVerifyArgv(['verify', 'lab', '--prefix', 'p-', '--budget', '60'])).toEqual({ ref: 'lab', prefix: 'p-', budget: '60' });
    expect(parseVerifyArgv(['verify', '--json', '--budget=60', 'lab.yaml', '--prefix=p-'])).toEqual({ ref: 'lab.yaml', prefix: 'p-', budget: '60', json: true });
    // a value commander would hand to the command as it is: the command's own check refuses it, on both paths
    expect(parseVerifyArgv(['verify', 'lab', '--budget', 'x'])).toEqual({ ref: 'lab', budget: 'x' });
    expect(parseVerifyArgv(['verify', 'lab', '--budget='])).toEqual({ ref: 'lab', budget: '' });
  });

  it('leaves every other argv to the full CLI', () => {
    for (const argv of [
      ['verify'], ['verify', '--json'], ['up', 'lab'], ['verify', 'lab', 'other'], ['verify', 'lab', '--check', 'c'], ['verify', 'lab', '--junit', 'j.xml'],
      ['verify', 'lab', '--jobs', '4'], ['verify', 'lab', '--variant', 'v'], ['verify', 'lab', '--target', 'vagrant'], ['verify', 'lab', '--hosts', 'h'],
      ['verify', 'lab', '-q'], ['verify', '-v', 'lab'], ['verify', 'lab', '--help'], ['verify', '--', 'lab'], ['verify', 'lab', '--json=1'],
      ['verify', 'lab', '--json', '--json'], ['verify', 'lab', '--budget'], ['verify', 'lab', '--budget', '-1'], ['verify', 'lab', '--budget', '1', '--budget', '2'],
      ['verify', 'lab', '--prefix', 'a-', '--prefix=b-'], ['verify', 'lab', '--prefix', '--json'], ['verify', 'lab', '--budgets', '1'],
    ]) expect(parseVerifyArgv(argv), argv.join(' ')).toBeUndefined();
  });

  it('gives up and down only --prefix, as before', () => {
    expect(parseLabArgv('up', ['up', 'lab', '--prefix=', 'x'])).toBeUndefined();
    expect(parseLabArgv('up', ['up', 'lab', '--prefix='])).toEqual({ ref: 'lab', prefix: '' });
    expect(parseLabArgv('down', ['down', 'lab', '--budget', '60'])).toBeUndefined();
    expect(parseLabArgv('down', ['down', 'lab', '--json'])).toBeUndefined();
  });
});
