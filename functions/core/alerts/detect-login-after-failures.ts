/**
 * `login_after_failures`: a user's successful sign-in after `failuresBeforeLogin` failed logins of
 * theirs, or after a lockout of theirs, within the hour before it: the attacker who guessed the
 * password, or was let in once the lockout ran out, got in. The failure detectors say an attack
 * happened; only this one says it ended in a sign-in (review R-ONCALL H1).
 *
 * Only failures since the user's previous sign-in from one of their addresses in that hour count,
 * so one episode of failures raises one alert, by the first sign-in from there after it, not one
 * per sign-in ({@link Episode}: one from elsewhere raises but keeps the failures). The hour is the one every
 * evaluation already reads (`before`): the alert of a sign-in depends only on events the run holds
 * for its hour, and is the same however often the hour is evaluated. The alert's id is the
 * sign-in's alone: a late failure adds to its evidence but does not make it another alert.
 * Failures without a user id count for a sign-in whose user name carries the same name (detection.ts,
 * `nameKey`).
 */

import { lakeTimestamp } from '../lake/layout.ts';
import { HOUR_MS } from '../time-units.ts';
import { type Alert, alertId } from './alert.ts';
import type { AlertEvent } from './alert-event.ts';
import { placedIpList } from './detect-failed-logins.ts';
import { byTime, type DetectionInput, declaredDetector, inPeriod, nameKey } from './detection.ts';
import { failureAddressKey } from './ip-network.ts';
import { localClockSpan, localHhmmWithOffset } from './local-time.ts';
import { userIdOf } from './user-id.ts';

/**
 * How far back a sign-in's failures are counted: the hour before, which the run reads with every
 * hour it evaluates. A longer span would need more hours read for each one evaluated.
 */
const FAILURES_LOOKBACK_MS = HOUR_MS;

/**
 * The ids of the users who signed in, by the key of the name they signed in under. No name is no
 * one's: failures with neither id nor name were everyone's whose sign-in had none (review
 * R-ALERTS2 L1).
 */
function signedInByName(events: readonly AlertEvent[]): Map<string, Set<string>> {
  const idsByName = new Map<string, Set<string>>();
  for (const event of events) {
    const id = userIdOf(event);
    const name = nameKey(event.user_name ?? '');
    if (event.category !== 'login' || id === null || name === '') continue;
    idsByName.set(name, (idsByName.get(name) ?? new Set()).add(id));
  }
  return idsByName;
}

/** Each signing-in user's sign-ins, failures and lockouts, in time order, keyed by user id. */
function timelines(events: readonly AlertEvent[]): Map<string, AlertEvent[]> {
  const byId = new Map<string, AlertEvent[]>();
  for (const event of events) {
    const id = userIdOf(event);
    if (event.category === 'login' && id !== null) byId.set(id, []);
  }
  const idsByName = signedInByName(events);
  for (const event of events) {
    const id = userIdOf(event);
    // A failure without a user id is the name's: every user who signed in under that name.
    const ids = id !== null ? [id] : [...(idsByName.get(nameKey(event.user_name ?? '')) ?? [])];
    for (const user of ids) byId.get(user)?.push(event);
  }
  for (const timeline of byId.values()) timeline.sort(byTime);
  return byId;
}

/** `30 failed logins and a lockout`, `a lockout`, `5 failed logins`. */
function whatFailed(failures: number, lockouts: number): string {
  const failed = failures === 0 ? '' : `${failures} failed login${failures === 1 ? '' : 's'}`;
  const locked = lockouts === 0 ? '' : lockouts === 1 ? 'a lockout' : `${lockouts} lockouts`;
  return [failed, locked].filter((part) => part !== '').join(' and ');
}

/**
 * Whether the sign-in came from an address the failures came from, in the evidence's words, and
 * the geo database that placed the sign-in's address when the words name its place.
 */
function whence(login: AlertEvent, failed: readonly AlertEvent[]): { text: string; geoDbVersion?: string } {
  const key = failureAddressKey(login.ip_address);
  if (key === null) return { text: 'the sign-in has no recorded IP address' };
  const keys = new Set(failed.map((e) => failureAddressKey(e.ip_address)));
  if (keys.has(key)) return { text: 'signed in from one of those IPs' };
  const placed = placedIpList([login]);
  return { text: `signed in from another IP, ${placed.text}`, geoDbVersion: placed.geoDbVersion };
}

/**
 * `the same failures were alerted at 10:06 with a sign-in from another IP; `: a sign-in from one
 * of the failures' IPs after a sign-in from elsewhere raised for them. The user's own mistypes then
 * the laptop's sign-in read as the attacker's otherwise; the attacker's failures, the user's sign-in
 * from home, then the attacker's from a failing IP have the same shape, so it raises, and says
 * which it may be (review R-ROUND3 M1).
 */
function toldBefore(input: DetectionInput, raising: Raising): string {
  const { told } = raising;
  if (told === null || told.count === 0) return '';
  const which =
    told.count === raising.failed.length ? 'the same failures were' : `${told.count} of them were`;
  return `${which} alerted at ${localHhmmWithOffset(told.atMs, input.settings.timeZone)} with a sign-in from another IP; `;
}

