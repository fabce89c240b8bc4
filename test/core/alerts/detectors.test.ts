import { describe, expect, it } from 'vitest';
import { alertId } from '../../../functions/core/alerts/alert.ts';
import { detectAlerts } from '../../../functions/core/alerts/detect-hour.ts';
import type { DetectionInput } from '../../../functions/core/alerts/detection.ts';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { record, settings } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-18T14:00:00Z');
const MIN = 60_000;

function input(
  events: EventRecord[],
  before: EventRecord[] = [],
  profile = new LoginProfile('acme', 'UTC'),
): DetectionInput {
  return { instance: 'acme', fromMs: H, toMs: H + HOUR_MS, events, before, profile, settings: settings() };
}

const failure = (ms: number, fields: Partial<EventRecord> = {}) =>
  record({ event_time_ms: ms, category: 'login_failed', ...fields });

describe('lockout alerts', () => {
  it('one per lockout event, with the failures of the hour before as evidence', () => {
    const before = [failure(H - 20 * MIN, { ip_address: '203.0.113.9' })];
    const events = [
      failure(H + 2 * MIN, { ip_address: '198.51.100.4' }),
      record({ event_time_ms: H + 3 * MIN, category: 'lockout' }),
    ];
    const alerts = detectAlerts(input(events, before)).filter((a) => a.kind === 'lockout');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      instance: 'acme',
      user_id: 'u1',
      user_name: 'User One',
      event_time: '2026-11-18 14:03:00.000',
      evidence: 'locked out after 2 failed logins in the hour before, from 2 IPs 203.0.113.9, 198.51.100.4',
      event_ids: [events[1]?.event_id],
      id: alertId('acme', 'lockout', [events[1]?.event_id as string]),
    });
  });

  it('a lockout of the hour before belongs to that hour, not this one', () => {
    const before = [record({ event_time_ms: H - MIN, category: 'lockout' })];
    expect(detectAlerts(input([], before))).toEqual([]);
  });
});

describe('failed-login bursts (5 in 10 minutes by default)', () => {
  it('4 failures are no burst; the 5th within 10 minutes raises one alert carrying all five', () => {
    const four = [0, 1, 2, 3].map((i) => failure(H + i * MIN));
    expect(detectAlerts(input(four))).toEqual([]);
    const fifth = failure(H + 9 * MIN + 59_000);
    const alerts = detectAlerts(input([...four, fifth]));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: 'failed_login_burst',
      event_time_ms: fifth.event_time_ms,
      event_ids: [...four, fifth].map((e) => e.event_id),
      evidence: '5 failed logins within 10 minutes (14:00 to 14:09 UTC) from IP 10.0.0.5',
    });
  });

  it('failures spread wider than the window are no burst', () => {
    const spread = [0, 3, 6, 9, 12].map((i) => failure(H + i * MIN));
    expect(detectAlerts(input(spread))).toEqual([]);
  });

  it('a long attack raises one alert; a new burst after a pause raises another', () => {
    const attack = Array.from({ length: 30 }, (_, i) => failure(H + i * 20_000));
    const again = Array.from({ length: 5 }, (_, i) => failure(H + 40 * MIN + i * 10_000));
    const alerts = detectAlerts(input([...attack, ...again]));
    expect(alerts.map((a) => a.event_time_ms)).toEqual([H + 4 * 20_000, H + 40 * MIN + 40_000]);
  });

  it('a burst across the hour boundary is raised once, by the hour it completes in', () => {
    const early = [failure(H - 3 * MIN), failure(H - 2 * MIN), failure(H - MIN)];
    const late = [failure(H + MIN), failure(H + 2 * MIN), failure(H + 3 * MIN)];
    const alerts = detectAlerts(input(late, early));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.event_time_ms).toBe(H + 2 * MIN);
    // Evaluated as the hour before, the same failures raise nothing (the burst is not complete there).
    const previousHour = { ...input(early), fromMs: H - HOUR_MS, toMs: H };
    expect(detectAlerts(previousHour)).toEqual([]);
  });

  it('counts per user; failures without a user id are grouped by name', () => {
    const mixed = [0, 1, 2, 3, 4].map((i) => failure(H + i * MIN, { user_id: i % 2 ? 'u2' : 'u1' }));
    expect(detectAlerts(input(mixed))).toEqual([]);
    const nameless = [0, 1, 2, 3, 4].map((i) => failure(H + i * MIN, { user_id: null, user_name: 'ghost' }));
    expect(detectAlerts(input(nameless))).toMatchObject([
      { kind: 'failed_login_burst', user_id: null, user_name: 'ghost' },
    ]);
  });
});

