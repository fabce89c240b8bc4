/**
 * A sign-in from where a password spray came in the hour before: the sprayed account that got in.
 * Until 2026-12-06 nothing linked them: a user failing once from the spray's address and signing
 * in from it two minutes later raised only a new network owner, and nothing at all where that
 * owner was known (review R-ANALYST M2). A shared office address whose mistypes make a spray must
 * not raise every colleague's sign-in.
 */
import { describe, expect, it } from 'vitest';
import { alertId } from '../../../functions/core/alerts/alert.ts';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.ts';
import { detectAlerts } from '../../../functions/core/alerts/detect-hour.ts';
import { detectLoginsAfterSprays } from '../../../functions/core/alerts/detect-login-after-spray.ts';
import { DAY_MS } from '../../../functions/core/time-units.ts';
import { alertEvent, failedLogin, hourInput } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-27T02:00:00Z');
const MIN = 60_000;
const SPRAYER = '52.198.89.28';
const amazon = { ip_country: 'JP', ip_asn: 16509, ip_org: 'Amazon', geo_db_version: 'geo-1' };

const signIn = (atMs: number, ip: string, user: number, fields: Partial<AlertEvent> = {}) =>
  alertEvent({
    event_id: `login-${user}-${atMs}`,
    event_time_ms: atMs,
    category: 'login',
    user_id: `id${user}`,
    user_name: `user${user}`,
    ip_address: ip,
    ...fields,
  });

/** `users` users failing once each from `ip`, from `fromMs`, one every 20 s. */
const spray = (users: number, fromMs: number, ip = SPRAYER, fields: Partial<AlertEvent> = {}) =>
  Array.from({ length: users }, (_, i) => ({ ...failedLogin(i + 1, fromMs + i * 20_000, ip), ...fields }));

/** The detector's input for the hour from `H`, with `known` (user, address) pairs in the history. */
function input(events: AlertEvent[], known: [number, string][] = []) {
  const hour = hourInput(H, events);
  hour.profile.fold(
    H - DAY_MS,
    known.map(([user, ip], i) => ({
      event_id: `history-${i}`,
      user_id: `id${user}`,
      event_time_ms: H - DAY_MS + i,
      ip_address: ip,
      ip_country: 'US',
      ip_asn: 7018,
    })),
  );
  return hour;
}

