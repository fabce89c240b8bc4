/** Which alerts the expected-activity list quiets: each key, their combinations, expiry, names. */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import {
  detectFailedLoginBursts,
  detectLockouts,
} from '../../../functions/core/alerts/detect-failed-logins.ts';
import { detectPasswordSprays } from '../../../functions/core/alerts/detect-password-spray.ts';
import { parseExpectedActivity } from '../../../functions/core/alerts/expected-activity.ts';
import { quietAlerts } from '../../../functions/core/alerts/quiet-alerts.ts';
import { alertOf, failedLogin, hourInput } from './support/alert-fixtures.ts';

const NOW = Date.parse('2026-12-05T12:00:00Z');
let n = 0;
/** An alert of one event: its address and `country` are the addresses a rule must hold. */
const alert = ({ country, ...fields }: Partial<Alert> & { country?: string }): Alert => {
  n += 1;
  const base = alertOf({
    id: String(n).padStart(32, '0'),
    kind: 'new_country',
    user_id: '11',
    ...fields,
  });
  return { addresses: [{ ip: base.ip_address, ...(country ? { country } : {}) }], ...base };
};
/** Whether the one rule quiets `a` now. */
const quiets = (rule: Record<string, unknown>, a: Alert, nowMs = NOW) =>
  quietAlerts([a], parseExpectedActivity([{ reason: 'expected', ...rule }]), nowMs).quietedBy.has(a.id);

