import { calendarDayProblem } from '../calendar-day.ts';
import { errorMessage } from '../error-message.ts';
import { assertInstanceName, lakeTimestamp, utcDate } from '../lake/layout.ts';
import { namesNoUser } from '../no-user-id.ts';
import type { QueryParams } from '../ports.ts';
import { DAY_MS, HOUR_MS } from '../time-units.ts';
import { isTimeZone } from '../zoned-time.ts';
import { isAddressParam, normalisedAddress, unwrappedAddress } from './address-param.ts';
import { ALERT_SETTING_LIMITS, DEFAULT_ALERT_SETTINGS } from './alert-settings.ts';
import type { QueryDefinition } from './query-definition.ts';

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,3})?$/;
const WHOLE = /^\d{1,9}$/;

function checkInstance(value: string): string | undefined {
  try {
    assertInstanceName(value);
    return undefined;
  } catch (error) {
    return errorMessage(error);
  }
}

type Check = (param: string, value: string) => string | undefined;

const checkDate: Check = (param, value) =>
  calendarDayProblem(value) === undefined ? undefined : `${param} "${value}" must be a date YYYY-MM-DD`;

/**
 * The day by the calendar and the time of day by its fields: `Date.parse` rolls 2025-02-29 over
 * to March 1 and reads 24:00:00 as the next midnight, while the engines refuse both.
 */
const checkTimestamp: Check = (param, value) => {
  const day = TIMESTAMP.exec(value)?.[1];
  return day !== undefined && calendarDayProblem(day) === undefined
    ? undefined
    : `${param} "${value}" must be a UTC timestamp YYYY-MM-DD HH:MM:SS.mmm`;
};

/**
 * An id the lake could hold for a user: not one that names no user as the alerts and the SQL read
 * it ({@link namesNoUser}: `0` is Domo's "none", so it would match every event not made on
 * someone's behalf), nor one with a leading zero, which Domo's numeric ids never have (`00` too).
 */
const checkUserId: Check = (param, value) =>
  namesNoUser(value)
    ? `${param} "${value}" names no user: give the user's id as activity_log stores it (its user_id column)`
    : /^0\d/.test(value)
      ? `${param} "${value}" starts with 0: Domo's user ids are numbers, written without leading zeros, so it matches no event; give the user's id as activity_log stores it (its user_id column)`
      : undefined;

/**
 * data_movement's, bulk_data_movement's and admin_changes' doer_id: empty (everyone), or a user as user_id takes one: a
 * `0` would list nothing, unsaid, where a responder asked for one user.
 */
const checkDoerId: Check = (param, value) => (value === '' ? undefined : checkUserId(param, value));

/**
 * The keys of Domo's entries (core/domo/audit-entry.ts, which core/queries may not import), lower
 * case: named is matched as whole words of the entry, so one of them would find every entry.
 */
const ENTRY_KEYS = new Set([
  'time',
  'actiontype',
  'eventtext',
  'objecttype',
  'objectid',
  'objectname',
  'userid',
  'username',
  'usertype',
  'actorid',
  'actorname',
  'actortype',
  'additionalcomment',
  'ipaddress',
  'device',
  'browserdetails',
  'authenticationmethod',
]);

/**
 * user_activity's named: empty (none), or a name of 3 letters or more, as the SQL reads it (whole
 * words, ASCII punctuation as spaces): fewer would list most of the period's events, unsaid, and
 * punctuation alone none; nor an entry's key, which every entry holds as a word.
 */