describe('login_after_spray', () => {
  it('raises a sprayed user signing in from the spraying address, saying so', () => {
    const fails = spray(16, H - 20 * MIN, SPRAYER, amazon);
    const login = signIn(H - 20 * MIN + 17 * MIN, SPRAYER, 3, amazon);
    // The sign-in is in the hour before the period: the run of that hour raises it.
    expect(detectLoginsAfterSprays(input([...fails, login]))).toEqual([]);
    const late = signIn(H + 2 * MIN, SPRAYER, 3, amazon);
    const [alert, ...more] = detectLoginsAfterSprays(input([...fails, late]));
    expect(more).toEqual([]);
    expect(alert).toMatchObject({
      id: alertId('i', 'login_after_spray', [late.event_id]),
      kind: 'login_after_spray',
      user_id: 'id3',
      ip_address: SPRAYER,
      geo_db_version: 'geo-1',
      evidence: `signed in from IP ${SPRAYER} (JP, AS16509 Amazon) after that IP failed for 16 users (16 failures) in the hour before (01:40 to 01:45 UTC), a password spray; 1 of those failures was this user's`,
    });
    expect(alert?.event_ids).toEqual([...fails, late].map((e) => e.event_id));
  });

  it('raises an account that got in with no failure of its own', () => {
    const [alert] = detectLoginsAfterSprays(input([...spray(10, H - 5 * MIN), signIn(H + MIN, SPRAYER, 99)]));
    expect(alert?.evidence).toMatch(
      /after that IP failed for 10 users \(10 failures\) in the hour before \(01:55 to 01:58 UTC\), a password spray$/,
    );
  });

  it('raises nothing under the spray threshold, more than an hour after, or from elsewhere', () => {
    expect(detectLoginsAfterSprays(input([...spray(9, H - 5 * MIN), signIn(H + MIN, SPRAYER, 99)]))).toEqual(
      [],
    );
    // The spray's last failure 61 minutes before the sign-in.
    const old = spray(10, H - 64 * MIN);
    expect(detectLoginsAfterSprays(input([...old, signIn(H - 3 * MIN + 61 * MIN, SPRAYER, 99)]))).toEqual([]);
    expect(
      detectLoginsAfterSprays(input([...spray(10, H - 5 * MIN), signIn(H + MIN, '73.1.2.3', 99)])),
    ).toEqual([]);
  });

  it("does not flood on an office's shared address: only a colleague new to it raises", () => {
    const office = '80.150.1.2';
    // A busy morning: ten people mistype at the office within a few minutes, a spray the alerts send.
    const mistypes = spray(10, H - 10 * MIN, office);
    const colleagues = Array.from({ length: 30 }, (_, i) => signIn(H + i * MIN, office, 100 + i));
    const newcomer = signIn(H + 40 * MIN, office, 500);
    const known = colleagues.map((_, i): [number, string] => [100 + i, office]);
    const alerts = detectLoginsAfterSprays(input([...mistypes, ...colleagues, newcomer], known));
    expect(alerts.map((a) => a.user_id)).toEqual(['id500']);
  });

  it("raises a spray from a network owner's many addresses, unless the address is the user's own", () => {
    const aws = { ip_country: 'US', ip_asn: 14618, ip_org: 'Amazon' };
    const fails = Array.from({ length: 30 }, (_, i) => ({
      ...failedLogin(i + 1, H - 20 * MIN + i * 10_000, `52.1.${i}.7`),
      ...aws,
    }));
    const attacker = signIn(H + 5 * MIN, '52.1.200.9', 7, aws);
    const vpn = signIn(H + 6 * MIN, '52.1.201.9', 8, aws);
    const alerts = detectLoginsAfterSprays(input([...fails, attacker, vpn], [[8, '52.1.201.9']]));
    expect(alerts.map((a) => a.user_id)).toEqual(['id7']);
    expect(alerts[0]?.evidence).toMatch(
      /^signed in from IP 52\.1\.200\.9 \(US, AS14618 Amazon\) after network owner AS14618 failed for 30 users \(30 failures\) in the hour before \(01:40 to 01:44 UTC\), a password spray; 1 of those failures was this user's$/,
    );
  });

  it('is one of the detectors a run applies', () => {
    const kinds = detectAlerts(input([...spray(10, H - 5 * MIN), signIn(H + MIN, SPRAYER, 99)])).map(
      (a) => a.kind,
    );
    expect(kinds).toContain('login_after_spray');
  });
});

describe('login_after_spray from a network or owner the user signs in from', () => {
  const carrier = { ip_country: 'US', ip_asn: 21928, ip_org: 'T-Mobile', geo_db_version: 'geo-1' };
  /** The history of `user`: one placed sign-in from `ip` of owner `asn`, a day before `H`. */
  function withHistory(events: AlertEvent[], known: [number, string, number][]) {
    const hour = hourInput(H, events);
    hour.profile.fold(
      H - DAY_MS,
      known.map(([user, ip, asn], i) => ({
        event_id: `history-${i}`,
        user_id: `id${user}`,
        event_time_ms: H - DAY_MS + i,
        ip_address: ip,
        ip_country: 'US',
        ip_asn: asn,
      })),
    );
    return hour;
  }

  it("raises no colleague behind the carrier's CGNAT, only a user new to that owner", () => {
    // Thirty people on the carrier mistype within eight minutes: an owner's spray.
    const mistypes = Array.from({ length: 30 }, (_, i) => ({
      ...failedLogin(i + 1, H - 10 * MIN + i * 15_000, `172.56.${i}.9`),
      ...carrier,
    }));
    // Each colleague's sign-in comes from a carrier address new to them, as CGNAT hands them out.
    const colleagues = Array.from({ length: 40 }, (_, i) =>
      signIn(H + i * MIN, `172.58.${i}.4`, 100 + i, carrier),
    );
    const known = colleagues.map((_, i): [number, string, number] => [100 + i, `172.59.${i}.3`, 21928]);
    const stranger = signIn(H + 41 * MIN, '172.58.99.4', 500, carrier);
    const alerts = detectLoginsAfterSprays(withHistory([...mistypes, ...colleagues, stranger], known));
    expect(alerts.map((a) => a.user_id)).toEqual(['id500']);
  });

  it("raises no sign-in from a network of the user's, only from the spraying address itself", () => {
    const net = { ip_country: 'US', ip_asn: 7018, ip_org: 'AT&T' };
    const fails = Array.from({ length: 30 }, (_, i) => ({
      ...failedLogin(i + 1, H - 5 * MIN + i * 5_000, `80.150.1.${i + 10}`),
      ...net,
    }));
    const fromNetwork = signIn(H + MIN, '80.150.1.200', 7, net);
    const known: [number, string, number][] = [[7, '80.150.1.2', 7018]];
    expect(detectLoginsAfterSprays(withHistory([...fails, fromNetwork], known))).toEqual([]);
    // Ten users from one address of that network: a spray of the address, new to the user.
    const fromSprayer = signIn(H + MIN, '80.150.1.10', 7, net);
    const sprayer = fails.map((f) => ({ ...f, ip_address: '80.150.1.10' }));
    const [alert] = detectLoginsAfterSprays(withHistory([...sprayer, fromSprayer], known));
    expect(alert?.evidence).toMatch(/after that IP failed for 30 users/);
  });
});

