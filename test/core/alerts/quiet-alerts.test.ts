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
  const base = alertOf({ id: String(n).padStart(32, '0'), ...fields });
  return { addresses: [{ ip: base.ip_address, ...(country ? { country } : {}) }], ...base };
};
/** Whether the one rule quiets `a` now. */
const quiets = (rule: Record<string, unknown>, a: Alert, nowMs = NOW) =>
  quietAlerts([a], parseExpectedActivity([{ reason: 'expected', ...rule }]), nowMs).quietedBy.has(a.id);

describe('an expected-activity rule', () => {
  it('matches on the kind', () => {
    expect(quiets({ kind: 'new_country' }, alert({ kind: 'new_country' }))).toBe(true);
    expect(quiets({ kind: ['unusual_hour', 'new_country'] }, alert({ kind: 'new_country' }))).toBe(true);
    expect(quiets({ kind: 'new_country' }, alert({ kind: 'lockout' }))).toBe(false);
  });

  it('matches a user with an id by the id only, never by a display name someone else may take', () => {
    expect(quiets({ user: 'u1' }, alert({ user_id: 'u1', user_name: 'Ada' }))).toBe(true);
    expect(quiets({ user: 'Ada' }, alert({ user_id: 'u1', user_name: 'Ada' }))).toBe(false);
    expect(quiets({ user: 'u1' }, alert({ user_id: 'u2', user_name: 'u1' }))).toBe(false);
  });

  it('matches failures without a user id by the name, its case and spaces as the alerts key them', () => {
    const named = alert({ user_id: null, user_name: 'Svc.Backup@Corp.com' });
    expect(quiets({ user: 'svc.backup@corp.com' }, named)).toBe(true);
    expect(quiets({ user: '  SVC.BACKUP@CORP.COM ' }, named)).toBe(true);
    expect(quiets({ user: 'svc.other@corp.com' }, named)).toBe(false);
    // An id of "0" names no user (detection.ts): the name is the key then.
    expect(quiets({ user: 'svc' }, alert({ user_id: '0', user_name: 'SVC' }))).toBe(true);
    // An id matches ids only, never a typed name equal to it (review R-MUTE L2).
    expect(quiets({ user: '1839254411' }, alert({ user_id: null, user_name: '1839254411' }))).toBe(false);
    expect(quiets({ user: '1839254411' }, alert({ user_id: '0', user_name: ' 1839254411 ' }))).toBe(false);
    expect(quiets({ user: '1839254411' }, alert({ user_id: '1839254411', user_name: 'Ann' }))).toBe(true);
    expect(
      quiets({ user: 'ALICE' }, alert({ user_id: null, user_name: 'a', user_names: ['a', 'alice'] })),
    ).toBe(true);
    // A spray is about many users: no user rule quiets it.
    expect(quiets({ user: 'x' }, alert({ kind: 'password_spray', user_id: null, user_name: null }))).toBe(
      false,
    );
  });

  it('matches the address within a network, IPv4 and IPv6, and not an alert without one', () => {
    expect(quiets({ ip: '203.0.113.0/24' }, alert({ ip_address: '203.0.113.200:443' }))).toBe(true);
    expect(quiets({ ip: '203.0.113.0/25' }, alert({ ip_address: '203.0.113.200' }))).toBe(false);
    expect(quiets({ ip: '2001:db8:1::/48' }, alert({ ip_address: '2001:db8:1:2::9' }))).toBe(true);
    expect(quiets({ ip: '2001:db8:1::/48' }, alert({ ip_address: '2001:db8:2::9' }))).toBe(false);
    expect(quiets({ ip: '0.0.0.0/8' }, alert({ ip_address: null }))).toBe(false);
    expect(quiets({ ip: '0.0.0.0/8' }, alert({ ip_address: 'unknown' }))).toBe(false);
  });

  it("does not let a forged first entry naming the quieted address hide the attacker's own", () => {
    expect(quiets({ ip: '8.8.8.8' }, alert({ ip_address: '8.8.8.8, 192.168.1.2' }))).toBe(true);
    expect(quiets({ ip: '8.8.8.8' }, alert({ ip_address: '8.8.8.8, 9.9.9.9' }))).toBe(false);
  });

  it('matches the country as the alerts show it, and not an alert that was not placed', () => {
    expect(quiets({ user: 'u1', country: 'de' }, alert({ country: 'DE' }))).toBe(true);
    expect(quiets({ user: 'u1', country: ['US', 'DE'] }, alert({ country: 'DE' }))).toBe(true);
    expect(quiets({ user: 'u1', country: 'DE' }, alert({ country: 'FR' }))).toBe(false);
    expect(quiets({ user: 'u1', country: 'DE' }, alert({}))).toBe(false);
  });

  it('matches only when every key it gives matches', () => {
    const rule = { kind: 'new_country', user: '7', country: 'JP' };
    expect(quiets(rule, alert({ kind: 'new_country', user_id: '7', country: 'JP' }))).toBe(true);
    expect(quiets(rule, alert({ kind: 'new_network', user_id: '7', country: 'JP' }))).toBe(false);
    expect(quiets(rule, alert({ kind: 'new_country', user_id: '8', country: 'JP' }))).toBe(false);
    expect(quiets(rule, alert({ kind: 'new_country', user_id: '7', country: 'KR' }))).toBe(false);
    const svc = { user: 'svc', ip: '3.0.0.0/9' };
    expect(quiets(svc, alert({ user_id: 'svc', ip_address: '3.5.1.1' }))).toBe(true);
    expect(quiets(svc, alert({ user_id: 'svc', ip_address: '4.5.1.1' }))).toBe(false);
  });

  it('applies up to and including its until, and is reported expired right after', () => {
    const until = '2026-12-05T12:00:00Z';
    const a = alert({ kind: 'lockout' });
    expect(quiets({ kind: 'lockout', until }, a, NOW)).toBe(true);
    expect(quiets({ kind: 'lockout', until }, a, NOW + 1)).toBe(false);
    // A date is the whole UTC day.
    expect(quiets({ kind: 'lockout', until: '2026-12-05' }, a, Date.parse('2026-12-05T23:59:59.999Z'))).toBe(
      true,
    );
    expect(quiets({ kind: 'lockout', until: '2026-12-05' }, a, Date.parse('2026-12-06T00:00:00Z'))).toBe(
      false,
    );
    const rules = parseExpectedActivity([{ name: 'trip', kind: 'lockout', reason: 'travel', until }]);
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
      { kind: ['new_country', 'new_network'], reason: 'travel' },
    ]);
    const both = alert({ kind: 'new_country', ip_address: '203.0.113.5' });
    const travel = alert({ kind: 'new_network', ip_address: '8.8.8.8' });
    const lockout = alert({ kind: 'lockout', ip_address: '203.0.113.9' });
    const other = alert({ kind: 'lockout', ip_address: '8.8.8.8' });
    const last = alert({ kind: 'unusual_hour', ip_address: '8.8.8.8' });
    const outcome = quietAlerts([both, other, travel, lockout, last], rules, NOW);
    expect(outcome.send).toEqual([other, last]);
    expect(outcome.byRule).toEqual([
      { rule: 1, name: 'vpn', reason: 'office VPN', alerts: 2, kinds: { new_country: 1, lockout: 1 } },
      { rule: 2, reason: 'travel', alerts: 1, kinds: { new_network: 1 } },
    ]);
    expect(outcome.quietedBy.get(both.id)?.rule).toBe(1);
  });

  it('quiets nothing when empty', () => {
    const a = alert({});
    expect(quietAlerts([a], [], NOW)).toMatchObject({ send: [a], byRule: [], expired: [] });
  });
});