describe('suspicious logins (the weekly report definitions)', () => {
  /**
   * A profile where u1 signed in 12 times at 09:xx UTC from Comcast (US) in the last 30 days: on
   * each of the 11 days before H, and `firstDay` days before it (by default the day before those:
   * 11 days and 5 hours of history).
   */
  function history(firstDay = 11): LoginProfile {
    const profile = new LoginProfile('acme', 'UTC');
    for (let hour = H - 30 * DAY_MS; hour < H; hour += HOUR_MS) {
      const day = Math.floor((H - hour) / DAY_MS);
      const atNine = new Date(hour).getUTCHours() === 9 && (day < 11 || day === firstDay);
      const signIn = {
        event_id: `h${hour}`,
        user_id: 'u1',
        event_time_ms: hour + 5 * MIN,
        ip_address: '73.0.0.7',
        ip_country: 'US',
        ip_asn: 7922,
      };
      profile.fold(hour, atNine ? [signIn] : []);
    }
    return profile;
  }
  const comcast = { ip_country: 'US', ip_asn: 7922, ip_org: 'Comcast Cable Communications, LLC' };
  const login = (ms: number, ip: string, place: Partial<EventRecord> = comcast) =>
    record({ event_time_ms: ms, category: 'login', ip_address: ip, ...place });

  it('a login at 14:xx from a known network is an unusual hour, with the query evidence', () => {
    const alerts = detectAlerts(input([login(H + 7 * MIN, '10.0.0.9')], [], history()));
    expect(alerts).toMatchObject([
      {
        kind: 'unusual_hour',
        evidence: 'login at 14:07 UTC; 0 of 12 logins in 11 days of history were in the hours 12:00 to 16:59',
      },
    ]);
  });

  it('the first login from a new network owner is one alert; the second from it in the period is not', () => {
    const att = { ip_country: 'US', ip_asn: 7018, ip_org: 'AT&T Enterprises, LLC' };
    const input1 = input(
      [
        login(H + MIN, '107.192.5.1', att),
        login(H + 2 * MIN, '107.193.5.2', att),
        login(H + 3 * MIN, '73.9.9.9'),
      ],
      [],
      history(),
    );
    const alerts = detectAlerts({ ...input1, settings: settings({ minHistoryLogins: 12 }) });
    expect(alerts.filter((a) => a.kind !== 'unusual_hour')).toMatchObject([
      {
        kind: 'new_network',
        evidence:
          'first login from network owner AS7018 (AT&T Enterprises, LLC) in 11 days of history; 1 owner known; network 107.192.5.0/24',
      },
    ]);
  });

  it('place evidence says how much history there was: the window once it reaches its first day', () => {
    const telekom = { ip_country: 'DE', ip_asn: 3320, ip_org: 'Deutsche Telekom AG' };
    const evidence = (profile: LoginProfile) =>
      detectAlerts({ ...input([login(H + MIN, '91.0.0.1', telekom)], [], profile), settings: settings() })
        .filter((a) => a.kind === 'new_country' || a.kind === 'new_network')
        .map((a) => a.evidence);
    // First sign-in 29 days and 5 hours before: within the window's first day.
    expect(evidence(history(29))).toEqual([
      'first login from DE in 30 days; previous: US (12 logins)',
      'first login from network owner AS3320 (Deutsche Telekom AG) in 30 days; 1 owner known; network 91.0.0.0/24',
    ]);
    // 28 days and 5 hours: the second day of the window.
    expect(evidence(history(28))[0]).toBe(
      'first login from DE in 28 days of history; previous: US (12 logins)',
    );
    // A lake's first hours: 10 sign-ins in the 5 hours before H.
    const young = new LoginProfile('acme', 'UTC');
    for (let hour = H - 5 * HOUR_MS; hour < H; hour += HOUR_MS) {
      young.fold(
        hour,
        [0, 1].map((i) => ({
          event_id: `y${hour}-${i}`,
          user_id: 'u1',
          event_time_ms: hour + (10 + i) * MIN,
          ip_address: '73.0.0.7',
          ip_country: 'US',
          ip_asn: 7922,
        })),
      );
    }
    expect(evidence(young)).toEqual([
      'first login from DE in 5 hours of history; previous: US (10 logins)',
      'first login from network owner AS3320 (Deutsche Telekom AG) in 5 hours of history; 1 owner known; network 91.0.0.0/24',
    ]);
  });

  it('unusual-hour evidence says how much history there was, from the first sign-in placed or not', () => {
    const unusual = (profile: LoginProfile) =>
      detectAlerts(input([login(H + 7 * MIN, '73.0.0.7')], [], profile))
        .filter((a) => a.kind === 'unusual_hour')
        .map((a) => a.evidence);
    const said = (history: string) =>
      `login at 14:07 UTC; 0 of 12 logins in ${history} were in the hours 12:00 to 16:59`;
    // First sign-in 29 days and 5 hours before: within the window's first day.
    expect(unusual(history(29))).toEqual([said('the previous 30 days')]);
    expect(unusual(history(28))).toEqual([said('28 days of history')]);
    // A sign-in the geo database did not place, 20 days before: the unusual hour counts it (its
    // history starts there), the place findings do not (theirs starts 11 days before).
    const profile = history();
    const day20 = H - 20 * DAY_MS - 5 * HOUR_MS; // 09:00, 20 days and 5 hours before H
    profile.fold(day20, [
      {
        event_id: 'unplaced',
        user_id: 'u1',
        event_time_ms: day20 + MIN,
        ip_address: '73.0.0.7',
        ip_country: null,
        ip_asn: null,
      },
    ]);
    const telekom = { ip_country: 'DE', ip_asn: 3320, ip_org: 'Deutsche Telekom AG' };
    const alerts = detectAlerts({
      ...input([login(H + 7 * MIN, '91.0.0.1', telekom)], [], profile),
      settings: settings({ minHistoryLogins: 12 }),
    });
    expect(alerts.filter((a) => a.kind !== 'impossible_travel').map((a) => a.evidence)).toEqual([
      'first login from DE in 11 days of history; previous: US (12 logins)',
      'first login from network owner AS3320 (Deutsche Telekom AG) in 11 days of history; 1 owner known; network 91.0.0.0/24',
      'login at 14:07 UTC; 0 of 13 logins in 20 days of history were in the hours 12:00 to 16:59',
    ]);
  });

  it('a new country, and a journey faster than the speed setting, with the query evidence', () => {
    const telekom = { ip_country: 'DE', ip_asn: 3320, ip_org: 'Deutsche Telekom AG' };
    const events = [login(H + MIN, '73.0.0.8'), login(H + 41 * MIN, '91.0.0.1', telekom)];
    const alerts = detectAlerts({
      ...input(events, [], history()),
      settings: settings({ minHistoryLogins: 12 }),
    });
    expect(alerts.map((a) => [a.kind, a.evidence])).toEqual([
      [
        'unusual_hour',
        'login at 14:01 UTC; 0 of 12 logins in 11 days of history were in the hours 12:00 to 16:59',
      ],
      [
        'impossible_travel',
        expect.stringMatching(
          /^US to DE: \d+ km in 40 min; previous login \d{4}-\d\d-\d\d 14:01 UTC from 73\.0\.0\.8$/,
        ),
      ],
      ['new_country', 'first login from DE in 11 days of history; previous: US (12 logins)'],
      [
        'new_network',
        'first login from network owner AS3320 (Deutsche Telekom AG) in 11 days of history; 1 owner known; network 91.0.0.0/24',
      ],
      [
        'unusual_hour',
        'login at 14:41 UTC; 0 of 12 logins in 11 days of history were in the hours 12:00 to 16:59',
      ],
    ]);
    // The journey starts from the history's last place when the period has none before it.
    const alone = detectAlerts({
      ...input([login(H + MIN, '91.0.0.1', telekom)], [], history()),
      settings: settings({ maxSpeedKmh: 100_000 }),
    });
    expect(alone.map((a) => a.kind)).not.toContain('impossible_travel');
    const fast = detectAlerts({
      ...input([login(H - 4 * HOUR_MS + MIN, '91.0.0.1', telekom)], [], history()),
      fromMs: H - 4 * HOUR_MS,
      toMs: H - 3 * HOUR_MS,
    });
    expect(fast.map((a) => a.kind)).toContain('impossible_travel');
  });

  it("names a journey's previous sign-in on the clock of the alerts' time zone, its date included", () => {
    const telekom = { ip_country: 'DE', ip_asn: 3320, ip_org: 'Deutsche Telekom AG' };
    const events = [login(H + MIN, '73.0.0.8'), login(H + 41 * MIN, '91.0.0.1', telekom)];
    const journey = (timeZone: string) =>
      detectAlerts({ ...input(events, [], history()), settings: settings({ timeZone }) }).find(
        (a) => a.kind === 'impossible_travel',
      )?.evidence;
    expect(journey('UTC')).toMatch(/; previous login 2026-11-18 14:01 UTC from 73\.0\.0\.8$/);
    expect(journey('Europe/Berlin')).toMatch(
      /; previous login 2026-11-18 15:01 \+01:00 Europe\/Berlin from 73\.0\.0\.8$/,
    );
    // 13 hours ahead: the next day.
    expect(journey('Pacific/Auckland')).toMatch(
      /; previous login 2026-11-19 03:01 \+13:00 Pacific\/Auckland from 73\.0\.0\.8$/,
    );
  });

  it('too little placed history: no new country, no new network owner; unplaced sign-ins are never a place finding', () => {
    const telekom = { ip_country: 'DE', ip_asn: 3320, ip_org: 'Deutsche Telekom AG' };
    const few = detectAlerts({
      ...input([login(H + MIN, '91.0.0.1', telekom)], [], history()),
      settings: settings({ minHistoryLogins: 13 }),
    });
    expect(few.map((a) => a.kind)).toEqual(['impossible_travel']);
    const unplaced = { ip_country: null, ip_asn: null, ip_org: null };
    expect(
      detectAlerts(input([login(H + MIN, '10.1.1.1', unplaced)], [], history())).map((a) => a.kind),
    ).toEqual(['unusual_hour']);
  });

  it('no history, no suspicion; logins within 2 hours of the usual ones are fine', () => {
    expect(detectAlerts(input([login(H + MIN, '172.16.5.1')]))).toEqual([]);
    const profile = history();
    const usual = {
      ...input([login(H - 3 * HOUR_MS + MIN, '10.0.0.1')], [], profile),
      fromMs: H - 3 * HOUR_MS,
      toMs: H - 2 * HOUR_MS,
    };
    expect(detectAlerts(usual)).toEqual([]);
  });
});
