/**
 * What the `alerts` table says after its list: the catalog queries that take its most serious
 * alert to the events around it, ready to paste. The mail digs further with one SQL over every
 * alerted user's events of four days; on the terminal the responder needs the queries
 * docs/operations.md's runbook goes on with, for the one alert to look at first, with the user's id,
 * the address and the days filled in (review ALERTIR: the table printed the message's path and
 * nothing else, and the user's id and the address had to be copied out of the evidence by hand).
 */
import type { Alert } from '../core/alerts/alert.ts';
import { mostSerious } from '../core/alerts/dig-seriousness.ts';
import { failureAddress } from '../core/alerts/ip-network.ts';
import { KIND_LABELS } from '../core/alerts/kind-labels.ts';
import { localDateTimeWithOffset } from '../core/alerts/local-time.ts';
import { utcDate } from '../core/lake/layout.ts';
import { RENDER_LIMITS } from '../core/mail/render-limits.ts';
import { columnName } from '../core/report/text-names.ts';
import { DAY_MS } from '../core/time-units.ts';
import { pastedCommandLines } from './pasted-command.ts';
import { wrapLine } from './terminal-table.ts';

/** Where the queries run: a lake on disk (its directory), or Athena for a lake in S3. */
export interface NextStepTarget {
  /** The lake directory, absolute; undefined for a lake in S3 (the queries then run on Athena). */
  lakeDir: string | undefined;
  instance: string;
  /** The zone the table's times are in: user_activity's `local_time` then reads as they do. */
  timeZone: string;
}

/** The section of docs/operations.md that says what each kind's queries answer. */
export const NEXT_STEPS_SECTION = 'An alert arrives: the first look for each kind';

/**
 * The `--param` that names an alert's address for address_activity: a network spray's /24 or
 * network owner (its `spray_key`), else the address its failures or sign-in came from (the client
 * entry of a forwarded-for list, as the evidence names it); none when the text names no address
 * (`unknown`, a list of private entries alone, which address_activity would refuse).
 */
function addressParam(alert: Pick<Alert, 'ip_address' | 'spray_key'>): string | undefined {
  const key = alert.spray_key ?? '';
  const owner = /^OWNER AS(\d+)$/.exec(key);
  if (owner) return `asn=${owner[1]}`;
  const net = /^NET (\d+\.\d+\.\d+\.0\/24)$/.exec(key);
  if (net) return `address=${net[1]}`;
  // A lone private or documentation address has no keyed entry: its text is still an address.
  const keyed = failureAddress(alert.ip_address);
  const text = keyed?.entry ?? keyed?.key ?? '';
  return /^[0-9a-f.:]+$/.test(text) && /[.:]/.test(text) ? `address=${text}` : undefined;
}

/**
 * The kinds about a sign-in that took place, whose user's other sign-ins suspicious_logins judges
 * alike (a new country, network or hour, a journey too fast).
 */
const SIGNED_IN: ReadonlySet<string> = new Set([
  'login_after_failures',
  'login_after_spray',
  'impossible_travel',
  'new_country',
  'new_network',
  'unusual_hour',
]);

/** The queries of the doer's own acts a kind points at, beside the user's timeline. */
function doerQueries(alert: Alert): string[] {
  if (alert.kind === 'privileged_change') return ['admin_changes'];
  if (alert.kind === 'bulk_export') return ['data_movement'];
  return SIGNED_IN.has(alert.kind) ? ['suspicious_logins'] : [];
}

/** The queries that take `time_zone` (their local times, suspicious_logins' hours), given the table's. */
const ZONED = new Set(['admin_changes', 'suspicious_logins']);

/**
 * The words of the `query` commands for `alert`: the user's timeline (user_activity), the doer's
 * changes, data movement or other sign-ins for those kinds, the user's addresses and who else
 * used them (user_addresses), and every event from the alert's address (address_activity); over
 * the UTC day before the alert's, its own and the one after (what led to it and what followed).
 * Those that take a zone get the table's, so their local times read as its times do (until
 * 2026-12-07 only user_activity did).
 */
export function nextStepCommands(alert: Alert, target: NextStepTarget): string[][] {
  const day = Math.floor(alert.event_time_ms / DAY_MS) * DAY_MS;
  const where = target.lakeDir === undefined ? ['--athena'] : ['--lake', target.lakeDir];
  const common = [
    ...where,
    '--instance',
    target.instance,
    '--from',
    utcDate(day - DAY_MS),
    '--to',
    utcDate(day + 2 * DAY_MS),
  ];
  const user = alert.kind === 'password_spray' ? null : alert.user_id;
  // The table's zone, for the queries' local times (UTC, their default, left out).
  const zone = target.timeZone === 'UTC' ? [] : ['--time-zone', target.timeZone];
  const commands: string[][] = [];
  if (user) {
    commands.push(['query', 'user_activity', '--param', `user_id=${user}`, ...common, ...zone]);
    for (const query of doerQueries(alert))
      commands.push([
        'query',
        query,
        '--param',
        `doer_id=${user}`,
        ...common,
        ...(ZONED.has(query) ? zone : []),
      ]);
    commands.push(['query', 'user_addresses', '--param', `user_id=${user}`, ...common, ...zone]);
  }
  const address = addressParam(alert);
  if (address) commands.push(['query', 'address_activity', '--param', address, ...common, ...zone]);
  return commands;
}

/**
 * The lines after the table, for a terminal `maxWidth` columns wide: which alert (named as the
 * table names its user), the commands (whole where they fit, else one option a line that pastes
 * as one: a command wrapped mid-word would not), and where the runbook goes on. None without
 * alerts.
 */
export function nextStepLines(
  alerts: readonly Alert[],
  target: NextStepTarget,
  maxWidth = Number.POSITIVE_INFINITY,
): string[] {
  const alert = mostSerious(alerts);
  if (alert === undefined) return [];
  const commands = nextStepCommands(alert, target);
  if (commands.length === 0) return [];
  const who =
    alert.kind === 'password_spray'
      ? 'many users'
      : columnName(alert.user_name, alert.user_id, 'user', RENDER_LIMITS.name, true);
  const at = localDateTimeWithOffset(alert.event_time_ms, target.timeZone);
  const zone = target.timeZone === 'UTC' ? ' UTC' : '';
  const said = [
    `dig further: the most serious alert is the ${KIND_LABELS[alert.kind][0]} of ${who} at ${at}${zone}; its events from the UTC day before it to the day after:`,
    ...(target.lakeDir === undefined
      ? ['(on Athena: add --workgroup and --database, the stack outputs AthenaWorkGroup and AthenaDatabase)']
      : []),
  ];
  return [
    ...said.flatMap((line) => wrapLine(line, maxWidth)),
    ...commands.flatMap((words) => pastedCommandLines(words, maxWidth)),
    ...wrapLine(`then see docs/operations.md, "${NEXT_STEPS_SECTION}"`, maxWidth),
  ];
}
