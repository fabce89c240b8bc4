import { describe, expect, it } from 'vitest';
import type { IngestDeps } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { silentLog } from '../../../functions/core/ports.ts';
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

// A run that dies leaves what it wrote after its last digest in no digest. A scheduled run records
// those bytes when it re-pulls the hours itself, but a range run (--from/--to) writes hours far
// behind the watermark that no scheduled run pulls again: only the next run's sweep, from the dead
// run's first hour on, reads them into the chain.
describe('the run after a range run that died', () => {
  it('sweeps the hours the dead run pulled and records what it left as read', async () => {
    const source = sixHourSource();
    const store = new MemoryObjectStore();
    let clock = now;
    const deps: IngestDeps = {
      ...noWaits,
      source,
      store,
      clock: { now: () => clock },
      log: silentLog,
      metrics: { count() {} },
    };
    await runIngest(deps, config());

    // A range run over hours 0-2 dies right after rewriting hour 1 (a late event).
    const hour1 = await deadRangeRun(deps, source, store);
    expect((await verifyIntegrity(store, 'acme')).problems.map((p) => `${p.kind} ${p.key}`)).toContain(
      `changed ${hour1}`,
    );

    // The next scheduled run pulls only its lookback (hours 4-6), far from hour 1.
    clock = now + HOUR_MS;
    const asked = source.queries.length;
    await runIngest(deps, config());
    expect(source.queries.slice(asked).every((q) => q.start >= day0 + 4 * HOUR_MS - 1)).toBe(true);

    const report = await verifyIntegrity(store, 'acme');
    expect(report).toMatchObject({ ok: true, problems: [], unsealedHead: null });
    expect(report.recordedOnRead.map((r) => r.key)).toContain(hour1);
  });
});
