import { describe, expect, it } from 'vitest';
import { advanceStoredCheckpoint, readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { lastRunKey, readLastRun, recordRunFailedToStart } from '../../../functions/core/lake/last-run.ts';
import { checkpointKey } from '../../../functions/core/lake/layout.ts';
import { mergeIntoObject } from '../../../functions/core/lake/merge-write.ts';
import { decodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { Landed412Store } from '../../support/landed-412-store.ts';

/**
 * S3 stored the put and lost its answer; the SDK's retry met the object it had just written and was
 * answered 412. The write is the caller's own: it goes on as if the put had been answered.
 */
const h = (hour: number) => Date.parse('2026-10-01T00:00:00Z') + hour * HOUR_MS;
const NOW = Date.parse('2026-10-02T12:00:00Z');

describe('a checkpoint advance that landed, answered 412', () => {
  it('returns the checkpoint it wrote, with its ETag, not a reset', async () => {
    const store = new Landed412Store();
    await advanceStoredCheckpoint(store, 'acme', {
      watermarkMs: h(2),
      runId: 'run-0',
      codeVersion: '1',
      now: NOW,
    });
    const read = await readCheckpoint(store, 'acme');
    store.arm(checkpointKey('acme'));

    const advance = { watermarkMs: h(5), runId: 'run-1', codeVersion: '1', now: NOW };
    const stored = await advanceStoredCheckpoint(store, 'acme', advance, read);

    expect(store.landed412).toEqual([checkpointKey('acme')]);
    expect(stored).toEqual(await readCheckpoint(store, 'acme'));
    expect(stored.checkpoint).toMatchObject({ watermark_ms: h(5), run_id: 'run-1' });
    expect(store.putsOf(checkpointKey('acme'))).toBe(2);
  });
});

describe('a last-run record that landed, answered 412', () => {
  it('is recorded once: not written a second time with the same bytes', async () => {
    const store = new Landed412Store().arm(lastRunKey('acme'));
    await recordRunFailedToStart(store, 'acme', 'the checkpoint is corrupt', NOW, 15);

    expect(store.landed412).toEqual([lastRunKey('acme')]);
    expect(await readLastRun(store, 'acme')).toMatchObject({ outcome: 'failed', finished_at_ms: NOW });
    expect(store.putsOf(lastRunKey('acme'))).toBe(1);
  });
});

interface Rec {
  id: string;
  t: number;
  run: string;
}

const key = 'activity_log/instance=acme/dt=2026-10-01/2026-10-01T10.ndjson.gz';
const options = { idOf: (r: Rec) => r.id, compare: (a: Rec, b: Rec) => a.t - b.t };
const rec = (id: string, t: number, run: string): Rec => ({ id, t, run });

describe('a merge that landed, answered 412', () => {
  it('reports the records it added and what was stored before, as the answered put would', async () => {
    const store = new Landed412Store();
    await mergeIntoObject(store, key, [rec('a', 1, 'run-1')], options);
    store.arm(key);

    const result = await mergeIntoObject(store, key, [rec('c', 3, 'run-2'), rec('b', 2, 'run-2')], options);

    expect(store.landed412).toEqual([key]);
    expect(result).toEqual({
      before: 1,
      after: 3,
      added: [rec('b', 2, 'run-2'), rec('c', 3, 'run-2')],
      written: true,
      ids: new Set(['a', 'b', 'c']),
      dropped: [],
      storedElsewhere: [],
    });
    expect(store.putsOf(key)).toBe(2);
    expect(decodeNdjsonGzip((await store.get(key))?.body ?? new Uint8Array())).toHaveLength(3);
  });

  it('reports the stored records it dropped', async () => {
    const store = new Landed412Store();
    await mergeIntoObject(store, key, [rec('a', 1, 'run-1'), rec('b', 2, 'run-1')], options);
    store.arm(key);

    const result = await mergeIntoObject(store, key, [], { ...options, drop: (r: Rec) => r.id === 'a' });

    expect(store.landed412).toEqual([key]);
    expect(result).toMatchObject({ before: 2, after: 1, written: true, dropped: [rec('a', 1, 'run-1')] });
  });
});
