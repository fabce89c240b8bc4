/**
 * Which catalog queries take an alert to the events around it, and with which values: the choice
 * the `alerts` table's commands (functions/cli/alerts-next-steps.ts) and the message's saved
 * queries (next-steps-text.ts) both render, so the two never suggest different queries. Data
 * only: a query's name and the values this alert gives it; each reader words them its own way
 * (review ALERTIR: the table gave the queries, the message only the SQL of every alerted user's
 * events of four days, hundreds of rows).
 */
import type { AlertSettings } from '../queries/alert-settings.ts';
import { historyParams, QUERY_DEFAULTS } from '../queries/query-params.ts';
import { DAY_MS } from '../time-units.ts';
import type { Alert, AlertKind } from './alert.ts';
import { failureAddress } from './ip-network.ts';

/** The section of docs/operations.md that says what each kind's queries answer. */
export const NEXT_STEPS_SECTION = 'An alert arrives: the first look for each kind';

/** One catalog query and the values the alert gives it, in the order given. */
export interface NextStepQuery {
  name: string;
  /**
   * The values beside the instance and the period: the user, the doer, the address or network
   * owner, and the zone the reader's times are in (`time_zone`, for the queries that take one).
   */
  params: readonly (readonly [string, string])[];
}

/** How a reader runs the next steps: what to do with them, and the lines to copy or type. */
export interface NextStepsWording {
  /** What the reader does with the lines, a clause: `open each of these saved queries …`. */
  how: string;
  lines(steps: NextSteps): string[];
}

/** The queries for one alert, over `[fromMs, toMs)`: the UTC day before the alert's to the day after. */
export interface NextSteps {
  alert: Alert;
  /** The instance the queries read: the alert's. */
  instance: string;
  fromMs: number;
  toMs: number;
  queries: readonly NextStepQuery[];
}

/**
 * The kinds about a sign-in that took place, whose user's other sign-ins suspicious_logins judges
 * alike (a new country, network or hour, a journey too fast): a Set, not a record of every kind,
 * so a kind added elsewhere compiles without a choice here (it gets the user's queries alone).
 */
const SIGNED_IN: ReadonlySet<AlertKind> = new Set([
  'login_after_failures',
  'login_after_spray',
  'impossible_travel',
  'new_country',
  'new_network',
  'unusual_hour',
]);

/**
 * The value that names an alert's address for address_activity: a network spray's network owner
 * or /24 (its `spray_key`), else the address its failures or sign-in came from (the client entry
 * of a forwarded-for list, as the evidence names it); none when the text names no address
 * (`unknown`, a list of private entries alone, which address_activity would refuse).
 */
function addressParam(alert: Pick<Alert, 'ip_address' | 'spray_key'>): [string, string] | undefined {
  const key = alert.spray_key ?? '';
  const owner = /^OWNER AS(\d+)$/.exec(key);
  if (owner) return ['asn', owner[1] as string];
  const net = /^NET (\d+\.\d+\.\d+\.0\/24)$/.exec(key);
  if (net) return ['address', net[1] as string];
  // A lone private or documentation address has no keyed entry: its text is still an address.
  const keyed = failureAddress(alert.ip_address);
  const text = keyed?.entry ?? keyed?.key ?? '';
  return /^[0-9a-f.:]+$/.test(text) && /[.:]/.test(text) ? ['address', text] : undefined;
}

/**
 * What the sign-in alerts were judged by (the deployment's alert settings); each absent one is the
 * settings' default, which is suspicious_logins' own.
 */
export type SignInJudging = Partial<Pick<AlertSettings, 'historyDays' | 'minHistoryLogins' | 'maxSpeedKmh'>>;

/**
 * suspicious_logins' values for the judging the alerts used, over steps from `fromMs`: those that
 * differ from the query's defaults (the days of history as the history's start, its day and
 * instant), none where the alerts run with the defaults, so the query judges as the alert did.
 */
function judgingParams(fromMs: number, judging: SignInJudging): [string, string][] {
  const params: [string, string][] = [];
  const days = judging.historyDays ?? QUERY_DEFAULTS.historyDays;
  if (days !== QUERY_DEFAULTS.historyDays) params.push(...Object.entries(historyParams(fromMs, days)));
  const logins = judging.minHistoryLogins ?? QUERY_DEFAULTS.minHistoryLogins;
  if (logins !== QUERY_DEFAULTS.minHistoryLogins) params.push(['min_history_logins', String(logins)]);
  const speed = judging.maxSpeedKmh ?? QUERY_DEFAULTS.maxSpeedKmh;
  if (speed !== QUERY_DEFAULTS.maxSpeedKmh) params.push(['max_speed_kmh', String(speed)]);
  return params;
}

/** The queries of the doer's own acts a kind points at, beside the user's timeline. */
function doerQueries(
  alert: Alert,
  zone: readonly [string, string],
  judged: [string, string][],
): NextStepQuery[] {
  const doer = ['doer_id', alert.user_id ?? ''] as const;
  if (alert.kind === 'privileged_change') return [{ name: 'admin_changes', params: [doer, zone] }];
  if (alert.kind === 'bulk_export') return [{ name: 'data_movement', params: [doer] }];
  return SIGNED_IN.has(alert.kind) ? [{ name: 'suspicious_logins', params: [doer, zone, ...judged] }] : [];
}

/**
 * The queries for `alert`, with its times read in `timeZone`: the user's timeline (user_activity),
 * the doer's changes, data movement or other sign-ins for those kinds, the user's addresses and
 * who else used them (user_addresses), and every event from the alert's address or network
 * (address_activity); over the UTC day before the alert's, its own and the one after (what led
 * to it and what followed). A password spray is about an address: its address alone. The user's
 * suspicious_logins takes the alerts' `judging` where it is not the query's default.
 */
export function nextStepsOf(alert: Alert, timeZone: string, judging: SignInJudging = {}): NextSteps {
  const day = Math.floor(alert.event_time_ms / DAY_MS) * DAY_MS;
  const zone = ['time_zone', timeZone] as const;
  const user = alert.kind === 'password_spray' ? null : alert.user_id;
  const queries: NextStepQuery[] = [];
  if (user) {
    queries.push({ name: 'user_activity', params: [['user_id', user], zone] });
    queries.push(...doerQueries(alert, zone, judgingParams(day - DAY_MS, judging)));
    queries.push({ name: 'user_addresses', params: [['user_id', user], zone] });
  }
  const address = addressParam(alert);
  if (address) queries.push({ name: 'address_activity', params: [address, zone] });
  return { alert, instance: alert.instance, fromMs: day - DAY_MS, toMs: day + 2 * DAY_MS, queries };
}
