import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { coverageKey } from '../../../functions/core/lake/layout.ts';
import type { ListOptions } from '../../../functions/core/ports.ts';
import { readInstanceStatus } from '../../../functions/core/status/instance-status.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// `status` judged "younger than a week" from the first manifest inside its 7-day window, so a lake
// of ten days whose first 52 hours of that window were missing was checked from the hour after the
// gap: "missing 7d 0/116", all well. It now judges from the lake's first hour.

const NOW = Date.UTC(2026, 10, 30, 10, 20);
const options = { nowMs: NOW, lagHours: 3, reportTimeZone: 'UTC' };
const windowFromMs = Date.UTC(2026, 10, 30, 10) - 7 * 24 * HOUR_MS;

/** Counts the keys read from listings of the whole coverage table (not of one day). */
class CountingStore extends MemoryObjectStore {
  wholeTableKeys = 0;
  override async *list(prefix: string, options?: ListOptions): AsyncIterable<string> {
    for await (const key of super.list(prefix, options)) {
      if (prefix === 'coverage/instance=main/') this.wholeTableKeys++;
      yield key;
    }
  }
}

async function lakeOf(days: number) {
  const store = new CountingStore();
  const source = new MemoryAuditSource();
  for (let t = NOW - (days + 1) * 24 * HOUR_MS; t < NOW; t += 20 * 60_000)
    source.add(viewEntry(t, t / 60_000));
  const deps = quietIngestDeps(source, store, NOW);
  const summary = await runIngest(deps, { ...defaultIngestConfig('main'), backfillDays: days }, {});
  await recordLastRun(store, summary, NOW);
  return store;
}

describe('status: hours missing at the start of its 7-day window', () => {
  it('counts a gap at the window start of a lake older than the window as missing', async () => {
    const store = await lakeOf(10);
    for (let at = windowFromMs; at < windowFromMs + 52 * HOUR_MS; at += HOUR_MS)
      store.objects.delete(coverageKey('main', at));
    store.wholeTableKeys = 0;
    const status = await readInstanceStatus(store, 'main', options);
    expect(status).toMatchObject({ missingHours: 52, checkedHours: 7 * 24 });
    // The lake's first hour is its first key: the rest of the lake is not listed.
    expect(store.wholeTableKeys).toBe(1);
  });

  it('still checks a lake younger than the window from its first hour only', async () => {
    const store = await lakeOf(3);
    const status = await readInstanceStatus(store, 'main', options);
    expect(status).toMatchObject({ missingHours: 0, checkedHours: 3 * 24 });
  });

  it('counts the whole window missing when a lake older than it has no hour in it', async () => {
    const store = await lakeOf(10);
    for (let at = windowFromMs; at < Date.UTC(2026, 10, 30, 10); at += HOUR_MS)
      store.objects.delete(coverageKey('main', at));
    const status = await readInstanceStatus(store, 'main', options);
    expect(status).toMatchObject({ missingHours: 7 * 24, checkedHours: 7 * 24 });
  });
});
