import { describe, expect, it } from 'vitest';
import { loadGeoDatabase } from '../../../functions/adapters/geo-file-lookup.ts';
import { detectSuspiciousLogins } from '../../../functions/core/alerts/detect-suspicious-logins.ts';
import { GeoEnricher } from '../../../functions/core/geo/geo-enrichment.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { historyProfile, record, settings } from '../alerts/support/alert-fixtures.ts';

/**
 * A sender who writes junk before their real address (`X-Forwarded-For: x`, their proxy appends
 * the real one) is still placed, by that address, and so still judged by the place checks: an
 * unplaced sign-in would be judged by none. A user placed in GB for 20 days signs in from a
 * Russian network (5.255.255.77, Yandex in the shipped data).
 */
const enricher = new GeoEnricher(loadGeoDatabase().database);
const H = Date.parse('2026-12-04T14:00:00Z');
const MIN = 60_000;
const at = (ip: string) => ({ ip_address: ip, ...enricher.columns(ip) });
const past = Array.from({ length: 20 }, (_, i) =>
  record({ event_time_ms: H - i * DAY_MS - 50 * MIN, category: 'login', ...at('81.2.69.142') }),
);

describe('junk before the real address in a forwarded-for list', () => {
  it.each(['5.255.255.77', 'x, 5.255.255.77', 'unknown, 5.255.255.77', '010.1.1.1, 5.255.255.77'])(
    '%j is placed and raises the same place alerts as the bare address',
    (ip) => {
      expect(at(ip).ip_country).toBe('RU');
      const alerts = detectSuspiciousLogins({
        instance: 'acme',
        fromMs: H,
        toMs: H + HOUR_MS,
        events: [record({ event_time_ms: H + 10 * MIN, category: 'login', ...at(ip) })],
        before: [],
        profile: historyProfile(past, H, 'UTC'),
        settings: settings({ minHistoryLogins: 10 }),
      });
      expect(alerts.map((a) => a.kind).sort()).toEqual(['impossible_travel', 'new_country', 'new_network']);
    },
  );
});
