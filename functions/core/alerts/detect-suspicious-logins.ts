/**
 * Suspicious sign-ins, with the definitions of functions/queries/suspicious_logins.sql (a test runs
 * both over one simulated lake and compares): within the evaluated period,
 * - `new_country`: a user's first sign-in from a country not among the countries of their placed
 *   sign-ins in the `historyDays` before the period, when they have at least `minHistoryLogins` of those;
 * - `new_network`: a user's first sign-in from a network owner (ASN) not among the owners of their
 *   placed history sign-ins, when they have at least one known owner and, as for a new country, at
 *   least `minHistoryLogins` placed history sign-ins (the /24 or /48 is evidence);
 *   the evidence of both says how much history there was ({@link historySpan}): a lake's first
 *   hours are not "30 days"; neither is raised for a sign-in from an address of the user's placed
 *   history sign-ins (after a geo data update the history keeps the older database's places:
 *   the same address is not a new place), but it still makes its country and owner known; an
 *   address is the client entry of a forwarded-for list ({@link clientAddressKey}: behind a proxy
 *   the internal hop after it changes between sign-ins), as in the query;
 * - `impossible_travel`: a sign-in from another country than the user's previous placed sign-in
 *   (the history's last included), sooner than the distance between the countries' reference
 *   points allows at `maxSpeedKmh`, unless both are from the same address (two databases placing
 *   one address apart) or both addresses are of the user's placed history sign-ins (a switch
 *   between home and a VPN they keep making); a journey to or from a country without a point (UM, see
 *   country-points.ts) is not judged, and that sign-in still counts for the two above;
 * - `unusual_hour`: a sign-in when at most 5% of the user's history sign-ins (at least
 *   `minHistoryLogins` of them) fell in the whole local hours from 2 before its own to 2 after
 *   (circular; 17:00 to 21:59 for 19:35), which its evidence names; it, too, says how much history
 *   there was, from the user's first history sign-in, placed or not.
 * Sign-ins are `login` events with a user id; "placed" ones have a country. The evidence strings
 * are the query's, word for word.
 */

import { countryDistanceKm } from '../geo/great-circle.ts';
import { lakeTimestamp } from '../lake/layout.ts';
import type { AlertSettings } from '../queries/alert-settings.ts';
import { DAY_MS, HOUR_MS } from '../time-units.ts';
import { wallTime } from '../zoned-time.ts';
import { type Alert, type AlertKind, alertId } from './alert.ts';
import { alertAddresses } from './alert-addresses.ts';
import type { AlertEvent } from './alert-event.ts';
import { byTime, type DetectionInput, declaredDetector, inPeriod } from './detection.ts';
import { clientAddressKey, networkOf } from './ip-network.ts';
import { localDateTimeWithOffset, localHhmmWithOffset } from './local-time.ts';
import type { LastPlace, UserHistory } from './login-profile.ts';
import { userIdOf } from './user-id.ts';

const NEAR_HOURS = 2;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** History sign-ins in the whole local hours {@link NEAR_HOURS} either side of `localHour` on the clock. */
function loginsNear(history: UserHistory, localHour: number): number {
  let near = 0;
  for (let offset = -NEAR_HOURS; offset <= NEAR_HOURS; offset++) {
    near += history.atLocalHour[(localHour + offset + 24) % 24] ?? 0;
  }
  return near;
}

/**
 * The local hours {@link loginsNear} counts, as the evidence names them: `17:00 to 21:59` for 19, and
 * across midnight `22:00 to 02:59` for 0. Whole hours, not minutes: a sign-in at 17:02 counts for
 * one at 19:35, so "within 2 hours" would misstate the rule.
 */
function nearHours(localHour: number): string {
  const hh = (hour: number) => String((hour + 24) % 24).padStart(2, '0');
  return `${hh(localHour - NEAR_HOURS)}:00 to ${hh(localHour + NEAR_HOURS)}:59`;
}

/** The user's most frequent history country (ties: the smaller code) and its sign-ins. */
function topCountry(history: UserHistory): [string, number] {
  let top: [string, number] = ['', 0];
  for (const [country, count] of history.countries) {
    if (count > top[1] || (count === top[1] && country < top[0])) top = [country, count];
  }
  return top;
}

/** Whether history from the hour `firstHourMs` to `fromMs` reaches into the window's first day. */
const wholeWindow = (fromMs: number, firstHourMs: number, historyDays: number): boolean =>
  Math.floor((fromMs - firstHourMs) / HOUR_MS) > (historyDays - 1) * 24;

/**
 * How much history a finding was judged against, as the SQL words it: the whole window (`30 days`)
 * when the first history sign-in it counts is in the window's first day, else the time from that
 * sign-in's hour to the period (`12 days of history`, `5 hours of history`). Not the window's
 * length: a lake younger than the window has less history than the window says.
 */
