import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { advanceCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { lastRunKey, readLastRun, recordRunFailedToStart } from '../../../functions/core/lake/last-run.ts';
import { checkpointKey, coverageKey, reportSentKey } from '../../../functions/core/lake/layout.ts';
import { encodeMarker } from '../../../functions/core/report/sent-marker.ts';
import { readInstanceStatus } from '../../../functions/core/status/instance-status.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// Monday 2026-11-30 10:20 UTC: week 2026-W48 ended this midnight.
const NOW = Date.UTC(2026, 10, 30, 10, 20);
const options = { nowMs: NOW, lagHours: 3, reportTimeZone: 'UTC' };

/** A lake ingested by the scheduled path up to `now`: 3 days of backfill, a few events an hour. */
async function ingestedLake(now: number) {
  const store = new MemoryObjectStore();
  const source = new MemoryAuditSource();
  for (let t = now - 4 * 24 * HOUR_MS; t < now; t += 20 * 60_000) source.add(viewEntry(t, t / 60_000));
  const deps = quietIngestDeps(source, store, now);
  const summary = await runIngest(deps, { ...defaultIngestConfig('main'), backfillDays: 3 }, {});
  await recordLastRun(store, summary, now);
  return { store, summary };
}

/** A lake filled by one explicit range (the scheduled path never ran): `[fromMs, toMs)`. */
async function rangeLake(fromMs: number, toMs: number, store = new MemoryObjectStore()) {
  const source = new MemoryAuditSource();
  for (let t = fromMs; t < toMs; t += 20 * 60_000) source.add(viewEntry(t, t / 60_000));
  const deps = quietIngestDeps(source, store, NOW);
  await runIngest(deps, defaultIngestConfig('main'), { range: { fromMs, toMs } });
  return store;
}

const sentMarker = (isoWeek: string) =>
  encodeMarker({
    state: 'sent',
    instance: 'main',
    isoWeek,
    attemptId: 'a',
    claimedAt: '2026-11-30T07:00:00.000Z',
    updatedAt: '2026-11-30T07:00:02.000Z',
    subject: 's',
    recipients: 3,
  });

describe('status of an instance', () => {
  it('reads the watermark, the lag, the last run, 7 days of coverage, and no report due when none ran', async () => {
    const { store, summary } = await ingestedLake(NOW);
    const status = await readInstanceStatus(store, 'main', options);
    // 10:00 is the last hour start that settled (15 min) and closed: every hour before it is in, 20 min behind.
    expect(status.watermarkMs).toBe(Date.UTC(2026, 10, 30, 10));
    expect(status.behindMs).toBe(20 * 60_000);
    expect(status.late).toBe(false);
    expect(status.lastRun).toMatchObject({
      run_id: summary.runId,
      outcome: 'ok',
      events_written: summary.eventsWritten,
      hours_done: summary.windowsDone,
    });
    expect(status.missingHours).toBe(0);
    expect(status.checkedHours).toBe(summary.windowsDone);
    expect(status.rangeOnly).toBeNull();
    // No sent-marker in the lake: no report function ever ran here, so no week is due (or overdue).
    expect(status.lastReport).toBeNull();
    expect(status.report).toBe('not-enabled');
    expect(status.nextReport).toBeNull();
  });

  it('counts hours missing below the watermark and is late past the lag threshold', async () => {
    const { store } = await ingestedLake(NOW);
    store.objects.delete(coverageKey('main', Date.UTC(2026, 10, 29, 5)));
    store.objects.delete(coverageKey('main', Date.UTC(2026, 10, 29, 6)));
    const later = await readInstanceStatus(store, 'main', { ...options, nowMs: NOW + 4 * HOUR_MS });
    expect(later.missingHours).toBe(2);
    expect(later.behindMs).toBe(4 * HOUR_MS + 20 * 60_000);
    expect(later.late).toBe(true);
  });

  it('names the last report sent, then the next week due', async () => {
    const { store } = await ingestedLake(NOW);
    await store.put(reportSentKey('main', '2026-W47'), sentMarker('2026-W47'));
    await store.put(reportSentKey('main', '2026-W48'), sentMarker('2026-W48'));
    const status = await readInstanceStatus(store, 'main', options);
    expect(status.lastReport).toEqual({
      isoWeek: '2026-W48',
      state: 'sent',
      updatedAt: '2026-11-30T07:00:02.000Z',
      recipients: 3,
    });
    expect(status.report).toBe('weekly');
    expect(status.nextReport).toEqual({
      isoWeek: '2026-W49',
      dueAfterMs: Date.UTC(2026, 11, 7),
      overdue: false,
    });
  });

  it('has the current week due after a sent report, all through a week with 169 hours', async () => {
    // 2026-W44 (Mon 26 Oct to Sun 1 Nov) in New York: clocks go back on its Sunday. W43 was mailed
    // on its Monday; every day of W44 the next report is W44's, due when it ends (Mon 2 Nov, EST).
    const store = new MemoryObjectStore();
    await store.put(reportSentKey('main', '2026-W43'), sentMarker('2026-W43'));
    const zone = { lagHours: 3, reportTimeZone: 'America/New_York' };
    for (let day = 0; day < 7; day++) {
      const nowMs = Date.parse('2026-10-26T12:00:00Z') + day * 24 * HOUR_MS;
      const status = await readInstanceStatus(store, 'main', { ...zone, nowMs });
      expect(status.nextReport).toEqual({
        isoWeek: '2026-W44',
        dueAfterMs: Date.parse('2026-11-02T05:00:00Z'),
        overdue: false,
      });
    }
  });

  it('has the last full week due while the report of the week before is the last sent', async () => {
    // Monday 10:20: last week's run may be late, or still to come in a later report zone.
    const { store } = await ingestedLake(NOW);
    await store.put(reportSentKey('main', '2026-W47'), sentMarker('2026-W47'));
    const status = await readInstanceStatus(store, 'main', options);
    expect(status.report).toBe('weekly');
    expect(status.nextReport).toEqual({
      isoWeek: '2026-W48',
      dueAfterMs: Date.UTC(2026, 10, 30),
      overdue: false,
    });
  });

  it('has no week due once a whole weekly run went by without a report (turned off, or failing)', async () => {
    const { store } = await ingestedLake(NOW);
    await store.put(reportSentKey('main', '2026-W46'), sentMarker('2026-W46'));
    const status = await readInstanceStatus(store, 'main', options);
    expect(status.lastReport?.isoWeek).toBe('2026-W46');
    expect(status).toMatchObject({ report: 'stopped', nextReport: null, late: false });
  });

  it('counts quarantined entries of hours above the watermark too', async () => {
    const { store } = await ingestedLake(NOW);
    const lastHour = Date.UTC(2026, 10, 30, 9);
    const key = coverageKey('main', lastHour);
    const manifest = JSON.parse(new TextDecoder().decode(store.objects.get(key)?.body));
    store.putNow(key, new TextEncoder().encode(JSON.stringify({ ...manifest, quarantined_count: 5 })));
    // The watermark moved back by hand (both fields agree): the hour is now above it.
    const checkpoint = JSON.parse(new TextDecoder().decode(store.objects.get(checkpointKey('main'))?.body));
    const back = Date.UTC(2026, 10, 30, 6);
    store.putNow(
      checkpointKey('main'),
      new TextEncoder().encode(
        JSON.stringify({ ...checkpoint, watermark_ms: back, watermark: new Date(back).toISOString() }),
      ),
    );
    const status = await readInstanceStatus(store, 'main', options);
    expect(status.watermarkMs).toBe(back);
    expect(status.quarantined).toBe(5);
    expect(status.missingHours).toBe(0);
  });

  it('says when the watermark is in the future, and the scheduled ingest then refuses to run', async () => {
    const { store } = await ingestedLake(NOW);
    const ahead = Date.UTC(2027, 0, 1);
    await advanceCheckpoint(store, 'main', {
      watermarkMs: ahead,
      runId: 'edited',
      codeVersion: 'x',
      now: NOW,
    });
    const status = await readInstanceStatus(store, 'main', options);
    expect(status).toMatchObject({ watermarkMs: ahead, behindMs: 0, late: false, ahead: true });
    // An hour ahead is a skewed clock's doing, not an edit.
    const skewed = await readInstanceStatus(store, 'main', { ...options, nowMs: ahead - HOUR_MS });
    expect(skewed.ahead).toBe(false);

    const source = new MemoryAuditSource([viewEntry(NOW - HOUR_MS)]);
    const deps = quietIngestDeps(source, store, NOW);
    await expect(runIngest(deps, defaultIngestConfig('main'), {})).rejects.toThrow(
      'the checkpoint state/instance=main/checkpoint.json says every hour before 2027-01-01T00:00:00.000Z ' +
        'is in the lake, but that is after now (2026-11-30T10:20:00.000Z)',
    );
    expect(source.queries).toEqual([]);
  });

  it('reads a lake filled by explicit ranges only as range-only, not late, with gaps in its ranges', async () => {
    const store = await rangeLake(Date.UTC(2026, 10, 20), Date.UTC(2026, 10, 28));
    store.objects.delete(coverageKey('main', Date.UTC(2026, 10, 27, 5)));
    const status = await readInstanceStatus(store, 'main', options);
    expect(status).toMatchObject({
      watermarkMs: null,
      behindMs: null,
      rangeOnly: { fromMs: Date.UTC(2026, 10, 20), toMs: Date.UTC(2026, 10, 28) },
      late: false,
      lastRun: null,
      // The last 7 days (from 11-23 10:00) up to the end of the range, one hour deleted.
      checkedHours: 4 * 24 + 14,
      missingHours: 1,
    });
  });

  it("leaves a manifest of an hour not begun out of a range-only lake's span", async () => {
    const store = await rangeLake(Date.UTC(2026, 10, 20), Date.UTC(2026, 10, 28));
    // A copy of a real manifest under an hour 16 days ahead: forged (verify names it).
    const real = store.objects.get(coverageKey('main', Date.UTC(2026, 10, 27, 5)));
    if (!real) throw new Error('the range lake has no manifest of 11-27 05:00');
    store.objects.set(coverageKey('main', Date.UTC(2026, 11, 16, 5)), real);
    const status = await readInstanceStatus(store, 'main', options);
    expect(status.rangeOnly).toMatchObject({ fromMs: Date.UTC(2026, 10, 20), toMs: Date.UTC(2026, 10, 28) });
    expect(status.missingHours).toBe(0);
  });

  it('stays late when a scheduled run ran and saved no hour, ranges or not', async () => {
    const store = await rangeLake(Date.UTC(2026, 10, 20), Date.UTC(2026, 10, 28));
    await recordRunFailedToStart(store, 'main', 'Domo is unavailable', NOW - HOUR_MS, 15);
    const status = await readInstanceStatus(store, 'main', options);
    expect(status).toMatchObject({ watermarkMs: null, rangeOnly: null, late: true });
  });

  it('stays late when the schedule stalled, whatever ranges were pulled since', async () => {
    const { store } = await ingestedLake(NOW - 2 * 24 * HOUR_MS);
    await rangeLake(Date.UTC(2026, 10, 29), Date.UTC(2026, 10, 30), store);
    const status = await readInstanceStatus(store, 'main', options);
    expect(status).toMatchObject({ rangeOnly: null, late: true, behindMs: 2 * 24 * HOUR_MS + 20 * 60_000 });
  });

  it('has no watermark (late) and no run before the first ingest', async () => {
    const status = await readInstanceStatus(new MemoryObjectStore(), 'main', options);
    expect(status).toMatchObject({
      watermarkMs: null,
      behindMs: null,
      late: true,
      rangeOnly: null,
      lastRun: null,
      missingHours: 0,
    });
  });

  it('records a failed run with its first failure, and ignores an unreadable record', async () => {
    const store = new MemoryObjectStore();
    const { summary } = await ingestedLake(NOW);
    const failed = {
      ...summary,
      windowsFailed: 1,
      failures: [{ windowStartMs: NOW - 2 * HOUR_MS, message: 'Domo is unavailable' }],
    };
    await recordLastRun(store, failed, NOW);
    expect(await readLastRun(store, 'main')).toMatchObject({
      outcome: 'failed',
      first_failure: 'Domo is unavailable',
    });
    // Not JSON: a record a newer version wrote (a version above 1) is kept instead (stored-newer-version).
    await store.put(lastRunKey('main'), new TextEncoder().encode('{"version":1,'));
    expect(await readLastRun(store, 'main')).toBeUndefined();
    // An unreadable record is replaced by the next run's, conditionally like every ingest write.
    await recordLastRun(store, summary, NOW + HOUR_MS);
    expect(await readLastRun(store, 'main')).toMatchObject({ finished_at_ms: NOW + HOUR_MS });
    expect(store.puts.at(-1)?.options.ifMatch).toBeDefined();
  });

  it('keeps the note of the run that finished later, whichever of two overlapping runs writes last', async () => {
    const { store, summary } = await ingestedLake(NOW);
    const later = { ...summary, runId: 'later-run' };
    await recordLastRun(store, later, NOW + 10 * 60_000);
    await recordLastRun(store, { ...summary, runId: 'earlier-run' }, NOW + 5 * 60_000);
    expect(await readLastRun(store, 'main')).toMatchObject({ run_id: 'later-run' });
  });
});
