import { describe, expect, it } from 'vitest';
import { advanceCheckpoint, readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import {
  lastRunKey,
  readLastRun,
  readLastRunForStatus,
  recordRunFailedToStart,
} from '../../../functions/core/lake/last-run.ts';
import { checkpointKey } from '../../../functions/core/lake/layout.ts';
import { NewerVersionError, newerVersionIn } from '../../../functions/core/lake/stored-version.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const NOW = Date.parse('2026-10-02T12:00:00Z');
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const UPDATE = 'update this one (git pull && npm ci, or deploy the newer release)';

/** What a later release might write: another version, fields this one does not know. */
const checkpointV2 = {
  version: 2,
  instance: 'acme',
  watermarks: { audit: NOW - HOUR_MS },
  updated_at: '2026-10-02T11:00:00.000Z',
};

describe('state written by a newer version of this project', () => {
  it('is a checkpoint to update for, not a corrupt one to delete', async () => {
    const store = new MemoryObjectStore();
    store.putNow(checkpointKey('acme'), encode(checkpointV2));
    const error = await readCheckpoint(store, 'acme').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NewerVersionError);
    expect((error as Error).message).toBe(
      `checkpoint state/instance=acme/checkpoint.json at memory://lake/ was written by a newer version of domo-activity-lake (checkpoint v2; this one reads v1): ${UPDATE}`,
    );
    expect((error as Error).message).not.toMatch(/corrupt|delete/);
    // Nor does a run write over it.
    await expect(
      advanceCheckpoint(store, 'acme', { watermarkMs: NOW, runId: 'r', codeVersion: '1', now: NOW }),
    ).rejects.toThrow(/newer version/);
  });

  it('leaves a version that is not a number above this one to the schema: corrupt', async () => {
    const store = new MemoryObjectStore();
    for (const version of [0, '2', null]) {
      store.putNow(checkpointKey('acme'), encode({ ...checkpointV2, version }));
      await expect(readCheckpoint(store, 'acme')).rejects.toThrow(/is corrupt \(field version/);
    }
    expect(newerVersionIn(new TextEncoder().encode('[{"version":2}]'), 1)).toBeUndefined();
    expect(newerVersionIn(new TextEncoder().encode('{"version":2'), 1)).toBeUndefined();
    expect(newerVersionIn(encode({ version: 1.5 }), 1)).toBe(1.5);
  });

  it('names both settings of the reach of a first run in the corrupt advice', async () => {
    const store = new MemoryObjectStore();
    store.putNow(checkpointKey('acme'), new TextEncoder().encode('{"version":1,'));
    await expect(readCheckpoint(store, 'acme')).rejects.toThrow(
      'restarts from the backfill days setting ago (backfillDays in the deployed config, the backfill-days option of the command line)',
    );
  });

  it('is a last-run record status names, and no run writes over', async () => {
    const store = new MemoryObjectStore();
    const newer = encode({ version: 3, instance: 'acme', finished_at_ms: NOW - HOUR_MS });
    store.putNow(lastRunKey('acme'), newer);
    expect(await readLastRun(store, 'acme')).toBeUndefined();
    expect(await readLastRunForStatus(store, 'acme')).toEqual({
      lastRun: undefined,
      newer: `last run record state/instance=acme/last-run.json was written by a newer version of domo-activity-lake (last-run v3; this one reads v1): ${UPDATE}`,
    });
    await recordRunFailedToStart(store, 'acme', 'the checkpoint is newer', NOW, 15);
    expect((await store.get(lastRunKey('acme')))?.body).toEqual(newer);
  });

  it('reads a record of this version as before', async () => {
    const store = new MemoryObjectStore();
    await recordRunFailedToStart(store, 'acme', 'broken', NOW, 15);
    const read = await readLastRunForStatus(store, 'acme');
    expect(read.newer).toBeUndefined();
    expect(read.lastRun).toMatchObject({ outcome: 'failed', first_failure: 'broken' });
  });
});
