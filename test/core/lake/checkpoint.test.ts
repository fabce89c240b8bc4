import { describe, expect, it } from 'vitest';
import {
  advanceCheckpoint,
  type Checkpoint,
  readCheckpoint,
} from '../../../functions/core/lake/checkpoint.ts';
import { checkpointKey } from '../../../functions/core/lake/layout.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const key = checkpointKey('acme');
const h = (hour: number) => Date.parse('2026-10-01T00:00:00Z') + hour * 3_600_000;
const now = Date.parse('2026-10-02T12:00:00Z');
const step = (watermarkMs: number, runId = 'run-1') => ({ watermarkMs, runId, codeVersion: '1.2.3', now });
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const storedWatermark = async (store: MemoryObjectStore) =>
  (await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms;

describe('checkpoint', () => {
  it('is absent before the first run', async () => {
    expect(await readCheckpoint(new MemoryObjectStore(), 'acme')).toBeUndefined();
  });

  it('writes the first checkpoint create-only, with readable times', async () => {
    const store = new MemoryObjectStore();
    const written = await advanceCheckpoint(store, 'acme', step(h(5)));
    expect(written).toEqual({
      version: 1,
      instance: 'acme',
      watermark_ms: h(5),
      watermark: '2026-10-01T05:00:00.000Z',
      updated_at: '2026-10-02T12:00:00.000Z',
      run_id: 'run-1',
      code_version: '1.2.3',
    });
    expect(store.puts[0]).toMatchObject({ key, options: { ifNoneMatch: '*' } });
    expect(await readCheckpoint(store, 'acme')).toEqual({
      checkpoint: written,
      etag: store.objects.get(key)?.etag,
    });
  });

  it('advances with a put conditional on the ETag it read', async () => {
    const store = new MemoryObjectStore();
    await advanceCheckpoint(store, 'acme', step(h(5)));
    const read = await readCheckpoint(store, 'acme');
    const next = await advanceCheckpoint(store, 'acme', step(h(8), 'run-2'), read);
    expect(next).toMatchObject({ watermark_ms: h(8), run_id: 'run-2' });
    expect(store.puts[1]?.options).toMatchObject({ ifMatch: read?.etag });
    expect(await storedWatermark(store)).toBe(h(8));
  });

  it('says a digest chain existed once a run with one writes it, and keeps saying so', async () => {
    const store = new MemoryObjectStore();
    expect(await advanceCheckpoint(store, 'acme', step(h(5)))).not.toHaveProperty('digests_recorded');
    const said = await advanceCheckpoint(store, 'acme', { ...step(h(6), 'run-2'), digestsRecorded: true });
    expect(said.digests_recorded).toBe(true);
    // A run that read no digest (it wrote no table object) keeps the word of the runs before it.
    expect((await advanceCheckpoint(store, 'acme', step(h(7), 'run-3'))).digests_recorded).toBe(true);
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.digests_recorded).toBe(true);
  });

  it('never moves the watermark backwards (and does not write)', async () => {
    const store = new MemoryObjectStore();
    await advanceCheckpoint(store, 'acme', step(h(8)));
    const result = await advanceCheckpoint(store, 'acme', step(h(3), 'run-2'));
    expect(result).toMatchObject({ watermark_ms: h(8), run_id: 'run-1' });
    expect(store.puts).toHaveLength(1);
  });

  it('after losing a race to a run that got further, keeps theirs', async () => {
    const store = new MemoryObjectStore();
    await advanceCheckpoint(store, 'acme', step(h(2)));
    const read = await readCheckpoint(store, 'acme');
    await advanceCheckpoint(store, 'acme', step(h(10), 'rival'));
    const result = await advanceCheckpoint(store, 'acme', step(h(6), 'run-2'), read);
    expect(result).toMatchObject({ watermark_ms: h(10), run_id: 'rival' });
    expect(await storedWatermark(store)).toBe(h(10));
  });

  it('after losing a race to a run that got less far, stores ours on the retry', async () => {
    const store = new MemoryObjectStore();
    await advanceCheckpoint(store, 'acme', step(h(2)));
    const first = await readCheckpoint(store, 'acme');
    if (!first) throw new Error('no checkpoint written');
    const rival: Checkpoint = {
      ...first.checkpoint,
      watermark_ms: h(4),
      watermark: new Date(h(4)).toISOString(),
      run_id: 'rival',
    };
    let rivalEtag: string | undefined;
    store.beforePut = (_key, putNumber) => {
      if (putNumber === 2) rivalEtag = store.putNow(key, encode(rival)).etag;
    };
    const result = await advanceCheckpoint(store, 'acme', step(h(6), 'run-2'));
    expect(result).toMatchObject({ watermark_ms: h(6), run_id: 'run-2' });
    expect(await storedWatermark(store)).toBe(h(6));
    expect(store.puts).toHaveLength(3);
    expect(store.puts[2]?.options.ifMatch).toBe(rivalEtag);
  });

  it('two runs racing from the same read both end at the larger watermark', async () => {
    const store = new MemoryObjectStore();
    await advanceCheckpoint(store, 'acme', step(h(1)));
    const read = await readCheckpoint(store, 'acme');
    const [a, b] = await Promise.all([
      advanceCheckpoint(store, 'acme', step(h(7), 'a'), read),
      advanceCheckpoint(store, 'acme', step(h(9), 'b'), read),
    ]);
    expect(await storedWatermark(store)).toBe(h(9));
    expect([a.watermark_ms, b.watermark_ms].sort()).toEqual([h(7), h(9)].sort());
    expect(Math.max(a.watermark_ms, b.watermark_ms)).toBe(h(9));
  });

  it('explains a corrupt checkpoint: which key, and that deleting it restarts from the backfill days', async () => {
    const store = new MemoryObjectStore();
    store.putNow(key, new TextEncoder().encode('{"version":1,'));
    await expect(readCheckpoint(store, 'acme')).rejects.toThrow(
      /checkpoint state\/instance=acme\/checkpoint\.json at memory:\/\/lake\/ is corrupt \(not valid JSON.*delete it: the next run then restarts from the backfill days setting ago/,
    );
    store.putNow(key, encode({ version: 1, instance: 'acme', watermark_ms: 'soon' }));
    await expect(readCheckpoint(store, 'acme')).rejects.toThrow(/corrupt \(field watermark_ms/);
    const halfHour = {
      version: 1,
      instance: 'acme',
      watermark_ms: h(1) + 1_800_000,
      watermark: '',
      updated_at: '',
      run_id: 'r',
      code_version: '1',
    };
    store.putNow(key, encode(halfHour));
    await expect(readCheckpoint(store, 'acme')).rejects.toThrow(
      /corrupt \(field watermark_ms: must be on a whole UTC hour/,
    );
    const other: Checkpoint = {
      version: 1,
      instance: 'globex',
      watermark_ms: h(1),
      watermark: new Date(h(1)).toISOString(),
      updated_at: '',
      run_id: 'x',
      code_version: 'x',
    };
    store.putNow(key, encode(other));
    await expect(readCheckpoint(store, 'acme')).rejects.toThrow(/belongs to instance "globex"/);
    await expect(advanceCheckpoint(store, 'acme', step(h(2)))).rejects.toThrow(/corrupt/);
  });

  it('refuses a checkpoint whose readable watermark was edited without watermark_ms', async () => {
    const store = new MemoryObjectStore();
    const written = await advanceCheckpoint(store, 'acme', step(h(5)));
    store.putNow(key, encode({ ...written, watermark: new Date(h(2)).toISOString() }));
    await expect(readCheckpoint(store, 'acme')).rejects.toThrow(
      `is corrupt (watermark "${new Date(h(2)).toISOString()}" and watermark_ms ${h(5)} (${new Date(h(5)).toISOString()}) disagree; the runs follow watermark_ms: set it to the time you mean in epoch milliseconds (${h(2)} for "${new Date(h(2)).toISOString()}"), and watermark to the same time)`,
    );
  });

  it('rejects a watermark that is not epoch milliseconds', async () => {
    await expect(advanceCheckpoint(new MemoryObjectStore(), 'acme', step(Number.NaN))).rejects.toThrow(
      /watermarkMs must be a non-negative integer/,
    );
  });
});
