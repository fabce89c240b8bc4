/**
 * A sign-in right after failed logins or a lockout of the same user: the attacker who guessed the
 * password got in. Until 2026-12-06 no kind said so: 30 failures then a sign-in from the same
 * address raised only the burst, 4 failures then a sign-in nothing at all (review R-ONCALL H1).
 */
import { describe, expect, it } from 'vitest';
import { type Alert, alertId } from '../../../functions/core/alerts/alert.ts';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.ts';
import { detectAlerts } from '../../../functions/core/alerts/detect-hour.ts';
import { detectLoginsAfterFailures } from '../../../functions/core/alerts/detect-login-after-failures.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { alertEvent, hourInput } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-02T19:00:00Z');
const MIN = 60_000;

const signIn = (atMs: number, ip: string, user = '113', fields: Partial<AlertEvent> = {}) =>
  alertEvent({
    event_id: `login-${user}-${atMs}`,
    event_time_ms: atMs,
    category: 'login',
    user_id: user,
    user_name: `user${user}@corp.com`,
    ip_address: ip,
    ...fields,
  });
const failure = (atMs: number, ip: string, user: string | null = '113', name = 'user113@corp.com') =>
  alertEvent({
    event_id: `fail-${user}-${atMs}-${ip}`,
    event_time_ms: atMs,
    category: 'login_failed',
    user_id: user,
    user_name: name,
    ip_address: ip,
  });
const failures = (n: number, fromMs: number, stepMs: number, ip: string, user = '113') =>
  Array.from({ length: n }, (_, i) => failure(fromMs + i * stepMs, ip, user));

const raised = (events: AlertEvent[], hour = H, overrides = {}): Alert[] =>
  detectLoginsAfterFailures(hourInput(hour, events, overrides));

