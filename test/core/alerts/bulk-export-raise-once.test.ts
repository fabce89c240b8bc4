/**
 * `bulk_export` across hourly alert runs: one pull raises once. Each run sees its period and the
 * hour before; the window of an export of that hour is cut at the view's start and may look like
 * a lull that never happened (review R2EXP, item 3). A raise recorded before the view holds until
 * the period shows a real lull; after one, a new pull is sent.
 */
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.ts';
import { detectBulkExports } from '../../../functions/core/alerts/detect-bulk-exports.ts';
import { alertEventOfLine, keptReadsOf } from '../../../functions/core/alerts/kept-events.ts';
import { addRaisedExport } from '../../../functions/core/alerts/raised-exports.ts';
import type { GoingOn, RaisedTimes } from '../../../functions/core/alerts/raised-times.ts';
import { HOUR_MS, MINUTE_MS } from '../../../functions/core/time-units.ts';
import { cardExports, hourInput, hourlyRaisingRuns } from './support/alert-fixtures.ts';

const DAY = Date.parse('2026-11-24T00:00:00Z');
const at = (hh: number, mm: number, ss = 0) => DAY + hh * HOUR_MS + mm * MINUTE_MS + ss * 1000;

/** `count` exports by user 42 at hh:mm, one card each (`from`, `from + 1`, ...), a second apart. */
const exportsAt = (hh: number, mm: number, count: number, from: number): AlertEvent[] =>
  cardExports((k) => at(hh, mm, k), count, from)
    .map((r, k) => ({ ...r, event_id: `x${hh}${mm}-${k}` }))
    .flatMap(
      (r, i) =>
        alertEventOfLine(JSON.stringify(r), 'x.ndjson.gz', i + 1, keptReadsOf({ exportBurst: 5 })) ?? [],
    );

/** The detector of bulk exports of n = 5, each hour. */
const detect = (fromMs: number, seen: AlertEvent[], raised: RaisedTimes, goingOn: GoingOn) =>
  detectBulkExports({ ...hourInput(fromMs, seen, { exportBurst: 5 }), raisedExports: raised, goingOn });
/** Hourly runs over `events` from `firstHour` to `lastHour` (periods [h, h + 1)): the times sent. */
const hourlyRuns = (events: readonly AlertEvent[], firstHour: number, lastHour: number): number[] =>
  hourlyRaisingRuns(events, at(firstHour, 0), lastHour - firstHour + 1, detect, addRaisedExport);

describe('bulk_export across runs', () => {
  it('raises one pull once though the view cuts its window: the lull at its start never happened', () => {
    // n = 5: 10:10 five cards (sent), 10:55 three, 11:40 three, 12:10 two. The window never falls
    // to 2 (11:40 holds 10:55's three; 12:10, 11:40's), but the 12:00 run sees from 11:00 only.
    const pull = [
      ...exportsAt(10, 10, 5, 1),
      ...exportsAt(10, 55, 3, 6),
      ...exportsAt(11, 40, 3, 9),
      ...exportsAt(12, 10, 2, 12),
    ];
    expect(hourlyRuns(pull, 10, 13)).toEqual([at(10, 10, 4)]);
  });

  it('raises once a pull raised in the hour before the period, whose window the view cuts', () => {
    // 10:58 four cards, 11:05 a fifth (sent by the 11:00 run), 11:10 one, 12:01 to 12:03 three: the
    // window never falls to 2, but from 11:00 on 11:10's holds two cards, and 12:03's five.
    const pull = [
      ...exportsAt(10, 58, 4, 1),
      ...exportsAt(11, 5, 1, 5),
      ...exportsAt(11, 10, 1, 6),
      ...exportsAt(12, 1, 1, 7),
      ...exportsAt(12, 2, 1, 8),
      ...exportsAt(12, 3, 1, 9),
    ];
    expect(hourlyRuns(pull, 10, 13)).toEqual([at(11, 5)]);
  });

  it('sends a new pull after a lull the period shows', () => {
    const twoPulls = [...exportsAt(10, 10, 5, 1), ...exportsAt(12, 5, 5, 20)];
    expect(hourlyRuns(twoPulls, 10, 13)).toEqual([at(10, 10, 4), at(12, 5, 4)]);
    // The lull within the period: one card at 12:02 (its window holds nothing else), then a pull
    // whose windows hold it: the fourth card of 12:40 makes five.
    const afterOne = [...exportsAt(10, 10, 5, 1), ...exportsAt(12, 2, 1, 30), ...exportsAt(12, 40, 5, 40)];
    expect(hourlyRuns(afterOne, 10, 13)).toEqual([at(10, 10, 4), at(12, 40, 3)]);
  });

  it('raises a pull going on for hours once, past the hours the checkpoint keeps a raise', () => {
    // 10:10 five cards (sent); then two cards at hh:05 and two at hh:35 until 16:35, so each
    // window holds 3 or 4 (never a lull, never 5), and at 17:20 three more make five. The record
    // of 10:10 is past the 5 hours kept by the 17:00 run: the pull was sent again there.
    const steady = [11, 12, 13, 14, 15, 16, 17].flatMap((hh) => [
      ...exportsAt(hh, 5, 2, 100 + 10 * hh),
      ...(hh < 17 ? exportsAt(hh, 35, 2, 105 + 10 * hh) : []),
    ]);
    const pull = [...exportsAt(10, 10, 5, 1), ...steady, ...exportsAt(17, 20, 3, 500)];
    expect(hourlyRuns(pull, 10, 18)).toEqual([at(10, 10, 4)]);
  });

  it('still sends a new pull after a lull, hours after one kept going on', () => {
    // The pull of 10:10 goes on until 14:35 (its record kept); nothing from 14:36 to 16:00, then
    // five cards at 16:10: a lull the period shows, a new pull.
    const steady = [11, 12, 13, 14].flatMap((hh) => [
      ...exportsAt(hh, 5, 2, 100 + 10 * hh),
      ...exportsAt(hh, 35, 2, 105 + 10 * hh),
    ]);
    const pulls = [...exportsAt(10, 10, 5, 1), ...steady, ...exportsAt(16, 10, 5, 500)];
    expect(hourlyRuns(pulls, 10, 17)).toEqual([at(10, 10, 4), at(16, 10, 4)]);
  });
});
