import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../functions/adapters/fs-store.ts';
import { statusCommand } from '../../../functions/cli/commands/status.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { writeLastRun } from '../../../functions/core/lake/last-run.ts';
import { type ObjectStore, silentLog } from '../../../functions/core/ports.ts';
import { readInstanceStatus } from '../../../functions/core/status/instance-status.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { captureIo } from '../../support/capture-io.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// The morning Domo nests a field: every entry since is quarantined, yet the week's sound hours
// outweigh them, so the 7 days' share (and the Quarantine alarm, under half) said nothing, and
// status read ok for days without saying since when or why.

const NOW = Date.UTC(2026, 10, 30, 10, 20);
const CHANGE = Date.UTC(2026, 10, 30, 6);
const options = { nowMs: NOW, lagHours: 3, reportTimeZone: 'UTC' };
const NESTED =
  ': Domo may have nested it; a release that reads the new shape stores these entries when their hours are re-pulled';

/** A day of `perHour` entries an hour; from `CHANGE` on, `changed` of each hour's entries carry an object. */
async function lake(changed: number, store: ObjectStore = new MemoryObjectStore(), perHour = 20) {
  const source = new MemoryAuditSource();
  for (let hour = 0; hour < 10; hour++) {
    for (let i = 0; i < perHour; i++) {
      const t = Date.UTC(2026, 10, 30, hour) + 1000 + i * 60_000;
      const view = viewEntry(t, i);
      const odd = t >= CHANGE && i < changed;
      source.add(
        odd ? { timeMs: t, entry: { ...(view.entry as object), browserDetails: { name: 'Chrome' } } } : view,
      );
    }
  }
  const config = { ...defaultIngestConfig('main'), backfillDays: 1, lakeStartDate: '2026-11-30' };
  const summary = await runIngest(quietIngestDeps(source, store, NOW), config, {});
  await recordLastRun(store, summary, NOW);
  return store;
}

describe('status of an instance whose entries are quarantined since a change hours ago', () => {
  it('counts the last 24 hours apart from the week, with the hours since the change', async () => {
    const status = await readInstanceStatus(await lake(20), 'main', options);
    expect(status).toMatchObject({ quarantined: 80, eventsStored: 120, mostlyQuarantined: false });
    expect(status.recentQuarantine).toEqual({
      quarantined: 80,
      read: 200,
      hours: 4,
      firstMs: CHANGE,
      lastMs: CHANGE + 3 * HOUR_MS,
    });
    expect(status.lastRun?.quarantine_reasons).toEqual([
      { kind: `field browserDetails is an object, expected a scalar${NESTED}`, count: 80 },
    ]);
  });

  it('keeps the reasons through a run that read no entry (no new hour)', async () => {
    const store = await lake(20);
    const named = (await readInstanceStatus(store, 'main', options)).lastRun;
    if (!named) throw new Error('the fixture records its run');
    const { quarantine_reasons: _, ...quiet } = named;
    await writeLastRun(store, {
      ...quiet,
      run_id: 'quiet',
      events_written: 0,
      quarantined: 0,
      hours_done: 0,
    });
    const status = await readInstanceStatus(store, 'main', options);
    expect(status.lastRun?.run_id).toBe('quiet');
    expect(status.lastRun?.quarantine_reasons).toEqual(named.quarantine_reasons);
  });

  it('says nothing of a few odd entries: under 20, or under a tenth of what the day read', async () => {
    const few = await readInstanceStatus(await lake(1), 'main', options);
    expect(few).toMatchObject({ quarantined: 4, recentQuarantine: null });
    // 20 of the 600 entries the day read: enough to count, too small a share to be a change.
    const small = await readInstanceStatus(await lake(5, undefined, 60), 'main', options);
    expect(small).toMatchObject({ quarantined: 20, recentQuarantine: null });
  });

  it('says since when, how many and why, and where to read on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'status-recent-quarantine-'));
    try {
      await lake(20, new FsObjectStore(dir));
      const { io, stdout } = captureIo();
      await statusCommand(['--lake', dir], { ...io, log: silentLog, clock: { now: () => NOW } });
      expect(stdout().replace(/\s+/g, ' ')).toContain(
        `main: last 24 h: 80 of the 200 entries read were quarantined since 2026-11-30 06:00Z (in 4 hours, the last 2026-11-30 09:00Z); the last run to read entries quarantined most for: field browserDetails is an object, expected a scalar${NESTED} (80). The queries, alerts and report do not see them; they are kept, not lost: see docs/operations.md, section "<instance>-Quarantine"`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
