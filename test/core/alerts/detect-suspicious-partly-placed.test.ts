/**
 * Place findings on a lake the geo database placed only in part, as suspicious_logins.sql judges
 * them: a new country or network owner needs `minHistoryLogins` *placed* history sign-ins
 * (`place_users`), and a new owner needs at least one known owner (`owner_counts`).
 */
import { describe, expect, it } from 'vitest';
import { detectSuspiciousLogins } from '../../../functions/core/alerts/detect-suspicious-logins.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { historyProfile, record, settings } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-18T14:00:00Z');
const MIN = 60_000;
type Place = Pick<EventRecord, 'ip_address' | 'ip_country' | 'ip_asn' | 'ip_org'>;
const comcast: Place = { ip_address: '73.0.0.7', ip_country: 'US', ip_asn: 7922, ip_org: 'Comcast' };
const unplaced: Place = { ip_address: '10.0.0.7', ip_country: null, ip_asn: null, ip_org: null };
const orange: Place = { ip_address: '90.0.0.1', ip_country: 'FR', ip_asn: 3215, ip_org: 'Orange' };

/** u1's history sign-ins, one a day at 14:05 UTC (the hour judged: no unusual hour), by place. */
const history = (places: readonly Place[]): EventRecord[] =>
  places.map((place, i) =>
    record({ event_time_ms: H - (i + 1) * DAY_MS + 5 * MIN, category: 'login', ...place }),
  );

/** The kinds raised for one sign-in from `place` at H:10, judged against `past` (10 needed). */
function kinds(past: readonly EventRecord[], place: Place): string[] {
  return detectSuspiciousLogins({
    instance: 'acme',
    fromMs: H,
    toMs: H + HOUR_MS,
    events: [record({ event_time_ms: H + 10 * MIN, category: 'login', ...place })],
    before: [],
    profile: historyProfile(past, H, 'UTC'),
    settings: settings({ minHistoryLogins: 10 }),
  }).map((a) => a.kind);
}

describe('suspicious logins on a partly placed history', () => {
  it('2 placed of 20 history sign-ins are too few for a new country or network owner', () => {
    const past = history([comcast, comcast, ...Array<Place>(18).fill(unplaced)]);
    expect(kinds(past, { ...orange, ip_country: 'US' })).not.toContain('new_network');
    expect(kinds(past, orange)).toEqual([]);
    // With 10 placed, the same sign-in is both.
    const placed = history([...Array<Place>(10).fill(comcast), ...Array<Place>(10).fill(unplaced)]);
    expect(kinds(placed, orange)).toEqual(['new_country', 'new_network']);
  });

  it('placed history without any known network owner raises no new network owner', () => {
    const ownerless = history(Array<Place>(12).fill({ ...comcast, ip_asn: null, ip_org: null }));
    expect(kinds(ownerless, comcast)).toEqual([]);
    // From an address the history never used either: a known address would hide the owner check.
    expect(kinds(ownerless, { ...comcast, ip_address: '73.0.0.8' })).toEqual([]);
  });
});
