/**
 * `password_spray` across hourly alert runs: one spray raises once. Each run sees its period and
 * the hour before; the window of a failure early in that hour is cut at the view's start and may
 * look like a lull that never happened (review R2EXP, item 3, as for bulk exports). A spray
 * recorded before the view holds until the view shows a real lull; after one, a new spray is sent.
 */
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.ts';
import { detectPasswordSprays } from '../../../functions/core/alerts/detect-password-spray.ts';
import { addRaisedSpray } from '../../../functions/core/alerts/raised-sprays.ts';
import type { GoingOn, RaisedTimes } from '../../../functions/core/alerts/raised-times.ts';
import { HOUR_MS, MINUTE_MS } from '../../../functions/core/time-units.ts';
import { failedLogin, hourInput, hourlyRaisingRuns } from './support/alert-fixtures.ts';

const DAY = Date.parse('2026-11-18T00:00:00Z');
const at = (hh: number, mm: number, ss = 0) => DAY + hh * HOUR_MS + mm * MINUTE_MS + ss * 1000;
const IP = '198.51.100.7';
/** sprayUsers 10 within 30 minutes: half is 5. */
const SETTINGS = { sprayUsers: 10, burstMinutes: 30 };

/** The detector of password sprays of SETTINGS, each hour. */
const detect = (fromMs: number, seen: AlertEvent[], raised: RaisedTimes, goingOn: GoingOn) =>
  detectPasswordSprays({ ...hourInput(fromMs, seen, SETTINGS), raisedSprays: raised, goingOn });
/** Hourly runs over `events` from `firstHour` to `lastHour` (periods [h, h + 1)): the times sent. */
const hourlyRuns = (events: readonly AlertEvent[], firstHour: number, lastHour: number): number[] =>
  hourlyRaisingRuns(events, at(firstHour, 0), lastHour - firstHour + 1, detect, addRaisedSpray);

/** Users 1 to 10, one failure each 30 s from hh:mm (the tenth raises at 4 min 30 s). */
const ten = (hh: number, mm: number, first = 1) =>
  Array.from({ length: 10 }, (_, k) => failedLogin(first + k, at(hh, mm, k * 30), IP));

describe('a password spray across runs', () => {
  it('raises one spray once though the view cuts its window: the lull at its start never happened', () => {
    // Ten users at 10:10 (sent); then a failure every 5 minutes, users 1 to 7 in turn, so each
    // 30 minutes hold 6 users (never 5); at 12:05 four more users make 10. The 12:00 run sees
    // from 11:00, where the window holds 1 user.
    const onGoing = Array.from({ length: 23 }, (_, k) => failedLogin(1 + (k % 7), at(10, 15 + 5 * k), IP));
    const four = [11, 12, 13, 14].map((user, k) => failedLogin(user, at(12, 5, 10 * (k + 1)), IP));
    expect(hourlyRuns([...ten(10, 10), ...onGoing, ...four], 10, 13)).toEqual([at(10, 14, 30)]);
  });

  it('sends a new spray after a lull the view shows whole', () => {
    // The same ten users at 10:10 and at 12:20: the window of 12:20 holds nothing else.
    expect(hourlyRuns([...ten(10, 10), ...ten(12, 20)], 10, 13)).toEqual([at(10, 14, 30), at(12, 24, 30)]);
  });

  it('raises a spray going on for hours once, past the hours the checkpoint keeps a raise', () => {
    // Ten users at 10:10 (sent); then a failure every 5 minutes until 17:05, users 1 to 7 in turn
    // (each 30 minutes hold 6 users); at 17:05 four more make 10. The record of 10:14:30 is past
    // the 5 hours kept by the 17:00 run: the spray was sent again there.
    const onGoing = Array.from({ length: 83 }, (_, k) => failedLogin(1 + (k % 7), at(10, 15 + 5 * k), IP));
    const four = [11, 12, 13, 14].map((user, k) => failedLogin(user, at(17, 5, 10 * (k + 1)), IP));
    expect(hourlyRuns([...ten(10, 10), ...onGoing, ...four], 10, 18)).toEqual([at(10, 14, 30)]);
  });
});