/** Review R-MUTE H1: an alert counting events from many addresses is quieted only if all are expected. */
describe('a rule against an alert of many events', () => {
  const H = Date.parse('2026-11-18T10:00:00Z');
  const VPN = parseExpectedActivity([{ name: 'office VPN', ip: '52.95.0.0/16', reason: 'VPN exits' }]);
  const sent = (alerts: readonly Alert[]) => quietAlerts(alerts, VPN, H).send.length;

  it('sends a burst raised by a VPN failure when the others came from elsewhere', () => {
    const events = [1, 2, 3, 4].map((i) => failedLogin(1, H + i * 1000, '6.6.6.6'));
    events.push(failedLogin(1, H + 5000, '52.95.110.1'));
    const alerts = detectFailedLoginBursts(hourInput(H, events));
    expect(alerts).toHaveLength(1);
    expect(sent(alerts)).toBe(1);
    const vpnOnly = [1, 2, 3, 4, 5].map((i) => failedLogin(1, H + i * 1000, '52.95.110.1'));
    expect(sent(detectFailedLoginBursts(hourInput(H, vpnOnly)))).toBe(0);
  });

  it('sends a spray whose other failures wrote a forged VPN entry before their own address', () => {
    const events = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((u) =>
      failedLogin(u, H + u * 1000, '52.95.110.1, 6.6.6.6'),
    );
    events.push(failedLogin(10, H + 10_000, '52.95.110.1'));
    const alerts = detectPasswordSprays(hourInput(H, events));
    expect(alerts).toHaveLength(1);
    expect(sent(alerts)).toBe(1);
  });

  it('sends a lockout from the VPN after failures from elsewhere', () => {
    const events = [1, 2, 3].map((i) => failedLogin(1, H + i * 1000, '6.6.6.6'));
    events.push({ ...failedLogin(1, H + 5000, '52.95.110.1'), category: 'lockout' });
    expect(sent(detectLockouts(hourInput(H, events)))).toBe(1);
  });

  it('matches a country only when every event was placed there, and no cut list', () => {
    const de = alertOf({
      addresses: [
        { ip: '93.200.1.5', country: 'DE' },
        { ip: '6.6.6.6', country: 'US' },
      ],
    });
    const rule = parseExpectedActivity([{ user: 'u1', country: 'DE', reason: 'x' }]);
    expect(quietAlerts([de], rule, H).send).toHaveLength(1);
    const cut = alertOf({ addresses: [{ ip: '52.95.1.1' }], addresses_partial: true });
    expect(quietAlerts([cut], VPN, H).send).toHaveLength(1);
    expect(quietAlerts([alertOf({ addresses: [{ ip: '52.95.1.1' }] })], VPN, H).send).toHaveLength(0);
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