function historySpan(fromMs: number, firstHourMs: number, historyDays: number): string {
  if (wholeWindow(fromMs, firstHourMs, historyDays)) return `${historyDays} days`;
  const hours = Math.floor((fromMs - firstHourMs) / HOUR_MS);
  if (hours >= 24) return `${plural(Math.floor(hours / 24), 'day')} of history`;
  return `${plural(hours, 'hour')} of history`;
}

/** The history an unusual hour was judged against: `the previous 30 days`, `12 days of history`. */
function unusualHourSpan(fromMs: number, firstHourMs: number, historyDays: number): string {
  const span = historySpan(fromMs, firstHourMs, historyDays);
  return wholeWindow(fromMs, firstHourMs, historyDays) ? `the previous ${span}` : span;
}

/** What one period's evaluation remembers per user: what was reported, where they last were. */
interface UserState {
  history: UserHistory;
  countries: Set<string>;
  owners: Set<number>;
  /** Addresses of the history's sign-ins ({@link clientAddressKey}). */
  addresses: Set<string>;
  previous: LastPlace | undefined;
  /** {@link historySpan} of the user's placed history, once a place finding needed it. */
  span?: string;
}

/**
 * A finding: its kind and evidence, and for a journey the geo database that placed its departure
 * and the departure itself (its address and country).
 */
type Finding = [AlertKind, string, string?, Departure?];

/** A journey's departure, as the alert's addresses hold it beside the arrival's. */
type Departure = Pick<AlertEvent, 'ip_address' | 'ip_country'>;

/** Whether the user has the placed history sign-ins a new country or a new owner needs to count. */
const enoughPlaces = (state: UserState, input: DetectionInput): boolean =>
  state.history.placedLogins > 0 && state.history.placedLogins >= input.settings.minHistoryLogins;

function spanOf(state: UserState, input: DetectionInput): string {
  if (state.span === undefined) {
    const { fromMs, settings } = input;
    const first = state.history.firstPlacedHourMs ?? fromMs - settings.historyDays * DAY_MS;
    state.span = historySpan(fromMs, first, settings.historyDays);
  }
  return state.span;
}

/** Whether the sign-in's address is one of the history's: not a new place, whatever it is placed in now. */
const knownAddress = (login: AlertEvent, state: UserState): boolean => {
  const address = clientAddressKey(login.ip_address);
  return address !== null && state.addresses.has(address);
};

function newCountry(
  login: AlertEvent,
  country: string,
  state: UserState,
  input: DetectionInput,
): Finding | undefined {
  if (!enoughPlaces(state, input) || state.countries.has(country)) return undefined;
  state.countries.add(country);
  if (knownAddress(login, state)) return undefined;
  const [top, count] = topCountry(state.history);
  return [
    'new_country',
    `first login from ${country} in ${spanOf(state, input)}; previous: ${top} (${plural(count, 'login')})`,
  ];
}

function newOwner(login: AlertEvent, state: UserState, input: DetectionInput): Finding | undefined {
  const asn = login.ip_asn ?? null;
  const known = state.history.owners.size;
  if (asn === null || known === 0 || !enoughPlaces(state, input) || state.owners.has(asn)) return undefined;
  state.owners.add(asn);
  if (knownAddress(login, state)) return undefined;
  const network = networkOf(login.ip_address);
  return [
    'new_network',
    `first login from network owner AS${asn} (${login.ip_org ?? 'unknown'}) in ${spanOf(state, input)}; ${plural(known, 'owner')} known${network === null ? '' : `; network ${network}`}`,
  ];
}

/**
 * Whether a move from `previous` to `login` is no journey: one address placed in two countries
 * (the geo data changing between them), or two addresses both of the user's placed history (a
 * switch they keep making, home and a VPN's exit, which new_country and new_network do not raise
 * either: 28 alerts in 14 days for one user until 2026-12-06, review R-ONCALL M3).
 */
function knownMove(login: AlertEvent, previous: LastPlace, known: ReadonlySet<string>): boolean {
  const address = clientAddressKey(login.ip_address);
  const from = clientAddressKey(previous.ipAddress);
  if (address === null || from === null) return false;
  return address === from || (known.has(address) && known.has(from));
}

