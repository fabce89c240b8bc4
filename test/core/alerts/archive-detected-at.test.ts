/**
 * An alert's archived `detected_at` and `run_id` say when and by which run it was first found (the
 * Glue table's comments say so, and the saved query sorts by `detected_at` first). They were those
 * of the run that wrote its archive object: for alerts left to archive by the next run (a backlog,
 * a run out of time) a later time and another run, so alerts found together interleaved by archive
 * chunk (review R-ALFIX2 L7). The checkpoint's archive list now carries both from the take-in; an
 * entry of a checkpoint written before falls back to the archiving run's.
 */
import { describe, expect, it } from 'vitest';
import type { AlertRecord } from '../../../functions/core/alerts/alert.ts';
import { readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import { alertsPrefix, alertsStateKey } from '../../../functions/core/lake/layout.ts';
import { type PutOptions, silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { RecordingChannel, settings } from './support/alert-fixtures.ts';
import { storeBacklog } from './support/archive-backlog.ts';
import { alertAt, INSTANCE } from './support/delivery-fixtures.ts';
import { hourlyAlert, ingestedUpTo, START } from './support/synthetic-run.ts';

const CHECKPOINT = alertsStateKey(INSTANCE, 'checkpoint.json');

/** A lake whose Lambda has little time left once the alerts are taken in (the checkpoint written). */
class ShortAfterTakeIn extends MemoryObjectStore {
  leftMs = 300_000;
  constructor(private readonly short = true) {
    super();
  }
  override async put(key: string, body: Uint8Array, options?: PutOptions): Promise<{ etag: string }> {
    const written = await super.put(key, body, options);
    // Under the 45 s the archive keeps for delivery, above delivery's own 30 s.
    if (this.short && key === CHECKPOINT) this.leftMs = 40_000;
    return written;
  }
}

const run = (store: ShortAfterTakeIn, nowMs: number) => {
  store.leftMs = 300_000;
  return runAlerts(
    {
      store,
      clock: { now: () => nowMs },
      log: silentLog,
      channels: [new RecordingChannel('sns')],
      detectors: [hourlyAlert],
      remainingTimeMs: () => store.leftMs,
    },
    { instance: INSTANCE, settings: settings(), runId: `run-${nowMs}`, startMs: START },
  );
};

function archived(store: MemoryObjectStore): AlertRecord[] {
  return [...store.objects]
    .filter(([key]) => key.startsWith(alertsPrefix(INSTANCE)))
    .map(([, object]) => JSON.parse(new TextDecoder().decode(object.body)) as AlertRecord);
}

describe("an alert's archived detected_at", () => {
  it('is when the run that took it in found it, though a later run writes its object', async () => {
    const store = new ShortAfterTakeIn();
    ingestedUpTo(store, START + 3 * HOUR_MS);
    const found = START + 3 * HOUR_MS + 20 * 60_000;
    const first = await run(store, found);
    expect(first.raised).toHaveLength(3);
    // Out of time to archive: the three wait in the checkpoint's archive list.
    expect(archived(store)).toEqual([]);
    expect((await readAlertCheckpoint(store, INSTANCE))?.checkpoint.archive).toHaveLength(3);

    const later = found + HOUR_MS;
    await run(store, later);
    const records = archived(store);
    expect(records).toHaveLength(3);
    for (const record of records) {
      expect(record.detected_at).toBe(new Date(found).toISOString());
      expect(record.run_id).toBe(`run-${found}`);
    }
  });

  it("is the archiving run's for an entry of a checkpoint written before it was kept", async () => {
    const store = new ShortAfterTakeIn(false);
    ingestedUpTo(store, START + HOUR_MS);
    const alert = alertAt('kept-before', START + 30 * 60_000);
    storeBacklog(store, [alert], START + HOUR_MS);
    const now = START + 2 * HOUR_MS;
    await run(store, now);
    const record = archived(store).find((r) => r.id === alert.id);
    expect([record?.detected_at, record?.run_id]).toEqual([new Date(now).toISOString(), `run-${now}`]);
  });
});
