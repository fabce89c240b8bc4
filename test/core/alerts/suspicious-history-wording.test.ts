/**
 * The wording of new-country evidence at its edges: the most frequent previous country when two
 * tie (the smaller code, so the text does not depend on the order sign-ins came in), and how much
 * history there was at the boundaries between "30 days", "N days of history" and "N hours of
 * history".
 */
import { describe, expect, it } from 'vitest';
import { detectSuspiciousLogins } from '../../../functions/core/alerts/detect-suspicious-logins.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { historyProfile, record, settings } from './support/alert-fixtures.ts';

const MIN = 60_000;
const H = Date.parse('2026-11-18T14:00:00Z');
const signIn = (ms: number, country: string, ip = '73.0.0.7'): EventRecord =>
  record({ event_time_ms: ms, category: 'login', ip_address: ip, ip_country: country, ip_asn: 7922 });

/** The new-country evidence for a DE sign-in at H + 5 min, judged against `history`. */
function newCountry(history: readonly EventRecord[]): string[] {
  return detectSuspiciousLogins({
    instance: 'acme',
    fromMs: H,
    toMs: H + HOUR_MS,
    // From another address than the history's: an address of the history is no new place.
    events: [signIn(H + 5 * MIN, 'DE', '93.200.1.2')],
    before: [],
    profile: historyProfile(history, H, 'UTC'),
    settings: settings({ minHistoryLogins: 2 }),
  })
    .filter((a) => a.kind === 'new_country')
    .map((a) => a.evidence);
}

/** Two sign-ins from each of `first` then `second`, the earliest in the hour `hoursBefore` H. */
const twoEach = (first: string, second: string, hoursBefore = 48): EventRecord[] =>
  [first, first, second, second].map((c, i) => signIn(H - hoursBefore * HOUR_MS + i * MIN, c));

describe('new-country evidence: the previous country on a tie', () => {
  it('names the smaller country code, whichever came first', () => {
    expect(newCountry(twoEach('US', 'CA'))).toEqual([
      'first login from DE in 2 days of history; previous: CA (2 logins)',
    ]);
    expect(newCountry(twoEach('CA', 'US'))).toEqual([
      'first login from DE in 2 days of history; previous: CA (2 logins)',
    ]);
  });
});

describe('new-country evidence: how much history, at the boundaries', () => {
  const span = (hoursBefore: number) => newCountry(twoEach('US', 'US', hoursBefore))[0];

  it('exactly 29 days is not yet the window (30 days); an hour more is', () => {
    expect(span(29 * 24)).toBe('first login from DE in 29 days of history; previous: US (4 logins)');
    expect(span(29 * 24 + 1)).toBe('first login from DE in 30 days; previous: US (4 logins)');
  });

  it('exactly 24 hours is 1 day; an hour less is 23 hours', () => {
    expect(span(24)).toBe('first login from DE in 1 day of history; previous: US (4 logins)');
    expect(span(23)).toBe('first login from DE in 23 hours of history; previous: US (4 logins)');
  });
});