describe('an expected-activity rule', () => {
  it('matches on the kind', () => {
    expect(quiets({ kind: 'new_country', user: '11' }, alert({ kind: 'new_country' }))).toBe(true);
    expect(
      quiets({ kind: ['unusual_hour', 'new_country'], user: '11' }, alert({ kind: 'new_country' })),
    ).toBe(true);
    expect(quiets({ kind: 'new_country', user: '11' }, alert({ kind: 'new_network' }))).toBe(false);
  });

  it('never matches a failure alert, whatever its keys hold (review R-MUTE4)', () => {
    // Parsed rules cannot name a failure kind; a rule without one still leaves failures alone.
    for (const kind of ['lockout', 'failed_login_burst', 'password_spray'] as const) {
      const failure = alert({ kind, user_id: '11', ip_address: '203.0.113.9', country: 'DE' });
      expect(quiets({ ip: '203.0.113.0/24' }, failure)).toBe(false);
      expect(quiets({ user: '11' }, failure)).toBe(false);
      expect(quiets({ user: '11', country: 'DE' }, failure)).toBe(false);
      expect(quiets({ user: '11' }, alert({ user_id: '11', ip_address: '203.0.113.9' }))).toBe(true);
    }
  });

  it('matches a user by the id only, never by a display name someone else may take', () => {
    expect(quiets({ user: '11' }, alert({ user_id: '11', user_name: 'Ada' }))).toBe(true);
    expect(quiets({ user: ' 11 ' }, alert({ user_id: '11', user_name: 'Ada' }))).toBe(true);
    // The alert's id as Domo wrote it, padded, is the same user's (review R-MUTE5 L9).
    expect(quiets({ user: '11' }, alert({ user_id: ' 11 ', user_name: 'Ada' }))).toBe(true);
    expect(quiets({ user: '11' }, alert({ user_id: '12', user_name: '11' }))).toBe(false);
    expect(quiets({ user: '1839254411' }, alert({ user_id: '0', user_name: '1839254411' }))).toBe(false);
  });

  it('matches the address within a network, IPv4 and IPv6, and not an alert without one', () => {
    expect(quiets({ ip: '203.0.113.0/24' }, alert({ ip_address: '203.0.113.200:443' }))).toBe(true);
    expect(quiets({ ip: '203.0.113.0/25' }, alert({ ip_address: '203.0.113.200' }))).toBe(false);
    expect(quiets({ ip: '2001:db8:1::/48' }, alert({ ip_address: '2001:db8:1:2::9' }))).toBe(true);
    expect(quiets({ ip: '2001:db8:1::/48' }, alert({ ip_address: '2001:db8:2::9' }))).toBe(false);
    expect(quiets({ ip: '203.0.113.0/24' }, alert({ ip_address: null }))).toBe(false);
    expect(quiets({ ip: '203.0.113.0/24' }, alert({ ip_address: 'unknown' }))).toBe(false);
  });

  it("does not let a forged first entry naming the quieted address hide the attacker's own", () => {
    expect(quiets({ ip: '8.8.8.8' }, alert({ ip_address: '8.8.8.8, 192.168.1.2' }))).toBe(true);
    expect(quiets({ ip: '8.8.8.8' }, alert({ ip_address: '8.8.8.8, 9.9.9.9' }))).toBe(false);
  });

  it('matches the country as the alerts show it, and not an alert that was not placed', () => {
    expect(quiets({ user: '11', country: 'de' }, alert({ country: 'DE' }))).toBe(true);
    expect(quiets({ user: '11', country: ['US', 'DE'] }, alert({ country: 'DE' }))).toBe(true);
    expect(quiets({ user: '11', country: 'DE' }, alert({ country: 'FR' }))).toBe(false);
    expect(quiets({ user: '11', country: 'DE' }, alert({}))).toBe(false);
  });

  it('matches only when every key it gives matches', () => {
    const rule = { kind: 'new_country', user: '7', country: 'JP' };
    expect(quiets(rule, alert({ kind: 'new_country', user_id: '7', country: 'JP' }))).toBe(true);
    expect(quiets(rule, alert({ kind: 'new_network', user_id: '7', country: 'JP' }))).toBe(false);
    expect(quiets(rule, alert({ kind: 'new_country', user_id: '8', country: 'JP' }))).toBe(false);
    expect(quiets(rule, alert({ kind: 'new_country', user_id: '7', country: 'KR' }))).toBe(false);
    const svc = { user: '42', ip: '3.0.0.0/9' };
    expect(quiets(svc, alert({ user_id: '42', ip_address: '3.5.1.1' }))).toBe(true);
    expect(quiets(svc, alert({ user_id: '42', ip_address: '4.5.1.1' }))).toBe(false);
  });

  it('applies up to and including its until, and is reported expired right after', () => {
    const until = '2026-12-05T12:00:00Z';
    const a = alert({ kind: 'unusual_hour' });
    expect(quiets({ kind: 'unusual_hour', user: '11', until }, a, NOW)).toBe(true);
    expect(quiets({ kind: 'unusual_hour', user: '11', until }, a, NOW + 1)).toBe(false);
    // A date is the whole UTC day.
    expect(
      quiets(
        { kind: 'unusual_hour', user: '11', until: '2026-12-05' },
        a,
        Date.parse('2026-12-05T23:59:59.999Z'),
      ),
    ).toBe(true);
    expect(
      quiets(
        { kind: 'unusual_hour', user: '11', until: '2026-12-05' },
        a,
        Date.parse('2026-12-06T00:00:00Z'),
      ),
    ).toBe(false);
    const rules = parseExpectedActivity([
      { name: 'trip', kind: 'unusual_hour', user: '11', reason: 'travel', until },
    ]);
    expect(quietAlerts([a], rules, NOW + 1)).toMatchObject({
      send: [a],
      byRule: [],
      expired: [{ rule: 1, name: 'trip', reason: 'travel', until }],
    });
    expect(quietAlerts([a], rules, NOW).expired).toEqual([]);
  });
});