const checkNamed: Check = (param, value) => {
  if (value === '') return undefined;
  const words = value
    .toLowerCase()
    .replaceAll(/[!-/:-@[-`{-~]/g, ' ')
    .trim();
  if (words.replaceAll(' ', '').length < 3)
    return `${param} "${value}" is too short to name a person: give their name or e-mail address as Domo writes it (3 letters or more), or leave it out`;
  return ENTRY_KEYS.has(words)
    ? `${param} "${value}" is the name of a field of every Domo entry (${words}): it would list every event; give the person's full name or e-mail address`
    : undefined;
};

/**
 * address_activity's address: it goes into a pattern, where a wildcard or a typo would find other
 * addresses, or none, unsaid. Taken in brackets or with a port too, as a log writes it
 * ({@link unwrappedAddress}).
 */
const checkAddress: Check = (param, value) =>
  value === '' || isAddressParam(unwrappedAddress(value))
    ? undefined
    : `${param} "${value}" is not an address: give one IPv4 or IPv6 address (1.2.3.4, 2001:db8::1) or an IPv4 /24 (1.2.3.0/24)`;

/** Which rows a cut at max_rows keeps: the SQL compares the text, so anything else would keep the oldest unsaid. */
const checkKeepRows: Check = (param, value) =>
  KEEP_ROWS.includes(value as (typeof KEEP_ROWS)[number])
    ? undefined
    : `${param} "${value}" must be oldest, newest or gravest (the rows kept when max_rows cuts them)`;

/** address_activity's asn: empty (any), or an autonomous system number, `AS` before it or not. */
const checkAsn: Check = (param, value) =>
  value === '' || (ASN.test(value) && Number(value.replace(/^as/i, '')) <= MAX_ASN)
    ? undefined
    : `${param} "${value}" is not an autonomous system number: give one from 0 to ${MAX_ASN} (13335 or AS13335)`;
const ASN = /^(as)?\d{1,10}$/i;
const MAX_ASN = 4_294_967_295;

/**
 * keep_rows' values: the first max_rows in time (the default), the last, or the gravest (admin_changes
 * only: each actor's gravest change first, what the weekly report reads; {@link GRAVEST_SQL}).
 */
export const KEEP_ROWS = ['oldest', 'newest', 'gravest'] as const;

/** How a query's SQL that ranks a cut by gravity names it: the others would keep the oldest instead. */
const GRAVEST_SQL = "WHEN 'gravest'";

const checkTimeZone: Check = (_param, value) =>
  isTimeZone(value)
    ? undefined
    : `time_zone "${value}" is not an IANA time zone (e.g. UTC, Europe/Paris, America/Denver)`;

/** The most rows a ranked query shows (`--limit`). */
export const MAX_RANKED_ROWS = 10_000;

/** The most rows `max_rows` lets a query list. */
export const MAX_LISTED_ROWS = 10_000_000;

/**
 * The whole-number parameters' [min, max, meaning]. The suspicious-login ones take the alert
 * settings' limits: one definition, and a speed of 0 would make every change of country a journey.
 */
const WHOLE_LIMITS: Record<string, readonly [number, number, string]> = {
  // One row past the most a caller may ask for: the row that tells whether the cut falls between ties.
  limit: [1, MAX_RANKED_ROWS + 1, 'rows of a ranked query'],
  min_history_logins: ALERT_SETTING_LIMITS.minHistoryLogins,
  max_speed_kmh: ALERT_SETTING_LIMITS.maxSpeedKmh,
  failures_before_login: ALERT_SETTING_LIMITS.failuresBeforeLogin,
  spray_users: ALERT_SETTING_LIMITS.sprayUsers,
  burst_minutes: ALERT_SETTING_LIMITS.burstMinutes,
  // suspicious_logins, failed_logins_and_lockouts and login_after_failures keep their first 1,000 rows for the report,
  // user_activity its first 1,000 unless asked: more lists a busy week whole.
  max_rows: [1, MAX_LISTED_ROWS, 'rows the query lists'],
};

const checkWhole: Check = (param, value) => {
  const [min, max, what] = WHOLE_LIMITS[param] ?? [0, 999_999_999, ''];
  const number = WHOLE.test(value) ? Number(value) : Number.NaN;
  return number >= min && number <= max
    ? undefined
    : `${param} "${value}" must be a whole number from ${min} to ${max}${what ? ` (${what})` : ''}`;
};

/** The check a parameter gets, by the catalog's naming convention (none for other names). */
function checkFor(param: string): Check | undefined {
  if (param === 'instance') return (_param, value) => checkInstance(value);
  if (param.endsWith('_dt')) return checkDate;
  if (param.endsWith('_ts')) return checkTimestamp;
  if (param === 'time_zone') return checkTimeZone;
  if (param === 'user_id') return checkUserId;
  if (param === 'doer_id') return checkDoerId;
  if (param === 'named') return checkNamed;
  if (param === 'address') return checkAddress;
  if (param === 'keep_rows') return checkKeepRows;
  if (param === 'asn') return checkAsn;
  if (Object.hasOwn(WHOLE_LIMITS, param)) return checkWhole;
  return undefined;
}

/**
 * A checked value in the spelling the SQL matches: an address in the one spelling address_activity
 * finds every spelling of ({@link normalisedAddress}); any other value as given.
 */
export function normalisedParamValue(param: string, value: string): string {
  if (param === 'address') return value === '' ? value : normalisedAddress(unwrappedAddress(value));
  return param === 'asn' ? value.replace(/^as/i, '').replace(/^0+(?=\d)/, '') : value;
}

/** Checks a value by the naming convention of the catalog's parameters; returns a fix-it message or undefined. */
export const checkParamValue = (param: string, value: string): string | undefined =>
  checkFor(param)?.(param, value);

/**
 * The parameters a caller may leave out, and the value each then takes: data_movement's and
 * admin_changes' doer_id, everyone; user_activity's named, no name searched. A caller written
 * before a query took one (the weekly report's run of admin_changes, its dig commands'
 * user_activity) keeps its answer.
 */
export const OPTIONAL_PARAMS: Readonly<Record<string, string>> = Object.freeze({ doer_id: '', named: '' });

/** Throws when keep_rows asks a query that keeps only the oldest or newest for the gravest. */
function assertKeepRowsFits(query: QueryDefinition, values: QueryParams): void {
  if (
    values.keep_rows !== 'gravest' ||
    !query.params.includes('keep_rows') ||
    query.sql.includes(GRAVEST_SQL)
  )
    return;
  throw new Error(
    `query ${query.name}: keep_rows "gravest" ranks privileged changes (admin_changes); ${query.name} keeps oldest or newest`,
  );
}

/**
 * The positional values of a query, from named ones: one entry per `?`, in text order (what the
 * engines bind). Throws naming the first missing parameter, or a value that does not fit its parameter.
 */
export function positionalValues(query: QueryDefinition, given: QueryParams): string[] {
  const values: QueryParams = { ...OPTIONAL_PARAMS, ...given };
  for (const param of query.params) {
    const value = values[param];
    if (value === undefined) {
      throw new Error(
        `query ${query.name} needs parameter "${param}" (it takes: ${query.params.join(', ')})`,
      );
    }
    const problem = checkParamValue(param, value);
    if (problem) throw new Error(`query ${query.name}: ${problem}`);
  }
  assertKeepRowsFits(query, values);
  // Each alone may be empty (any); both empty would list every event of the period.
  if (query.params.includes('asn') && values.address === '' && values.asn === '') {
    throw new Error(`query ${query.name} needs an address or an asn (both are empty)`);
  }
  return query.placeholders.map((param) => values[param] as string);
}

/** Defaults of the parameters that are not part of the period. */
export const QUERY_DEFAULTS = {
  limit: 10,
  timeZone: 'UTC',
  minHistoryLogins: 10,
  historyDays: 30,
  maxSpeedKmh: 1000,
  failuresBeforeLogin: DEFAULT_ALERT_SETTINGS.failuresBeforeLogin,
  sprayUsers: DEFAULT_ALERT_SETTINGS.sprayUsers,
  burstMinutes: DEFAULT_ALERT_SETTINGS.burstMinutes,
  /**
   * The rows suspicious_logins, failed_logins_and_lockouts and login_after_failures list: the report's
   * SUSPICIOUS_LOGIN_ROWS and FAILED_LOGIN_ROWS (a test holds them equal).
   */
  maxRows: 1000,
  /** What a cut at max_rows keeps: the first rows in time, what the report and the alerts read. */
  keepRows: 'oldest',
} as const;

interface PeriodParams {
  instance: string;
  /** UTC date of the period's first instant. */
  from_dt: string;
  /** UTC date of the period's last instant (inclusive). */
  to_dt: string;
  /** Period start, `YYYY-MM-DD HH:MM:SS.mmm` UTC, inclusive. */
  from_ts: string;
  /** Period end, same format, exclusive. */
  to_ts: string;
}

/** The parameters every query takes, for the period `[fromMs, toMs)`. */
export function periodParams(instance: string, fromMs: number, toMs: number): PeriodParams {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs <= fromMs) {
    throw new RangeError(`a query period needs from < to (got ${fromMs} and ${toMs})`);
  }
  return {
    instance: assertInstanceName(instance),
    from_dt: utcDate(fromMs),
    to_dt: utcDate(toMs - 1),
    from_ts: lakeTimestamp(fromMs),
    to_ts: lakeTimestamp(toMs),
  };
}

/** trending_cards' previous period: `[fromMs - (toMs - fromMs), fromMs)`. */
export function previousPeriodParams(
  fromMs: number,
  toMs: number,
): { prev_from_dt: string; prev_from_ts: string } {
  const prevFromMs = fromMs - (toMs - fromMs);
  return { prev_from_dt: utcDate(prevFromMs), prev_from_ts: lakeTimestamp(prevFromMs) };
}

/** suspicious_logins' history window: the `days` days before `fromMs`. */
export function historyParams(
  fromMs: number,
  days: number = QUERY_DEFAULTS.historyDays,
): { history_from_dt: string; history_from_ts: string } {
  const historyFromMs = fromMs - days * DAY_MS;
  return { history_from_dt: utcDate(historyFromMs), history_from_ts: lakeTimestamp(historyFromMs) };
}

/**
 * login_after_failures' reach before the period: the hour the alert detector reads before the one
 * it evaluates, so a sign-in early in the period counts the failures just before it.
 */
export function lookbackParams(fromMs: number): { lookback_from_dt: string; lookback_from_ts: string } {
  const lookbackFromMs = fromMs - HOUR_MS;
  return { lookback_from_dt: utcDate(lookbackFromMs), lookback_from_ts: lakeTimestamp(lookbackFromMs) };
}

export interface QueryPeriod {
  instance: string;
  fromMs: number;
  toMs: number;
  /** IANA zone for time_zone (default UTC). */
  timeZone?: string;
  /** Rows of the ranked queries (default 10). */
  limit?: number;
  /** suspicious_logins: history sign-ins a user needs for new country and unusual hour (default 10). */
  minHistoryLogins?: number;
  /** suspicious_logins: days of history before the period (default 30). */
  historyDays?: number;
  /** suspicious_logins: fastest plausible travel between two sign-ins, km/h (default 1000). */
  maxSpeedKmh?: number;
  /** login_after_failures: failed logins before a sign-in that raise it (default 4, the alerts'). */
  failuresBeforeLogin?: number;
  /** login_after_spray: users failing from one address that make a spray (default 10, the alerts'). */
  sprayUsers?: number;
  /** login_after_spray: minutes a spray's window spans (default 10, the alerts'). */
  burstMinutes?: number;
  /** suspicious_logins, failed_logins_and_lockouts, login_after_failures: the most rows they list (default 1000, what the report holds). */
  maxRows?: number;
}

/**
 * Every parameter any query of the catalog takes, for one period, with the defaults filled in:
 * pass the result (or a copy with overrides) to an engine's `run`.
 */
export function standardParams(period: QueryPeriod): Record<string, string> {
  const { fromMs, toMs } = period;
  return {
    ...periodParams(period.instance, fromMs, toMs),
    ...previousPeriodParams(fromMs, toMs),
    ...historyParams(fromMs, period.historyDays ?? QUERY_DEFAULTS.historyDays),
    ...lookbackParams(fromMs),
    time_zone: period.timeZone ?? QUERY_DEFAULTS.timeZone,
    limit: String(period.limit ?? QUERY_DEFAULTS.limit),
    min_history_logins: String(period.minHistoryLogins ?? QUERY_DEFAULTS.minHistoryLogins),
    max_speed_kmh: String(period.maxSpeedKmh ?? QUERY_DEFAULTS.maxSpeedKmh),
    max_rows: String(period.maxRows ?? QUERY_DEFAULTS.maxRows),
    keep_rows: QUERY_DEFAULTS.keepRows,
    // address_activity's network owner: any, unless given.
    asn: '',
    ...OPTIONAL_PARAMS,
    failures_before_login: String(period.failuresBeforeLogin ?? QUERY_DEFAULTS.failuresBeforeLogin),
    spray_users: String(period.sprayUsers ?? QUERY_DEFAULTS.sprayUsers),
    burst_minutes: String(period.burstMinutes ?? QUERY_DEFAULTS.burstMinutes),
  };
}