function alertOf(input: DetectionInput, login: AlertEvent, raising: Raising): Alert {
  const { failed } = raising;
  const failures = failed.filter((e) => e.category === 'login_failed');
  const lockouts = failed.length - failures.length;
  const first = failed[0] as AlertEvent;
  const last = failed.at(-1) as AlertEvent;
  // The lockouts' addresses only when no failure names one: a lockout often has none, and counted
  // beside the failures would read as more failures without an address.
  const from = placedIpList(failures.length > 0 ? failures : failed);
  const { timeZone } = input.settings;
  const span =
    first === last
      ? localHhmmWithOffset(first.event_time_ms, timeZone)
      : // Seconds within one minute, as bursts and sprays: `09:00 to 09:00` said nothing (R-ALERTS2 L3).
        localClockSpan(first.event_time_ms, last.event_time_ms, timeZone);
  const signedIn = whence(login, failed);
  const told = toldBefore(input, raising);
  const now = told === '' ? signedIn.text : signedIn.text.replace(/^signed in /, 'signed in now ');
  const evidence = `signed in after ${whatFailed(failures.length, lockouts)} in the hour before (${span} ${timeZone}) from ${from.text}; ${told}${now}`;
  // The release that placed the latest place the evidence names: the sign-in's, when named.
  const geoDbVersion = signedIn.geoDbVersion ?? from.geoDbVersion;
  return {
    // The sign-in's id alone: a late failure changes the evidence, not which alert it is.
    id: alertId(input.instance, 'login_after_failures', [login.event_id]),
    instance: input.instance,
    kind: 'login_after_failures',
    user_id: userIdOf(login),
    user_name: login.user_name,
    event_time: lakeTimestamp(login.event_time_ms),
    event_time_ms: login.event_time_ms,
    evidence,
    ip_address: login.ip_address,
    event_ids: [...failed, login].map((e) => e.event_id),
    ...(geoDbVersion ? { geo_db_version: geoDbVersion } : {}),
  };
}

/** Whether `failed` (failures and lockouts since the previous sign-in) makes a sign-in an alert. */
const raises = (failed: readonly AlertEvent[], threshold: number): boolean =>
  failed.some((e) => e.category === 'lockout') ||
  failed.filter((e) => e.category === 'login_failed').length >= threshold;

/** Whether `login` came from an address one of `failed` came from (keyed as the failures are). */
function fromFailingAddress(login: AlertEvent, failed: readonly AlertEvent[]): boolean {
  const key = failureAddressKey(login.ip_address);
  return key !== null && failed.some((e) => failureAddressKey(e.ip_address) === key);
}

/**
 * A sign-in's failures and lockouts in the hour before it, and, when a sign-in from elsewhere
 * already raised for some of them, when it did and how many of these it told.
 */
interface Raising {
  failed: AlertEvent[];
  told: { atMs: number; count: number } | null;
}

const inHourBefore = (events: readonly AlertEvent[], login: AlertEvent): AlertEvent[] =>
  events.filter((e) => e.event_time_ms > login.event_time_ms - FAILURES_LOOKBACK_MS);

/**
 * One user's episodes of failures: the failures and lockouts since the sign-in that closed the
 * last one, how many of them a sign-in from elsewhere already raised an alert for, and when.
 */
class Episode {
  since: AlertEvent[] = [];
  told = 0;
  toldAtMs: number | null = null;

  /**
   * Whether `login` raises (whatever the period): after the threshold's failures within the hour
   * before it, when it comes from one of their addresses (it closes the episode) or, from
   * elsewhere, when the failures not yet told by such an alert reach the threshold themselves, or
   * a lockout is among them. A sign-in from elsewhere keeps the failures: the user's own sign-in
   * between the attacker's failures and the attacker's sign-in neither hides the attacker's nor
   * takes its alert (review R-ALERTS2 M1). One new failure is not enough: a client retrying a stale
   * password between the phone's sign-ins raised each of them (review R-ROUND3 M2).
   */
  signIn(login: AlertEvent, threshold: number): Raising | null {
    const failed = inHourBefore(this.since, login);
    if (fromFailingAddress(login, failed)) {
      const toldSet = new Set(this.since.slice(0, this.told));
      const count = failed.filter((e) => toldSet.has(e)).length;
      const told = this.toldAtMs === null ? null : { atMs: this.toldAtMs, count };
      this.since = [];
      this.told = 0;
      this.toldAtMs = null;
      return raises(failed, threshold) ? { failed, told } : null;
    }
    if (!raises(inHourBefore(this.since.slice(this.told), login), threshold)) return null;
    this.told = this.since.length;
    this.toldAtMs = login.event_time_ms;
    return { failed, told: null };
  }
}

function loginsAfterFailures(input: DetectionInput): Alert[] {
  const alerts: Alert[] = [];
  for (const timeline of timelines([...input.before, ...input.events]).values()) {
    const episode = new Episode();
    for (const event of timeline) {
      if (event.category !== 'login') {
        episode.since.push(event);
        continue;
      }
      const raising = episode.signIn(event, input.settings.failuresBeforeLogin);
      if (raising !== null && inPeriod(event, input)) alerts.push(alertOf(input, event, raising));
    }
  }
  return alerts;
}

/** Sign-ins after failed logins or a lockout of the same user in the hour before. */
export const detectLoginsAfterFailures = declaredDetector(
  {
    kinds: ['login_after_failures'],
    reads: ['login', 'login_failed', 'lockout'],
    readsProfile: false,
    inOldHours: false,
  },
  loginsAfterFailures,
);
