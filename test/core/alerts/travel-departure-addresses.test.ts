/**
 * An impossible journey is two sign-ins: an expected-activity `ip` or `country` must hold the
 * departure's address and country too, not only the arrival's (review R-MUTE2 B).
 */
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.ts';
import { detectSuspiciousLogins } from '../../../functions/core/alerts/detect-suspicious-logins.ts';
import { parseExpectedActivity } from '../../../functions/core/alerts/expected-activity.ts';
import { quietAlerts } from '../../../functions/core/alerts/quiet-alerts.ts';
import { alertEvent, hourInput } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-18T14:00:00Z');
const MIN = 60_000;
const login = (atMs: number, ip: string, country: string): AlertEvent =>
  alertEvent({
    event_id: `l${atMs}`,
    event_time_ms: atMs,
    category: 'login',
    user_id: '1430545263',
    user_name: 'Karin',
    ip_address: ip,
    ip_country: country,
  });

describe('impossible_travel against the expected-activity list', () => {
  const [travel] = detectSuspiciousLogins(
    hourInput(H, [login(H + MIN, '6.6.6.6', 'US'), login(H + 41 * MIN, '200.147.1.1', 'BR')]),
  ).filter((a) => a.kind === 'impossible_travel');
  const rule = (country: string[]) =>
    parseExpectedActivity([
      { user: '1430545263', country, kind: 'impossible_travel', reason: 'Karin in Sao Paulo' },
    ]);

  it('carries the departure address and country beside the arrival', () => {
    expect(travel?.addresses).toEqual([
      { ip: '200.147.1.1', country: 'BR' },
      { ip: '6.6.6.6', country: 'US' },
    ]);
  });

  it('is quieted only by a rule that covers both ends', () => {
    const alert = travel as NonNullable<typeof travel>;
    expect(quietAlerts([alert], rule(['BR']), H).send).toHaveLength(1);
    expect(quietAlerts([alert], rule(['BR', 'US']), H).quieted).toHaveLength(1);
    const vpn = parseExpectedActivity([
      { user: '1430545263', ip: '200.147.0.0/16', kind: 'impossible_travel', reason: 'office' },
    ]);
    expect(quietAlerts([alert], vpn, H).send).toHaveLength(1);
  });
});