describe('login_after_failures', () => {
  it("raises nora's sign-in after 30 failures from the same address, saying so", () => {
    const comcast = { ip_country: 'US', ip_asn: 7922, ip_org: 'Comcast', geo_db_version: 'geo-1' };
    const fails = failures(30, H, 6_000, '73.200.1.1').map((f) => ({ ...f, ...comcast }));
    const login = signIn(H + 4 * MIN, '73.200.1.1', '113', comcast);
    const [alert, ...more] = raised([...fails, login]);
    expect(more).toEqual([]);
    expect(alert).toMatchObject({
      kind: 'login_after_failures',
      user_id: '113',
      ip_address: '73.200.1.1',
      event_time_ms: login.event_time_ms,
      id: alertId('i', 'login_after_failures', [login.event_id]),
      geo_db_version: 'geo-1',
      evidence:
        'signed in after 30 failed logins in the hour before (19:00 to 19:02 UTC) from IP 73.200.1.1 (US, AS7922 Comcast); signed in from one of those IPs',
    });
    expect(alert?.event_ids).toEqual([...fails, login].map((e) => e.event_id));
  });

  it("raises oscar's sign-in after 4 failures (the default threshold), not after 3", () => {
    const login = signIn(H + 3 * MIN, '73.201.1.1', '114');
    expect(raised([...failures(4, H, 30_000, '73.201.1.1', '114'), login])).toHaveLength(1);
    expect(raised([...failures(3, H, 30_000, '73.201.1.1', '114'), login])).toEqual([]);
    expect(
      raised([...failures(3, H, 30_000, '73.201.1.1', '114'), login], H, { failuresBeforeLogin: 3 }),
    ).toHaveLength(1);
  });

  it('names the other address when the sign-in came from elsewhere', () => {
    const login = signIn(H + 10 * MIN, '3.64.5.5', '113', {
      ip_country: 'DE',
      ip_asn: 16509,
      ip_org: 'Amazon',
    });
    const [alert] = raised([...failures(5, H, MIN, '198.51.100.7'), login]);
    expect(alert?.evidence).toBe(
      'signed in after 5 failed logins in the hour before (19:00 to 19:04 UTC) from IP 198.51.100.7; signed in from another IP, IP 3.64.5.5 (DE, AS16509 Amazon)',
    );
  });

  it('credits the geo data only for places the evidence names (the message credits it then)', () => {
    const placed = { ip_country: 'DE', ip_asn: 16509, ip_org: 'Amazon', geo_db_version: 'geo-2' };
    const fails = failures(5, H, MIN, '198.51.100.7');
    // From the failures' own unplaced address: no place named, no credit.
    expect(raised([...fails, signIn(H + 10 * MIN, '198.51.100.7', '113', placed)])[0]).not.toHaveProperty(
      'geo_db_version',
    );
    expect(raised([...fails, signIn(H + 10 * MIN, '3.64.5.5', '113', placed)])[0]).toHaveProperty(
      'geo_db_version',
      'geo-2',
    );
  });

  it('counts failures of the hour before across the hour boundary: a slow guesser is seen', () => {
    // carol: a failure every 150 s for 3 hours, never a burst; the sign-in at 04:01 follows the
    // 23 of the hour before it.
    const start = H - 3 * HOUR_MS;
    const login = signIn(H + MIN, '3.64.2.2', '103');
    const [alert] = raised([...failures(72, start, 150_000, '3.64.2.2', '103'), login]);
    expect(alert?.evidence).toBe(
      'signed in after 23 failed logins in the hour before (18:02 to 18:57 UTC) from IP 3.64.2.2; signed in from one of those IPs',
    );
  });

  it('raises one alert an episode: the next sign-in without new failures raises none', () => {
    const fails = failures(6, H, MIN, '3.64.5.5');
    const first = signIn(H + 10 * MIN, '3.64.5.5');
    const again = signIn(H + 20 * MIN, '3.64.5.5');
    expect(raised([...fails, first, again]).map((a) => a.event_time_ms)).toEqual([first.event_time_ms]);
    // The first sign-in in the hour before this one already closed the episode.
    expect(raised([...fails, first, again], H + HOUR_MS)).toEqual([]);
  });

  it('raises none for the failures before an earlier sign-in from their IP, nor for those over an hour before', () => {
    const fails = failures(6, H, MIN, '3.64.5.5');
    expect(
      raised([
        ...fails,
        signIn(H + 6 * MIN + 1, '3.64.5.5', '113'),
        failure(H + 7 * MIN, '3.64.5.5'),
        signIn(H + 8 * MIN, '3.64.5.5'),
      ]).map((a) => a.event_time_ms),
    ).toEqual([H + 6 * MIN + 1]);
    expect(raised([...fails, signIn(H + HOUR_MS + 6 * MIN, '3.64.5.5')], H + HOUR_MS)).toEqual([]);
  });

  it("the user's own sign-in from elsewhere neither hides the attacker's nor takes its alert", () => {
    // R-ALERTS2 M1: the user signs in from home between the attacker's failures and sign-in.
    const home = signIn(H + 6 * MIN, '73.1.2.3');
    const attacker = signIn(H + 8 * MIN, '3.64.1.1');
    const phone = signIn(H + 7 * MIN, '73.1.2.3', '113', { event_id: 'phone' });
    const alerts = raised([...failures(5, H, MIN, '3.64.1.1'), home, phone, attacker]);
    // The home sign-in still raises (it may be the attacker's too), once: the phone's says nothing new.
    expect(alerts.map((a) => [a.event_time_ms, a.evidence.split('; ').at(-1)])).toEqual([
      [home.event_time_ms, 'signed in from another IP, IP 73.1.2.3'],
      [attacker.event_time_ms, 'signed in now from one of those IPs'],
    ]);
  });

  it('says a sign-in from a failing IP follows an alert for the same failures from elsewhere', () => {
    // R-ROUND3 M1: the user's mistypes on the laptop, the phone's sign-in, then the laptop's. The
    // attacker's failures, the user's sign-in from home, then the attacker's have the same shape.
    const events = [
      ...failures(4, H, MIN, '81.2.69.160'),
      signIn(H + 6 * MIN, '172.56.1.9'),
      signIn(H + 20 * MIN, '81.2.69.160'),
    ];
    expect(raised(events).map((a) => [a.event_time_ms, a.evidence.split('; ').slice(1).join('; ')])).toEqual([
      [H + 6 * MIN, 'signed in from another IP, IP 172.56.1.9'],
      [
        H + 20 * MIN,
        'the same failures were alerted at 19:06 with a sign-in from another IP; signed in now from one of those IPs',
      ],
    ]);
    const more = [
      ...events.slice(0, 5),
      ...failures(4, H + 10 * MIN, MIN, '81.2.69.160'),
      events[5] as AlertEvent,
    ];
    expect(raised(more)[1]?.evidence).toContain(
      '; 4 of them were alerted at 19:06 with a sign-in from another IP;',
    );
  });

  it('raises a sign-in from elsewhere again only after a threshold of failures not yet told', () => {
    // R-ROUND3 M2: the laptop retries a stale password once between the phone's sign-ins.
    const events = failures(4, H, MIN, '81.2.69.160');
    for (let i = 0; i < 5; i++) {
      events.push(
        signIn(H + (6 + 10 * i) * MIN, `172.56.1.${i}`),
        failure(H + (10 + 10 * i) * MIN, '81.2.69.160'),
      );
    }
    expect(raised(events).map((a) => a.event_time_ms)).toEqual([H + 6 * MIN, H + 46 * MIN]);
  });

  it("counts the failures before and after the user's own sign-in together", () => {
    const events = [
      ...failures(3, H, 3 * MIN, '3.64.1.1'),
      signIn(H + 8 * MIN, '73.1.2.3'),
      ...failures(3, H + 10 * MIN, 3 * MIN, '3.64.1.1'),
      signIn(H + 18 * MIN, '3.64.1.1'),
    ];
    const alerts = raised(events);
    expect(alerts.map((a) => a.event_time_ms)).toEqual([H + 18 * MIN]);
    expect(alerts[0]?.evidence).toMatch(
      /^signed in after 6 failed logins in the hour before \(19:00 to 19:16 UTC\)/,
    );
  });

  it('raises a sign-in after a lockout, whatever the failures', () => {
    const lockout = alertEvent({
      event_id: 'lock',
      event_time_ms: H + MIN,
      category: 'lockout',
      user_id: '113',
      user_name: 'user113@corp.com',
      ip_address: '',
    });
    const [alert] = raised([lockout, signIn(H + 40 * MIN, '73.1.2.3')]);
    expect(alert?.evidence).toBe(
      'signed in after a lockout in the hour before (19:01 UTC) from no recorded IP address; signed in from another IP, IP 73.1.2.3',
    );
  });

  it("counts failures without a user id under the name the user signs in with, not another user's", () => {
    const anonymous = Array.from({ length: 4 }, (_, i) =>
      failure(H + i * MIN, '3.64.5.5', null, ' USER113@corp.com'),
    );
    expect(raised([...anonymous, signIn(H + 10 * MIN, '3.64.5.5')])).toHaveLength(1);
    expect(raised([...anonymous, signIn(H + 10 * MIN, '3.64.5.5', '200')])).toEqual([]);
    expect(raised([...failures(4, H, MIN, '3.64.5.5', '200'), signIn(H + 10 * MIN, '3.64.5.5')])).toEqual([]);
  });

  it('counts failures with neither id nor name for no user, not for each sign-in without a name', () => {
    const nameless = Array.from({ length: 4 }, (_, i) => failure(H + i * MIN, '3.64.5.5', null, ''));
    const unnamed = [
      signIn(H + 10 * MIN, '3.64.5.5', '500', { user_name: null }),
      signIn(H + 11 * MIN, '3.64.5.5', '501', { user_name: '' }),
    ];
    expect(raised([...nameless, ...nameless.map((f) => ({ ...f, user_name: null })), ...unnamed])).toEqual(
      [],
    );
  });

  it('gives the seconds of failures within one minute', () => {
    const [alert] = raised([...failures(4, H, 10_000, '3.64.5.5'), signIn(H + MIN, '3.64.5.5')]);
    expect(alert?.evidence).toMatch(
      /^signed in after 4 failed logins in the hour before \(19:00:00 to 19:00:30 UTC\)/,
    );
  });

  it('is one of the detectors of a run', () => {
    const events = [...failures(4, H, MIN, '3.64.5.5'), signIn(H + 10 * MIN, '3.64.5.5')];
    expect(detectAlerts(hourInput(H, events)).map((a) => a.kind)).toContain('login_after_failures');
  });
});
