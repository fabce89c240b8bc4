import { describe, expect, it } from 'vitest';
import type { IngestDeps } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { decodeDigest, listDigestKeys } from '../../../functions/core/lake/digest.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { type ObjectStore, silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { noWaits } from '../../support/no-waits.ts';
import {
  deadRangeRun,
  SIX_HOUR_LAKE_NOW,
  SIX_HOUR_LAKE_START,
  sixHourConfig,
  sixHourSource,
} from '../../support/six-hour-lake.ts';

const day0 = SIX_HOUR_LAKE_START;
const now = SIX_HOUR_LAKE_NOW;
const config = sixHourConfig;

/** The lake, with every key it was asked for noted. */
function noteGets(lake: MemoryObjectStore, asked: string[]): ObjectStore {
  return {
    location: lake.location,
    list: (prefix) => lake.list(prefix),
    put: (key, body, options) => lake.put(key, body, options),
    get: (key) => {
      asked.push(key);
      return lake.get(key);
    },
  };
}

// A range run (--from/--to) says in its digests where its hours end (`to_ms`), so the run after it
// died reads only the hours it could have written, not every hour since its first one.
describe('the sweep after a range run that died', () => {
  it('reads only the hours that run pulled, and records what it left', async () => {
    const source = sixHourSource();
    const lake = new MemoryObjectStore();
    let clock = now;
    const asked: string[] = [];
    const deps: IngestDeps = {
      ...noWaits,
      source,
      store: noteGets(lake, asked),
      clock: { now: () => clock },
      log: silentLog,
      metrics: { count() {} },
    };
    await runIngest(deps, config());

    // A range run over hours 0-2 dies right after rewriting hour 1 (a late event).
    const hour1 = await deadRangeRun(deps, source, lake);
    const digests = await listDigestKeys(lake, 'acme');
    const last = digests.at(-1) as string;
    expect(decodeDigest(last, lake.objects.get(last)?.body as Uint8Array)).toMatchObject({
      sealed: false,
      from_ms: day0,
      to_ms: day0 + 3 * HOUR_MS,
    });

    // The next scheduled run pulls hours 4-6 (sized from hour 3's manifest); its sweep reads hours
    // 0-2, and not hour 3's events.
    clock = now + HOUR_MS;
    asked.length = 0;
    await runIngest(deps, config());
    expect(asked).toContain(hour1);
    expect(asked).not.toContain(activityKey('acme', day0 + 3 * HOUR_MS));

    const report = await verifyIntegrity(lake, 'acme');
    expect(report).toMatchObject({ ok: true, problems: [], unsealedHead: null });
    expect(report.recordedOnRead.map((r) => r.key)).toContain(hour1);
  });
});