describe('login_after_spray from an IPv6 network the user signs in from (F-SPRAYV6)', () => {
  /** The history of `user`: one placed sign-in from each of `ips`, a day before `H`. */
  function withHistory(events: AlertEvent[], user: number, ips: string[]) {
    const hour = hourInput(H, events);
    hour.profile.fold(
      H - DAY_MS,
      ips.map((ip, i) => ({
        event_id: `history-${i}`,
        user_id: `id${user}`,
        event_time_ms: H - DAY_MS + i,
        ip_address: ip,
        ip_country: 'DE',
        ip_asn: 3320,
      })),
    );
    return hour;
  }
  // Thirty users from thirty /64s of one /48 within three minutes, with no owner: a network's spray.
  const fails = Array.from({ length: 30 }, (_, i) =>
    failedLogin(i + 1, H - 5 * MIN + i * 5_000, `2a00:1450:4002:${i + 1}::5`),
  );

  it("raises no sign-in from the user's own /48, however their address there was written", () => {
    const login = signIn(H + MIN, '2a00:1450:4002:98::5', 7);
    for (const known of [
      '2a00:1450:4002:99::5',
      '2A00:1450:4002:0099:0:0:0:5',
      '[2a00:1450:4002:99::5]:443',
    ]) {
      expect(detectLoginsAfterSprays(withHistory([...fails, login], 7, [known])), known).toEqual([]);
    }
    // Behind a proxy whose first entry has no key: the spray's network is the keyed entry's.
    const proxied = signIn(H + MIN, 'fe80::1, 2a00:1450:4002:98::5', 7);
    expect(detectLoginsAfterSprays(withHistory([...fails, proxied], 7, ['2a00:1450:4002:99::5']))).toEqual(
      [],
    );
  });

  it('raises a user whose IPv6 addresses are of other /48s, or whose IPv4 /24 is not the spray', () => {
    const login = signIn(H + MIN, '2a00:1450:4002:98::5', 7);
    const known = ['2a00:1450:4003:98::5', '2a00:1451:4002:98::5', '80.150.1.2'];
    const [alert, ...more] = detectLoginsAfterSprays(withHistory([...fails, login], 7, known));
    expect(more).toEqual([]);
    expect(alert?.evidence).toMatch(/ after network 2a00:1450:4002::\/48 failed for 30 users /);
  });

  it('keeps an IPv4-mapped address an IPv4 address: its /24 is the one known', () => {
    const v4 = Array.from({ length: 30 }, (_, i) =>
      failedLogin(i + 1, H - 5 * MIN + i * 5_000, `80.150.1.${i + 10}`),
    );
    const fromMapped = signIn(H + MIN, '::ffff:80.150.1.200', 7);
    expect(detectLoginsAfterSprays(withHistory([...v4, fromMapped], 7, ['80.150.1.2']))).toEqual([]);
    const fromPlain = signIn(H + MIN, '80.150.1.200', 7);
    expect(detectLoginsAfterSprays(withHistory([...v4, fromPlain], 7, ['::ffff:80.150.1.2']))).toEqual([]);
    // A mapped address is no IPv6 /48 of the user's: an IPv6 spray still raises.
    const v6 = signIn(H + MIN, '2a00:1450:4002:98::5', 7);
    expect(detectLoginsAfterSprays(withHistory([...fails, v6], 7, ['::ffff:80.150.1.2']))).toHaveLength(1);
  });
});

