/**
 * `evidence --alert <id>`: the bundle of one archived alert. The alert is read from the lake's
 * alerts archive (core/evidence/evidence-alert.ts: one read per day searched, a bounded list of
 * days), and gives the bundle its case (the user and the days around the alert, or the events of
 * its address, network or owner in the hours around it), its case note (the alert's line), and one more file: the archive object
 * itself, as stored, at its key under `lake/`.
 */
import { KIND_LABELS } from '../core/alerts/kind-labels.ts';
import { sprayGroupText } from '../core/alerts/spray-groups.ts';
import {
  ALERT_ID,
  ALERT_SEARCH_DAYS,
  type ArchivedAlert,
  alertAddressCase,
  alertNameCase,
  alertSearchDays,
  alertUserRefusal,
  findArchivedAlert,
} from '../core/evidence/evidence-alert.ts';
import { type BundleAlert, type BundleFile, LAKE_FOLDER } from '../core/evidence/evidence-bundle.ts';
import type { AddressCase } from '../core/evidence/evidence-hours.ts';
import { sha256Hex } from '../core/lake/digest.ts';
import { alertsPrefix, utcDate } from '../core/lake/layout.ts';
import type { ObjectStore } from '../core/ports.ts';
import { isAddressParam } from '../core/queries/address-param.ts';
import { DAY_MS } from '../core/time-units.ts';
import { parseInstant } from './options.ts';
import { UsageError } from './usage-error.ts';

/** `--alert` and `--alert-date` as given, checked before the lake is opened. */
export interface AlertAsked {
  id: string;
  /** Midnight UTC of `--alert-date`; undefined: the days before today are searched. */
  dateMs?: number;
}

/** The case options `--alert` takes the place of: the alert gives the user and the period. */
const DERIVED = ['user', 'from', 'to'] as const;

/** `--alert` and `--alert-date` checked, or undefined without `--alert`; usage errors say what to change. */
export function alertAsked(values: {
  alert?: string | undefined;
  'alert-date'?: string | undefined;
  user?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}): AlertAsked | undefined {
  const date = values['alert-date'];
  if (values.alert === undefined) {
    if (date !== undefined)
      throw new UsageError('--alert-date goes with --alert <id>: the day to find that alert in');
    return undefined;
  }
  const given = DERIVED.filter((name) => values[name] !== undefined).map((name) => `--${name}`);
  if (given.length > 0) {
    throw new UsageError(
      `--alert takes the user and the period from the alert: leave out ${given.join(' and ')} (for another period, give --user, --from and --to without --alert)`,
    );
  }
  const id = values.alert.trim().toLowerCase();
  if (!ALERT_ID.test(id)) {
    throw new UsageError(
      `--alert ${JSON.stringify(values.alert)}: an alert's id is 32 hex digits, as its mail ("alert 3f9c…") or alerts --format json gives it`,
    );
  }
  if (date === undefined) return { id };
  const dateMs = parseInstant('--alert-date', date);
  if (dateMs % DAY_MS !== 0) {
    throw new UsageError(`--alert-date ${JSON.stringify(date)}: give the alert's day alone (2026-12-02)`);
  }
  return { id, dateMs };
}

const dayRange = (days: readonly number[]): string => {
  const sorted = [...days].sort((a, b) => a - b);
  return `${utcDate(sorted[0] as number)} to ${utcDate(sorted.at(-1) as number)}`;
};

/**
 * The archived alert asked for, or an error saying where it was looked for and what to run
 * instead: another day (`--alert-date`), the archive copied from the deployed lake, or the bundle
 * made by user and period.
 */
export async function askedAlert(
  store: ObjectStore,
  instance: string,
  asked: AlertAsked,
  nowMs: number,
): Promise<ArchivedAlert> {
  const days = alertSearchDays(nowMs, asked.dateMs);
  const lookup = await findArchivedAlert(store, instance, asked.id, days);
  if (lookup.found !== undefined) return bundleable(lookup.found);
  const instead =
    "or make the bundle by user and period: --user <the alert's user id> --from <the day before the alert> --to <the day after it> (alerts --format json lists each alert's user, time and event_ids)";
  if (!lookup.archive) {
    throw new Error(
      `no alert archive in this lake for instance ${instance} (${alertsPrefix(instance)} holds nothing): only the deployed alerts function writes it (alerts on a workstation writes none), and retention.maxDays expires it; copy the alert's day from the deployed lake (aws s3 sync s3://<lake bucket>/${alertsPrefix(instance)}dt=<its UTC date>/ <lake>/${alertsPrefix(instance)}dt=<its UTC date>/), ${instead}`,
    );
  }
  const where =
    asked.dateMs === undefined
      ? `the archive of today and the ${ALERT_SEARCH_DAYS} days before (${dayRange(days)}, UTC dates of the alerts' events)`
      : `the archive of ${utcDate(asked.dateMs)} and the day either side`;
  throw new Error(
    `no alert ${asked.id} of instance ${instance} in ${where}: check the id against its mail; for an alert of an earlier day give --alert-date <the day of its event>, ${instead}`,
  );
}

/**
 * The alert, when a bundle can take its user or its address: one whose id holds white space is
 * refused as `--user` refuses it, one naming neither a user nor an address (a failure from
 * `unknown`) as no case to select by; each with the bundle of every event of its hours to make
 * instead, which hands over everyone's events, so only when asked for.
 */
