/**
 * The journey of an impossible_travel alert reads `US to DE: …` (a screen reader said "US greater
 * than DE" for `US to DE`). Alerts taken in before the change keep the old words, in the alerts
 * checkpoint and in the lake's archive, and a recheck compares their places with those the new
 * wording gives: both must name the same place.
 */
import { describe, expect, it } from 'vitest';
import type { Alert, AlertKind } from '../../../functions/core/alerts/alert.ts';
import { isMovedPlace, placeOf } from '../../../functions/core/alerts/raised-places.ts';

const HOUR = Date.parse('2026-11-20T08:00:00Z');

const alert = (id: string, kind: AlertKind, evidence: string, ms = HOUR): Alert => ({
  id,
  instance: 'default',
  kind,
  user_id: '101',
  user_name: 'alice',
  event_time: '2026-11-20 08:10:00.000',
  event_time_ms: ms,
  evidence,
  ip_address: '91.0.0.1',
  event_ids: [id],
});

const NEW = 'US to DE: 7861 km in 10 min; previous login 2026-11-20 08:00 UTC from 73.9.9.9';
const OLD = 'US -> DE: 7861 km in 30 min; previous login 2026-11-20 08:00 UTC from 73.9.9.9';

describe('a journey is a place in both wordings', () => {
  it('parses the wording of today and the one of alerts already archived', () => {
    expect(placeOf(alert('a', 'impossible_travel', NEW))).toBe('t US DE 101');
    expect(placeOf(alert('b', 'impossible_travel', OLD))).toBe('t US DE 101');
  });

  it('parses the new country of both wordings of its previous country', () => {
    expect(
      placeOf(
        alert('c', 'new_country', 'first login from DE in 12 days of history; previous: US (12 logins)'),
      ),
    ).toBe('c DE 101');
    expect(
      placeOf(alert('d', 'new_country', 'first login from DE in 12 days of history; previous: US ×12')),
    ).toBe('c DE 101');
  });

  it('takes a journey worded anew for the one taken in under the old words', () => {
    const recheck = {
      places: { held: placeOf(alert('held', 'impossible_travel', OLD)) ?? '' },
      recent: { held: HOUR },
      evaluated: new Map([[HOUR, 'hash']]),
      found: new Set<string>(),
    };
    expect(isMovedPlace(alert('late', 'impossible_travel', NEW), recheck)).toBe(true);
  });

  it('leaves evidence worded otherwise unplaced, so its alert is sent', () => {
    expect(placeOf(alert('e', 'impossible_travel', 'US towards DE: 7861 km'))).toBeUndefined();
  });
});