describe('login_after_spray for an account the spray took before its threshold', () => {
  it('raises the fourth of fifteen users tried from one address getting in', () => {
    const fails = spray(15, H + 5 * MIN).filter((f) => f.user_id !== 'id4');
    const taken = signIn(H + 5 * MIN + 3 * 20_000, SPRAYER, 4);
    const [alert, ...more] = detectLoginsAfterSprays(input([...fails, taken]));
    expect(more).toEqual([]);
    expect(alert?.evidence).toBe(
      `signed in from IP ${SPRAYER} while that IP failed for 14 users (14 failures) around it (02:05 to 02:09 UTC; 11 after it), a password spray`,
    );
    expect(alert?.event_ids.indexOf(taken.event_id)).toBe(3);
  });

  it('counts the failure at the instant of the sign-in', () => {
    const fails = Array.from({ length: 10 }, (_, i) => failedLogin(i + 1, H + 5 * MIN + i * 1000, SPRAYER));
    const alerts = detectLoginsAfterSprays(input([...fails, signIn(H + 5 * MIN + 9000, SPRAYER, 99)]));
    expect(alerts).toHaveLength(1);
  });

  it('raises no sign-in a window or more before the spray', () => {
    const fails = spray(15, H + 20 * MIN);
    expect(detectLoginsAfterSprays(input([...fails, signIn(H + 10 * MIN, SPRAYER, 99)]))).toEqual([]);
  });
});

describe("login_after_spray folds a user's sign-ins of the hour from one address", () => {
  it('raises a newcomer signing in from browser, phone and app once, naming the others', () => {
    const fails = spray(10, H - 5 * MIN);
    const logins = [1, 12, 40].map((m) => signIn(H + m * MIN, SPRAYER, 7));
    const elsewhere = signIn(H + 20 * MIN, '52.198.89.0', 7);
    const alerts = detectLoginsAfterSprays(input([...fails, ...logins, elsewhere]));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.id).toBe(alertId('i', 'login_after_spray', [logins[0]?.event_id as string]));
    expect(alerts[0]?.evidence).toMatch(/'s; 2 more sign-ins of the user from there by 02:40$/);
    expect(alerts[0]?.event_ids.slice(-3)).toEqual(logins.map((l) => l.event_id));
    // Another user from the same address is their own finding.
    expect(
      detectLoginsAfterSprays(input([...fails, ...logins, signIn(H + 2 * MIN, SPRAYER, 8)])),
    ).toHaveLength(2);
  });
});

describe('login_after_spray past a level of the user', () => {
  it("raises a slow spray of the address itself where its network, the user's, sprayed too", () => {
    const net = { ip_country: 'US', ip_asn: 7018, ip_org: 'AT&T' };
    // One address tries 20 users over 50 minutes, never 10 within 10: a slow spray.
    const slow = Array.from({ length: 20 }, (_, i) => ({
      ...failedLogin(i + 1, H - 55 * MIN + i * 150_000, '80.150.1.10'),
      ...net,
    }));
    // Thirty more users fail from the rest of the network within ten minutes.
    const wide = Array.from({ length: 30 }, (_, i) => ({
      ...failedLogin(i + 100, H - 10 * MIN + i * 10_000, `80.150.1.${i + 20}`),
      ...net,
    }));
    const login = signIn(H + MIN, '80.150.1.10', 7, net);
    const hour = input([...slow, ...wide, login], [[7, '80.150.1.2']]);
    const [alert, ...more] = detectLoginsAfterSprays(hour);
    expect(more).toEqual([]);
    expect(alert?.evidence).toMatch(/ after that IP failed for 20 users \(20 failures\) in the hour before /);
  });
});

describe("login_after_spray's listed events in a flood", () => {
  it('lists the sign-in and the 50 failures nearest it, counting them all', () => {
    // 600 users tried from one address over 50 minutes; a sign-in from it after.
    const fails = Array.from({ length: 600 }, (_, i) =>
      failedLogin(i + 1, H - 55 * MIN + i * 5_000, SPRAYER),
    );
    const login = signIn(H + MIN, SPRAYER, 9999);
    const [alert] = detectLoginsAfterSprays(input([...fails, login]));
    expect(alert?.evidence).toMatch(/failed for 600 users \(600 failures\)/);
    expect(alert?.event_ids).toEqual([...fails.slice(-50), login].map((e) => e.event_id));
  });
});
