import { describe, expect, it } from 'vitest';
import { realSleep } from '../../functions/core/runtime.ts';

describe('realSleep', () => {
  it('resolves after the delay', async () => {
    await expect(realSleep(1)).resolves.toBeUndefined();
  });

  it('rejects with the abort reason, whether aborted before or during the wait', async () => {
    const before = new AbortController();
    before.abort(new Error('stop now'));
    await expect(realSleep(10_000, before.signal)).rejects.toThrow('stop now');

    const during = new AbortController();
    const waiting = realSleep(10_000, during.signal);
    during.abort(new Error('stop later'));
    await expect(waiting).rejects.toThrow('stop later');
  });
});
