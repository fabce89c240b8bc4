/**
 * A bulk export going on for hours, through hourly alerts runs over an in-memory lake: the
 * checkpoint keeps the pull's record while the runs see it going on, so it is sent once however
 * long it lasts. Until 2026-12-07 the record was forgotten `recheckHours` + 2 hours after the pull
 * was raised, and a later hour reaching the threshold again sent it a second time. And one run
 * evaluating several hours (a catch-up) reads what its earlier hours raised.
 */
import { describe, expect, it } from 'vitest';
import { readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS, MINUTE_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { cardExports, ingestedHour, RecordingChannel, settings } from './support/alert-fixtures.ts';

const H10 = Date.parse('2026-11-24T10:00:00Z');
const at = (hh: number, mm: number, ss = 0) => H10 + (hh - 10) * HOUR_MS + mm * MINUTE_MS + ss * 1000;

/** `count` exports by user 42 at hh:mm, one card each (`from`, `from + 1`, ...), a second apart. */
const exportsAt = (hh: number, mm: number, count: number, from: number): EventRecord[] =>
  cardExports((k) => at(hh, mm, k), count, from);

/**
 * 10:10 five cards (raised); then two cards at hh:05 and two at hh:35 until 16:35 (each window
 * holds 3 or 4: never a lull, never 5); at 17:20 three more make five.
 */
const PULL: EventRecord[] = [
  ...exportsAt(10, 10, 5, 1),
  ...[11, 12, 13, 14, 15, 16, 17].flatMap((hh) => [
    ...exportsAt(hh, 5, 2, 100 + 10 * hh),
    ...(hh < 17 ? exportsAt(hh, 35, 2, 105 + 10 * hh) : []),
  ]),
  ...exportsAt(17, 20, 3, 500),
];

describe('a bulk export going on for hours, run by run', () => {
  it('is sent once, its record kept while it goes on', async () => {
    const store = new MemoryObjectStore();
    const channel = new RecordingChannel();
    for (let hour = at(10, 0); hour <= at(17, 0); hour += HOUR_MS) {
      const now = hour + HOUR_MS + 5 * MINUTE_MS;
      const inHour = PULL.filter((e) => e.event_time_ms >= hour && e.event_time_ms < hour + HOUR_MS);
      await ingestedHour(store, hour, inHour, now);
      await runAlerts(
        { store, clock: { now: () => now }, log: silentLog, channels: [channel] },
        { instance: 'acme', settings: settings({ exportBurst: 5 }), runId: `run-${hour}` },
      );
    }
    const sent = channel.delivered.filter((a) => a.kind === 'bulk_export');
    expect(sent.map((a) => a.event_time)).toEqual(['2026-11-24 10:10:04.000']);
    // Kept as of the pull's last export the last run saw: 17:20:02.
    const stored = await readAlertCheckpoint(store, 'acme');
    expect(stored?.checkpoint.exports['id:42']).toContain(at(17, 20, 2));
  });

  it('is sent once by one run that evaluates its hours together', async () => {
    // 10:58 four cards, 11:05 a fifth (raised), 11:10 one, 12:01 to 12:03 three: the window never
    // falls to 2, but the view of hour 12 (from 11:00) first reaches five at 12:03. One run at
    // 13:05 evaluates 10:00 to 13:00: hour 12 read only the checkpoint's records, which did not
    // hold 11:05 yet, and sent the pull again at 12:03.
    const pull = [
      ...exportsAt(10, 58, 4, 1),
      ...exportsAt(11, 5, 1, 5),
      ...exportsAt(11, 10, 1, 6),
      ...[1, 2, 3].flatMap((mm) => exportsAt(12, mm, 1, 6 + mm)),
    ];
    const store = new MemoryObjectStore();
    const now = at(13, 5);
    for (let hour = at(10, 0); hour <= at(12, 0); hour += HOUR_MS)
      await ingestedHour(
        store,
        hour,
        pull.filter((e) => e.event_time_ms >= hour && e.event_time_ms < hour + HOUR_MS),
        now,
      );
    const channel = new RecordingChannel();
    await runAlerts(
      { store, clock: { now: () => now }, log: silentLog, channels: [channel] },
      { instance: 'acme', settings: settings({ exportBurst: 5 }), runId: 'catch-up', startMs: at(10, 0) },
    );
    const sent = channel.delivered.filter((a) => a.kind === 'bulk_export');
    expect(sent.map((a) => a.event_time)).toEqual(['2026-11-24 11:05:00.000']);
  });
});