function impossibleJourney(
  login: AlertEvent,
  country: string,
  state: Pick<UserState, 'previous' | 'addresses'>,
  settings: AlertSettings,
): Finding | undefined {
  const { previous } = state;
  if (!previous || previous.country === country) return undefined;
  if (knownMove(login, previous, state.addresses)) return undefined;
  const km = countryDistanceKm(previous.country, country);
  // Either end without a reference point (UM): the journey cannot be judged, as in the SQL.
  if (km === undefined) return undefined;
  const hours = (login.event_time_ms - previous.timeMs) / HOUR_MS;
  if (km <= settings.maxSpeedKmh * hours) return undefined;
  // In the zone of the alert's other times, so a reader compares the two sign-ins on one clock;
  // with its offset, as where the clocks go back one local time names two instants an hour apart.
  const before = `${localDateTimeWithOffset(previous.timeMs, settings.timeZone)} ${settings.timeZone}`;
  return [
    'impossible_travel',
    `${previous.country} to ${country}: ${Math.round(km)} km in ${Math.round(hours * 60)} min; previous login ${before} from ${previous.ipAddress ?? '?'}`,
    previous.geoDbVersion,
    { ip_address: previous.ipAddress, ip_country: previous.country },
  ];
}

/** The place findings of one sign-in, in the SQL's reason order of a row's ties; moves the user on. */
function placeFindings(login: AlertEvent, state: UserState, input: DetectionInput): Finding[] {
  const country = login.ip_country ?? null;
  if (country === null) return [];
  const found = [
    newCountry(login, country, state, input),
    newOwner(login, state, input),
    impossibleJourney(login, country, state, input.settings),
  ].filter((f): f is Finding => f !== undefined);
  state.previous = {
    timeMs: login.event_time_ms,
    country,
    ipAddress: login.ip_address,
    ...(login.geo_db_version == null ? {} : { geoDbVersion: login.geo_db_version }),
  };
  return found;
}

function suspiciousOf(input: DetectionInput): Alert[] {
  const { instance, fromMs, profile, settings } = input;
  const days = settings.historyDays;
  const historyFromMs = fromMs - settings.historyDays * DAY_MS;
  const states = new Map<string, UserState>();
  const stateOf = (user: string): UserState => {
    let state = states.get(user);
    if (!state) {
      const history = profile.history(user, historyFromMs, fromMs);
      state = {
        history,
        countries: new Set(history.countries.keys()),
        owners: new Set(history.owners),
        addresses: history.addresses,
        previous: history.last,
      };
      states.set(user, state);
    }
    return state;
  };
  const alerts: Alert[] = [];
  const logins = input.events
    .filter((e) => e.category === 'login' && userIdOf(e) !== null && inPeriod(e, input))
    .sort(byTime);
  for (const login of logins) {
    const user = login.user_id as string;
    const state = stateOf(user);
    const base = {
      instance,
      user_id: user,
      user_name: login.user_name,
      event_time: lakeTimestamp(login.event_time_ms),
      event_time_ms: login.event_time_ms,
      ip_address: login.ip_address,
      event_ids: [login.event_id],
      ...alertAddresses([login]),
    };
    const raise = (
      kind: AlertKind,
      evidence: string,
      placedBy?: string,
      departedBy?: string,
      from?: Departure,
    ) =>
      alerts.push({
        ...base,
        // A journey is two sign-ins: a rule's ip or country must hold the departure too (review R-MUTE2 B).
        ...(from === undefined ? {} : alertAddresses([login, from])),
        id: alertId(instance, kind, base.event_ids),
        kind,
        evidence,
        ...(placedBy === undefined ? {} : { geo_db_version: placedBy }),
        ...(departedBy === undefined ? {} : { departure_geo_db_version: departedBy }),
      });
    // A place finding needs a country, so the sign-in was looked up: its database placed it.
    const placedBy = login.geo_db_version ?? undefined;
    for (const [kind, evidence, departedBy, from] of placeFindings(login, state, input))
      raise(kind, evidence, placedBy, departedBy, from);
    const local = wallTime(login.event_time_ms, settings.timeZone);
    const history = state.history;
    const near = loginsNear(history, local.hour);
    if (history.logins >= settings.minHistoryLogins && near * 20 <= history.logins) {
      const span = unusualHourSpan(fromMs, history.firstHourMs ?? historyFromMs, days);
      raise(
        'unusual_hour',
        `login at ${localHhmmWithOffset(login.event_time_ms, settings.timeZone)} ${settings.timeZone}; ${near} of ${history.logins} logins in ${span} ${near === 1 ? 'was' : 'were'} in the hours ${nearHours(local.hour)}`,
      );
    }
  }
  return alerts;
}

/** The weekly report's suspicious sign-ins, judged against the login profile. */
export const detectSuspiciousLogins = declaredDetector(
  {
    kinds: ['impossible_travel', 'new_country', 'new_network', 'unusual_hour'],
    reads: ['login'],
    readsProfile: true,
    inOldHours: false,
  },
  suspiciousOf,
);