describe('the expected-activity list', () => {
  it('counts each quieted alert once, under the first rule that matches, by kind, and sends the rest in order', () => {
    const rules = parseExpectedActivity([
      { name: 'vpn', ip: '203.0.113.0/24', reason: 'office VPN' },
      { kind: ['new_country', 'new_network'], user: '11', reason: 'travel' },
    ]);
    const both = alert({ kind: 'new_country', ip_address: '203.0.113.5' });
    const travel = alert({ kind: 'new_network', ip_address: '8.8.8.8' });
    const hour = alert({ kind: 'unusual_hour', ip_address: '203.0.113.9' });
    const other = alert({ kind: 'unusual_hour', ip_address: '8.8.8.8' });
    const lockout = alert({ kind: 'lockout', ip_address: '203.0.113.9' });
    const outcome = quietAlerts([both, other, travel, hour, lockout], rules, NOW);
    expect(outcome.send).toEqual([other, lockout]);
    expect(outcome.byRule).toEqual([
      { rule: 1, name: 'vpn', reason: 'office VPN', alerts: 2, kinds: { new_country: 1, unusual_hour: 1 } },
      { rule: 2, reason: 'travel', alerts: 1, kinds: { new_network: 1 } },
    ]);
    expect(outcome.quietedBy.get(both.id)?.rule).toBe(1);
  });

  it('quiets nothing when empty', () => {
    const a = alert({});
    expect(quietAlerts([a], [], NOW)).toMatchObject({ send: [a], byRule: [], expired: [] });
  });
});

/** Review R-MUTE H1, R-MUTE4: a failure alert is always sent; a sign-in alert's every address must be expected. */
describe('a rule against an alert of many events', () => {
  const H = Date.parse('2026-11-18T10:00:00Z');
  const VPN = parseExpectedActivity([{ name: 'office VPN', ip: '52.95.0.0/24', reason: 'VPN exits' }]);
  const sent = (alerts: readonly Alert[]) => quietAlerts(alerts, VPN, H).send.length;

  it('sends every burst, spray and lockout, even one whose every failure came from the VPN', () => {
    const vpnOnly = [1, 2, 3, 4, 5].map((i) => failedLogin(1, H + i * 1000, '52.95.110.1'));
    expect(sent(detectFailedLoginBursts(hourInput(H, vpnOnly)))).toBe(1);
    const spray = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((u) => failedLogin(u, H + u * 1000, '52.95.110.1'));
    expect(sent(detectPasswordSprays(hourInput(H, spray)))).toBe(1);
    const lockout = [{ ...failedLogin(1, H + 5000, '52.95.110.1'), category: 'lockout' as const }];
    expect(sent(detectLockouts(hourInput(H, lockout)))).toBe(1);
  });

  it('matches a country only when every event was placed there, and no cut list', () => {
    const de = alertOf({
      kind: 'new_country',
      user_id: '11',
      addresses: [
        { ip: '93.200.1.5', country: 'DE' },
        { ip: '6.6.6.6', country: 'US' },
      ],
    });
    const rule = parseExpectedActivity([{ user: '11', country: 'DE', reason: 'x' }]);
    expect(quietAlerts([de], rule, H).send).toHaveLength(1);
    const cut = alertOf({ kind: 'new_network', addresses: [{ ip: '52.95.0.1' }], addresses_partial: true });
    expect(quietAlerts([cut], VPN, H).send).toHaveLength(1);
    expect(
      quietAlerts([alertOf({ kind: 'new_network', addresses: [{ ip: '52.95.0.1' }] })], VPN, H).send,
    ).toHaveLength(0);
  });
});

/** Review R-MUTE H2: the geo data places a forwarded-for list by its left-most public entry, which the client writes. */
describe('a country rule against a forwarded-for list', () => {
  const jp = (ip: string) =>
    alertOf({ kind: 'new_country', user_id: '1839254411', addresses: [{ ip, country: 'JP' }] });
  const rule = parseExpectedActivity([
    { user: '1839254411', country: 'JP', kind: 'new_country', reason: 'Ann in Tokyo' },
  ]);
  const quieted = (a: Alert) => quietAlerts([a], rule, NOW).quietedBy.has(a.id);

  it('does not trust a place given by one of several public entries', () => {
    expect(quieted(jp('133.242.0.1, 6.6.6.6'))).toBe(false);
    expect(quieted(jp('133.242.0.1, 2a00:1450::1'))).toBe(false);
  });

  it('trusts the place of the one public entry, beside private hops', () => {
    expect(quieted(jp('133.242.0.1'))).toBe(true);
    expect(quieted(jp('10.0.0.7, 133.242.0.1:443'))).toBe(true);
    expect(quieted(jp('133.242.0.1, fd00::1'))).toBe(true);
  });
});
