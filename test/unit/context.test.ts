// The one context a command runs with: built once from the global flags and the NETLAB_* environment.
import { describe, expect, it } from 'vitest';
import { contextFrom } from '../../src/cli/context.js';

describe('contextFrom', () => {
  it('reads NETLAB_JOBS as a positive integer, else 4', () => {
    expect(contextFrom({}, {}).jobs).toBe(4);
    expect(contextFrom({}, { NETLAB_JOBS: '2' }).jobs).toBe(2);
    for (const bad of ['0', '-3', '1.5', 'many', '']) expect(contextFrom({}, { NETLAB_JOBS: bad }).jobs).toBe(4);
  });

  it('passes NETLAB_RUNNER and NETLAB_SERVICE_READY_MS through, and leaves them out when unset or bad', () => {
    expect(contextFrom({}, { NETLAB_RUNNER: 'nsenter', NETLAB_SERVICE_READY_MS: '90000' })).toMatchObject({ runner: 'nsenter', serviceReadyMs: 90000 });
    const plain = contextFrom({}, { NETLAB_SERVICE_READY_MS: 'soon' });
    expect('runner' in plain).toBe(false);
    expect('serviceReadyMs' in plain).toBe(false);
  });

  it('a flag wins over NETLAB_VERBOSITY; -v echoes each command, otherwise nothing is echoed', () => {
    expect(contextFrom({}, {}).verbosity).toBe('normal');
    expect(contextFrom({}, { NETLAB_VERBOSITY: 'quiet' }).verbosity).toBe('quiet');
    expect(contextFrom({ verbose: true }, { NETLAB_VERBOSITY: 'quiet' }).verbosity).toBe('verbose');
    expect(contextFrom({ quiet: true }, {}).verbosity).toBe('quiet');
    expect(contextFrom({}, { NETLAB_VERBOSITY: 'loud' }).verbosity).toBe('normal');
    expect(contextFrom({ verbose: true }, {}).echo).toBeTypeOf('function');
    expect(contextFrom({ quiet: true }, {}).echo).toBeUndefined();
  });
});

describe('up --plan --target vagrant', () => {
  it('is refused before the VM is reached (the relay copies lab files, not plans)', async () => {
    const { buildProgram } = await import('../../src/cli/main.js');
    const program = buildProgram();
    await expect(program.parseAsync(['node', 'netlab', 'up', 'red-blue-bridge', '--plan', 'plan.json', '--target', 'vagrant'])).rejects.toThrow('up --plan does not travel to the VM');
  });
});
