/**
 * Review R-ALERTS L6: a lockout's and a burst's evidence named only the addresses, though the
 * lake's records place them (country, network owner). Each placed address now shows where, the
 * alert carries the geo release that placed them, and the message gives the geo data's credit; an
 * address the geo data did not place is shown bare, and an alert without any carries no release.
 */
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.ts';
import {
  detectFailedLoginBursts,
  detectLockouts,
} from '../../../functions/core/alerts/detect-failed-logins.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { GEO_ATTRIBUTION } from '../../../functions/core/geo/country-names.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { textWords } from '../../support/text-part.ts';
import { alertEvent, hourInput } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-18T10:00:00Z');
const US = {
  ip_country: 'US',
  ip_asn: 7018,
  ip_org: 'AT&T Services',
  geo_db_version: 'dbip-lite@2026-10-01',
};
const DE = {
  ip_country: 'DE',
  ip_asn: 3320,
  ip_org: 'Deutsche Telekom AG',
  geo_db_version: 'dbip-lite@2026-11-01',
};
const NOWHERE = { ip_country: null, ip_asn: null, ip_org: null, geo_db_version: null };

const event = (
  i: number,
  ip: string,
  place: Pick<AlertEvent, 'ip_country' | 'ip_asn' | 'ip_org' | 'geo_db_version'>,
  category: AlertEvent['category'] = 'login_failed',
): AlertEvent =>
  alertEvent({
    event_id: `e${i}`,
    event_time_ms: H + i * 30_000,
    category,
    user_id: 'u1',
    user_name: 'Ada',
    ip_address: ip,
    ...place,
  });

const input = (events: AlertEvent[]) => hourInput(H, events);

const FAILURES = [
  event(0, '198.51.100.7', US),
  event(1, '203.0.113.9', DE),
  event(2, '10.0.0.5', NOWHERE),
  event(3, '198.51.100.7', US),
  event(4, '203.0.113.9', DE),
];

describe('the places of a lockout and a burst', () => {
  it("names each placed address's country and network owner in the burst's evidence", () => {
    const [burst] = detectFailedLoginBursts(input(FAILURES));
    expect(burst?.evidence).toBe(
      '5 failed logins within 10 minutes (10:00 to 10:02 UTC) from 3 IPs 198.51.100.7 (US, AS7018 AT&T Services), 203.0.113.9 (DE, AS3320 Deutsche Telekom AG), 10.0.0.5',
    );
    expect(burst?.geo_db_version).toBe('dbip-lite@2026-11-01');
  });

  it("and in the lockout's, with the geo data's credit in the message", () => {
    const [lockout] = detectLockouts(
      input([...FAILURES.slice(0, 3), event(5, '198.51.100.7', US, 'lockout')]),
    );
    expect(lockout?.evidence).toBe(
      'locked out after 3 failed logins in the hour before, from 3 IPs 198.51.100.7 (US, AS7018 AT&T Services), 203.0.113.9 (DE, AS3320 Deutsche Telekom AG), 10.0.0.5',
    );
    if (!lockout) throw new Error('a lockout alert');
    const message = renderAlertMessage([lockout], {
      instance: 'i',
      timeZone: 'UTC',
      nowMs: H + HOUR_MS,
      mailOlderThanHours: 24,
    });
    expect(textWords(message.text)).toContain(GEO_ATTRIBUTION);
  });

  it('shows an address the geo data did not place bare, and carries no release then', () => {
    const [burst] = detectFailedLoginBursts(input([0, 1, 2, 3, 4].map((i) => event(i, '10.0.0.5', NOWHERE))));
    expect(burst?.evidence).toBe('5 failed logins within 10 minutes (10:00 to 10:02 UTC) from IP 10.0.0.5');
    expect(burst?.geo_db_version).toBeUndefined();
  });
});
