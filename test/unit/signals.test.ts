import { describe, expect, it } from 'vitest';
import { reasonOf, withSignalAbort } from '../../src/cli/signals.js';

// The one helper every command that must undo runs in (up, verify, test, up --target).
describe('withSignalAbort', () => {
  const listeners = () => ['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s));

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s aborts the work once, tells why, and the handlers go afterwards', async (sig) => {
    const before = listeners();
    const told: string[] = [];
    const reason = await withSignalAbort(async (signal) => {
      process.emit(sig, sig);
      process.emit('SIGINT', 'SIGINT'); // a second Ctrl-C while undoing: ignored
      expect(signal.aborted).toBe(true);
      return reasonOf(signal);
    }, (r) => told.push(r));
    expect(reason).toBe(sig);
    expect(told).toEqual([sig]);
    expect(listeners()).toEqual(before);
  });

  it('a broken output stream aborts the work in flight instead of killing netlab', async () => {
    const reason = await withSignalAbort(async (signal) => {
      process.stderr.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      return reasonOf(signal);
    });
    expect(reason).toBe('a broken pipe');
  });

  it('the work can abort itself (--step: q)', async () => {
    const reason = await withSignalAbort(async (signal, abort) => {
      abort('q');
      return reasonOf(signal);
    });
    expect(reason).toBe('q');
  });

  it('other output errors are not swallowed', async () => {
    await withSignalAbort(async () => {
      expect(() => process.stderr.emit('error', Object.assign(new Error('boom'), { code: 'EACCES' }))).toThrow('boom');
    });
  });
});
