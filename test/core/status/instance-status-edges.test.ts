import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { advanceCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { checkpointKey, coverageKey, reportKey, reportSentKey } from '../../../functions/core/lake/layout.ts';
import { encodeMarker } from '../../../functions/core/report/sent-marker.ts';
import { readInstanceStatus } from '../../../functions/core/status/instance-status.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// Monday 2026-11-30 10:20 UTC: week 2026-W48 ended this midnight.
const NOW = Date.UTC(2026, 10, 30, 10, 20);
const options = { nowMs: NOW, lagHours: 3, reportTimeZone: 'UTC' };
const text = new TextEncoder();

/** A lake ingested by the scheduled path up to `now` (watermark 10:00): 3 days of backfill. */
async function ingestedLake(now: number, store = new MemoryObjectStore()) {
  const source = new MemoryAuditSource();
  for (let t = now - 4 * 24 * HOUR_MS; t < now; t += 20 * 60_000) source.add(viewEntry(t, t / 60_000));
  const deps = quietIngestDeps(source, store, now);
  const summary = await runIngest(deps, { ...defaultIngestConfig('main'), backfillDays: 3 }, {});
  await recordLastRun(store, summary, now);
  return store;
}

/** A lake filled by one explicit range only: `[fromMs, toMs)`. */
async function rangeLake(fromMs: number, toMs: number) {
  const store = new MemoryObjectStore();
  const source = new MemoryAuditSource();
  for (let t = fromMs; t < toMs; t += 20 * 60_000) source.add(viewEntry(t, t / 60_000));
  const deps = quietIngestDeps(source, store, NOW);
  await runIngest(deps, defaultIngestConfig('main'), { range: { fromMs, toMs } });
  return store;
}

const marker = (
  isoWeek: string,
  state: 'sent' | 'failed' | 'sending',
  updatedAt = '2026-11-30T07:00:02.000Z',
) =>
  encodeMarker({
    state,
    instance: 'main',
    isoWeek,
    attemptId: 'a',
    claimedAt: '2026-11-30T07:00:00.000Z',
    updatedAt,
    subject: 's',
    recipients: 3,
  });

/** Moves the watermark by hand (both fields agree), as an operator restoring a checkpoint would. */
function setWatermark(store: MemoryObjectStore, watermarkMs: number) {
  const checkpoint = JSON.parse(new TextDecoder().decode(store.objects.get(checkpointKey('main'))?.body));
  const body = { ...checkpoint, watermark_ms: watermarkMs, watermark: new Date(watermarkMs).toISOString() };
  store.putNow(checkpointKey('main'), text.encode(JSON.stringify(body)));
}

describe('status of an instance, at its edges', () => {
  it('reads the sent-marker, not the archived report beside it that sorts after it', async () => {
    const store = await ingestedLake(NOW);
    await store.put(reportSentKey('main', '2026-W47'), marker('2026-W47', 'sent'));
    // `2026-W47.txt` sorts after `2026-W47.sent.json`.
    for (const ext of ['eml', 'html', 'json', 'txt'] as const) {
      await store.put(reportKey('main', '2026-W47', ext), text.encode('archived report'));
    }
    const status = await readInstanceStatus(store, 'main', options);
    expect(status.lastReport).toMatchObject({ isoWeek: '2026-W47', state: 'sent' });
    expect(status.nextReport?.isoWeek).toBe('2026-W48');
  });

  it('keeps the last full week due while its report failed', async () => {
    const store = await ingestedLake(NOW);
    await store.put(reportSentKey('main', '2026-W48'), marker('2026-W48', 'failed'));
    const status = await readInstanceStatus(store, 'main', options);
    expect(status.lastReport).toMatchObject({ isoWeek: '2026-W48', state: 'failed' });
    expect(status).toMatchObject({
      report: 'weekly',
      nextReport: { isoWeek: '2026-W48', dueAfterMs: Date.UTC(2026, 10, 30) },
    });
  });

  it('still names a week whose report failed, or whose run stopped mid-send, once a later week was sent', async () => {
    const store = await ingestedLake(NOW);
    await store.put(
      reportSentKey('main', '2026-W45'),
      marker('2026-W45', 'failed', '2026-11-09T07:00:02.000Z'),
    );
    await store.put(
      reportSentKey('main', '2026-W46'),
      marker('2026-W46', 'sending', '2026-11-16T07:00:00.000Z'),
    );
    await store.put(reportSentKey('main', '2026-W47'), marker('2026-W47', 'sent'));
    // Claimed 20 minutes ago: its run may still be at it, so it is not named.
    await store.put(
      reportSentKey('main', '2026-W48'),
      marker('2026-W48', 'sending', '2026-11-30T10:00:00.000Z'),
    );
    const status = await readInstanceStatus(store, 'main', options);
    expect(status.lastReport).toMatchObject({ isoWeek: '2026-W48', state: 'sending' });
    expect(status.unsentReports).toEqual([
      { isoWeek: '2026-W45', state: 'failed', updatedAt: '2026-11-09T07:00:02.000Z' },
      { isoWeek: '2026-W46', state: 'sending', updatedAt: '2026-11-16T07:00:00.000Z' },
    ]);
  });

  it('keeps a lake with a corrupt checkpoint late, however many hours it covers', async () => {
    const store = await rangeLake(Date.UTC(2026, 10, 20), Date.UTC(2026, 10, 28));
    store.putNow(checkpointKey('main'), text.encode('{"not a checkpoint'));
    const status = await readInstanceStatus(store, 'main', options);
    expect(status.checkpointProblem).not.toBeNull();
    expect(status).toMatchObject({ watermarkMs: null, rangeOnly: null, late: true });
  });

  it('keeps a lake late whose first scheduled run died before its first checkpoint: not range-only', async () => {
    // Killed after storing hours, before the checkpoint's first write and before any run record:
    // only the digest it opened the chain with says a scheduled run began (review R-CRASH F1).
    const store = new MemoryObjectStore();
    store.beforePut = (key) => {
      if (key === checkpointKey('main')) throw new Error('killed before its first checkpoint');
    };
    const source = new MemoryAuditSource();
    for (let t = NOW - 4 * 24 * HOUR_MS; t < NOW; t += 20 * 60_000) source.add(viewEntry(t, t / 60_000));
    const deps = quietIngestDeps(source, store, NOW);
    await runIngest(deps, { ...defaultIngestConfig('main'), backfillDays: 3 }, {}).catch(() => undefined);
    store.beforePut = undefined;
    expect([...store.objects.keys()].some((key) => key.startsWith('coverage/'))).toBe(true);
    expect(store.objects.has(checkpointKey('main'))).toBe(false);
    const status = await readInstanceStatus(store, 'main', options);
    expect(status).toMatchObject({ watermarkMs: null, rangeOnly: null, late: true, lastRun: null });
  });

  it('keeps such a lake late after a range first and many range runs after the killed one', async () => {
    // A range, then the scheduled run killed before its first checkpoint, then 20 one-hour ranges:
    // the killed run's digest is neither the chain's first nor among its last 16 (review R-LOOKA F5).
    const store = await rangeLake(Date.UTC(2026, 10, 25), Date.UTC(2026, 10, 26));
    const source = new MemoryAuditSource();
    for (let t = NOW - 4 * 24 * HOUR_MS; t < NOW; t += 20 * 60_000) source.add(viewEntry(t, t / 60_000));
    store.beforePut = (key) => {
      if (key === checkpointKey('main')) throw new Error('killed before its first checkpoint');
    };
    const scheduled = quietIngestDeps(source, store, NOW);
    await runIngest(scheduled, { ...defaultIngestConfig('main'), backfillDays: 3 }, {}).catch(
      () => undefined,
    );
    store.beforePut = undefined;
    for (let hour = 0; hour < 20; hour++) {
      const fromMs = Date.UTC(2026, 10, 28) + hour * HOUR_MS;
      const deps = quietIngestDeps(source, store, NOW);
      await runIngest(deps, defaultIngestConfig('main'), { range: { fromMs, toMs: fromMs + HOUR_MS } });
    }
    const digests = [...store.objects.keys()].filter((key) => key.includes('digest'));
    expect(digests.length).toBeGreaterThan(40);
    expect(store.objects.has(checkpointKey('main'))).toBe(false);
    const status = await readInstanceStatus(store, 'main', options);
    expect(status).toMatchObject({ watermarkMs: null, rangeOnly: null, late: true });
  });

  it('still reads a lake filled by ranges only as range-only after many range runs', async () => {
    const store = await rangeLake(Date.UTC(2026, 10, 25), Date.UTC(2026, 10, 26));
    const source = new MemoryAuditSource();
    for (let t = NOW - 3 * 24 * HOUR_MS; t < NOW; t += 20 * 60_000) source.add(viewEntry(t, t / 60_000));
    for (let hour = 0; hour < 20; hour++) {
      const fromMs = Date.UTC(2026, 10, 28) + hour * HOUR_MS;
      await runIngest(quietIngestDeps(source, store, NOW), defaultIngestConfig('main'), {
        range: { fromMs, toMs: fromMs + HOUR_MS },
      });
    }
    const status = await readInstanceStatus(store, 'main', options);
    expect(status.rangeOnly).not.toBeNull();
    expect(status.late).toBe(false);
  });

  it('does not count the hour at the watermark as covered: it is not in yet', async () => {
    const store = await ingestedLake(NOW);
    // The watermark moved back over hours that are in the lake; one hour below it is missing.
    setWatermark(store, Date.UTC(2026, 10, 30, 6));
    store.objects.delete(coverageKey('main', Date.UTC(2026, 10, 30, 2)));
    const status = await readInstanceStatus(store, 'main', options);
    expect(status.missingHours).toBe(1);
  });

  it('checks hours up to now only when the watermark is ahead', async () => {
    const store = await ingestedLake(NOW);
    await advanceCheckpoint(store, 'main', {
      watermarkMs: Date.UTC(2027, 0, 1),
      runId: 'edited',
      codeVersion: 'x',
      now: NOW,
    });
    const status = await readInstanceStatus(store, 'main', options);
    expect(status.ahead).toBe(true);
    // The 3 days of backfill up to the 10:00 hour, none of the hours up to 2027.
    expect(status).toMatchObject({ missingHours: 0, checkedHours: 3 * 24 });
  });

  it('is late only past the lag threshold, not at it', async () => {
    const store = await ingestedLake(NOW);
    // Watermark 10:00: at 13:00 it is exactly 3 hours behind, one minute later over.
    const at = await readInstanceStatus(store, 'main', { ...options, nowMs: Date.UTC(2026, 10, 30, 13) });
    expect(at).toMatchObject({ behindMs: 3 * HOUR_MS, late: false });
    const past = await readInstanceStatus(store, 'main', {
      ...options,
      nowMs: Date.UTC(2026, 10, 30, 13, 1),
    });
    expect(past.late).toBe(true);
  });
});