function bundleable(alert: ArchivedAlert): ArchivedAlert {
  const refusal = alertUserRefusal(alert);
  if (refusal !== undefined) {
    throw new Error(
      `alert ${alert.id}: its ${refusal}; make the bundle of every event of its days instead: --from <the day before the alert> --to <the day after it>, without --user (its record: ${alert.key})`,
    );
  }
  if (alert.user_id !== null || alertNameCase(alert) !== undefined || alertAddressCase(alert) !== undefined)
    return alert;
  throw new Error(
    `alert ${alert.id}: it names neither a user nor an address (its address ${JSON.stringify(alert.ip_address)}), so its bundle has no one to select; to hand over every event of its hours (everyone's) instead: --from <3 hours before the alert's hour> --to <4 hours after it>, without --user (its record: ${alert.key})`,
  );
}

/**
 * A case by address as README.txt, the summary and the case note name it: `address 5.6.7.8`, as the
 * spray's evidence does the others (`network 178.62.10.0/24`, `network owner AS14061`, `any address,
 * under names of no user`). check.py's `described` is its twin: README.txt's What: line is checked
 * with it.
 */
export const addressText = ({ scope, group }: AddressCase): string =>
  scope === 'address' ? `address ${group}` : sprayGroupText(scope, group);

/**
 * A name of no user id as README.txt, the summary and the case note name it: as JSON, every
 * character past printable ASCII escaped (`"Zo\u00eb"`), so that no format character shows the
 * reader another name than the case holds. check.py's `name_text` is its twin (`json.dumps`).
 */
export const nameText = (name: string): string =>
  `the name ${JSON.stringify(name).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)} of no user id`;

/**
 * Why an alert's event may be no line of its bundle besides lying outside the period, as README.txt
 * and the summary say it: not the user's, not of the address case's group, or not under the name.
 * check.py's `not_of_case` is its twin.
 */
export const notOfCase = (address: AddressCase | undefined, userName?: string): string =>
  userName !== undefined
    ? `not under ${nameText(userName)}`
    : address === undefined
      ? "not the user's"
      : address.scope === 'instance'
        ? 'not under a name of no user'
        : `not from ${addressText(address)}`;

/**
 * address_activity's parameters that select every event of the address case (and maybe more:
 * core/evidence/evidence-hours.ts' rowOfAddress keeps those of its group), or undefined when none do: the query takes one
 * address, an IPv4 /24 or an owner, so an IPv6 /64 or /48 and the names of no user are no value of
 * it. Every line kept is found: a line keyed to an address holds it as an entry, one of a /24 an
 * entry in it, one of an owner its number.
 */
export function addressQueryParams(address: AddressCase): { address: string; asn: string } | undefined {
  if (address.scope === 'owner') return { address: '', asn: address.group };
  const one = address.scope === 'address' || address.scope === 'network';
  return one && isAddressParam(address.group) ? { address: address.group, asn: '' } : undefined;
}

/** What a case note may not hold (evidence-command.ts, caseNoteOf): removed from the alert's line. */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\u2028\u2029]/gu;

/** The longest case note, in characters (evidence-command.ts, CASE_NOTE_MAX). */
const NOTE_MAX = 200;

/**
 * The case note of an alert's bundle when none is given: the alert as its mail's line names it
 * (its id first, so a cut leaves it whole), one printable line of at most 200 characters.
 */
export function alertCaseNote(alert: ArchivedAlert): string {
  const label = KIND_LABELS[alert.kind as keyof typeof KIND_LABELS]?.[0] ?? alert.kind;
  const address = alert.user_id === null ? alertAddressCase(alert) : undefined;
  const name = alertNameCase(alert);
  const who =
    name !== undefined
      ? `under ${nameText(name)}`
      : alert.user_id === null
        ? `from ${address === undefined ? (alert.ip_address ?? 'an unknown address') : addressText(address)}`
        : `of ${alert.user_name === null ? '' : `${alert.user_name} `}(${alert.user_id})`;
  const line = `alert ${alert.id}: ${label} ${who} at ${alert.event_time.slice(0, 16)} UTC${alert.quieted_by === null ? '' : ' (quieted)'}`;
  const clean = line.replace(NOT_PRINTABLE, '').replace(/\s+/g, ' ').trim();
  const chars = [...clean];
  return chars.length <= NOTE_MAX ? clean : `${chars.slice(0, NOTE_MAX - 3).join('')}...`;
}

/** The archive object as the bundle holds it: its bytes, at its key under `lake/`. */
export const alertFile = (alert: ArchivedAlert): BundleFile => ({
  path: `${LAKE_FOLDER}/${alert.key}`,
  body: alert.body,
});

/** The alert as manifest.json states it, with which of its events the bundle's lines hold. */
export function bundleAlert(
  alert: ArchivedAlert,
  events: { in_bundle: number; not_in_bundle: string[] },
): BundleAlert {
  return {
    id: alert.id,
    kind: alert.kind,
    event_time: alert.event_time,
    user_id: alert.user_id,
    file: alertFile(alert).path,
    sha256: sha256Hex(alert.body),
    event_ids: alert.event_ids.length,
    event_ids_in_bundle: events.in_bundle,
    event_ids_not_in_bundle: events.not_in_bundle,
  };
}
