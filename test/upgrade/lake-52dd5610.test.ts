/**
 * A lake an old version wrote, read and extended by this one: what an operator upgrading a
 * months-old deployment relies on (docs/upgrading.md: "the lake, its checkpoints, digest chain and
 * the alerts' state are read as older versions wrote them"). The fixture is 52dd5610's own output
 * (its CLI's `ingest` of its simulator: fixtures/lake-52dd5610.json says how), not a hand-made
 * copy: a checkpoint and last-run record without the fields added since, coverage manifests of
 * that version, and a digest chain of `digest@1` digests that name no runner and list no writes
 * ahead, and an alerts state whose one channel's outbox holds two alerts it may have sent (a
 * delivery that threw). Until this test no test read a lake an older version wrote as a whole.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runAlerts } from '../../functions/core/alerts/run-alerts.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { verifyWithIntegrity } from '../../functions/core/lake/verify-with-integrity.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { readInstanceStatus } from '../../functions/core/status/instance-status.ts';
import { HOUR_MS, MINUTE_MS } from '../../functions/core/time-units.ts';
import { RecordingChannel, settings } from '../core/alerts/support/alert-fixtures.ts';
import { MemoryAuditSource, type MemoryEntry } from '../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';
import { quietIngestDeps } from '../support/quiet-ingest-deps.ts';

interface Fixture {
  ingestedAt: string;
  entries: MemoryEntry[];
  objects: Record<string, { text: string } | { base64: string }>;
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/lake-52dd5610.json', import.meta.url), 'utf8'),
) as Fixture;

/** The old version's lake, byte for byte, on a memory store. */
function oldLake(): MemoryObjectStore {
  const store = new MemoryObjectStore();
  for (const [key, object] of Object.entries(fixture.objects)) {
    const body =
      'text' in object ? new TextEncoder().encode(object.text) : Buffer.from(object.base64, 'base64');
    store.putNow(key, new Uint8Array(body));
  }
  return store;
}

/** The digests of instance `main` in `store`. */
const digestCount = (store: MemoryObjectStore) =>
  [...store.objects.keys()].filter((key) => key.startsWith('digest/instance=main/')).length;

/** The old run's watermark: 2026-12-07 10:00 UTC, the hours before it pulled. */
const WATERMARK = Date.parse('2026-12-07T10:00:00Z');
/** The first scheduled run of the new version: the next hour is settled. */
const NOW = WATERMARK + HOUR_MS + 20 * MINUTE_MS;
const STATUS = { nowMs: NOW, lagHours: 3, reportTimeZone: 'UTC' };

describe('a lake written by 52dd5610', () => {
  it('reads as healthy: its checkpoint, last run and hours, with no problem named', async () => {
    const status = await readInstanceStatus(oldLake(), 'main', STATUS);
    expect(status).toMatchObject({
      watermarkMs: WATERMARK,
      checkpointProblem: null,
      checkpointNewer: false,
      lastRunProblem: null,
      failing: false,
      silent: false,
      ahead: false,
      missingHours: 0,
      unsealedHead: null,
    });
    expect(status.lastRun?.outcome).toBe('ok');
  });

  it('verifies, digest chain included, with no finding', async () => {
    const report = await verifyWithIntegrity(oldLake(), 'main', undefined, { nowMs: NOW });
    expect(report.ok).toBe(true);
    expect(report.duplicateIds).toBe(0);
    expect(report.integrity?.ok).toBe(true);
    expect(report.integrity?.problems).toEqual([]);
  });

  it('takes up where the old run stopped: the new hour pulled, nothing twice, the chain extended', async () => {
    const store = oldLake();
    const digestsBefore = digestCount(store);
    const summary = await runIngest(
      quietIngestDeps(new MemoryAuditSource([...fixture.entries]), store, NOW),
      defaultIngestConfig('main'),
    );
    expect(summary).toMatchObject({ outcome: 'complete', windowsFailed: 0, watermarkBeforeMs: WATERMARK });
    expect(summary.watermarkAfterMs).toBe(WATERMARK + HOUR_MS);
    // The new hour and the lookback's two, not the 23 the old run pulled; no later pull yet (its
    // hours are taken as done a day after the upgrade: docs/upgrading.md).
    expect(summary.windowsPlanned).toBe(3);
    expect(summary.laterPulls?.planned).toBe(0);

    const report = await verifyWithIntegrity(store, 'main', undefined, { nowMs: NOW });
    expect(report).toMatchObject({ ok: true, duplicateIds: 0, gaps: [] });
    expect(report.integrity?.problems).toEqual([]);
    expect(digestCount(store)).toBeGreaterThan(digestsBefore);
    // Every entry before the new watermark is in the lake once.
    const settled = fixture.entries.filter((e) => e.timeMs < WATERMARK + HOUR_MS).length;
    expect(report.events).toBe(settled);
  });

  it("sends the old alerts run's outbox once, as a possible repeat, and raises nothing again", async () => {
    const store = oldLake();
    const outbox = JSON.parse(
      (fixture.objects['alerts-state/instance=main/checkpoint.json'] as { text: string }).text,
    ).channels.test.outbox.map((alert: { id: string }) => alert.id);
    const run = async (runId: string) => {
      const channel = new RecordingChannel();
      const summary = await runAlerts(
        { store, clock: { now: () => NOW }, log: silentLog, channels: [channel] },
        { instance: 'main', settings: settings(), runId },
      );
      return { summary, channel };
    };
    const first = await run('new-1');
    expect(first.summary.raised).toEqual([]);
    expect(first.channel.delivered.map((alert) => alert.id).sort()).toEqual([...outbox].sort());
    expect(first.channel.messages[0]?.subject).toMatch(/^\[Possible repeat\] /);
    const second = await run('new-2');
    expect(second.channel.messages).toEqual([]);
  });
});
