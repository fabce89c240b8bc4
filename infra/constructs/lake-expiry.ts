import { Duration } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import {
  alertsPrefix,
  alertsStatePrefix,
  reportsPrefix,
  TABLE_PREFIXES,
} from '../../functions/core/lake/layout.ts';

/** A lake prefix's top-level folder (`alerts/instance=main/` → `alerts`). */
const folderOf = (prefix: string): string => prefix.split('/')[0] as string;

/**
 * The lake's folders whose objects name people, and so end at `retention.maxDays`: the hours
 * (user names, ids, IP addresses, user agents, raw entries), their quarantined entries, the
 * coverage manifests beside them (no person in them, but an hour's manifest outliving the hour
 * would read as an hour deleted), the alert archive, the weekly reports, and the alerts' state
 * (login profile, checkpoint with its waiting alerts, user states). A running alerts function
 * rewrites its state every hour it judges one, so it never grows that old; it does when the alerts
 * stop (an instance removed, `alerts.enabled` off), and then kept every sign-in address it held
 * forever, and when no new hour reaches them for maxDays (an ingest stopped: a run with nothing to
 * judge writes nothing), which forgets the deactivations noted before (docs/alerts.md).
 * An alerts run finding it gone starts again as after a deleted checkpoint (alert-checkpoint.ts);
 * a user-states.json that no change rewrote for maxDays holds only deactivations at least that
 * old.
 *
 * Not `state/` (the checkpoint and the Domo customer binding: written once, and the ingest would
 * take a lake without its binding for a new one), nor `digest/`: the chain's links, whose loss
 * `verify` cannot tell from a deletion; they hold hashes and counts, and of people only the host
 * and OS user of each command-line run (docs/privacy.md).
 */
export const EXPIRING_FOLDERS: readonly string[] = [
  ...Object.values(TABLE_PREFIXES),
  folderOf(alertsPrefix('main')),
  folderOf(reportsPrefix('main')),
  folderOf(alertsStatePrefix('main')),
];

/** The id of the lifecycle rule that ends one of {@link EXPIRING_FOLDERS}. */
export const expiryRuleId = (folder: string): string => `expire-${folder}`;

/**
 * The lifecycle rules that end the lake's personal data `maxDays` after each object was written
 * (S3 counts from the current version's creation, so an hour re-pulled later stays that much
 * longer). On this versioned bucket an expiry only puts a delete marker on the object; the version
 * it hides becomes noncurrent and goes with the stack's noncurrent expiry, noncurrentVersionDays
 * later, once Object Lock lets it (synth keeps maxDays at least lockDays). None when maxDays is
 * null or left out: the lake is then kept forever.
 */
export function expiryRules(maxDays: number | null | undefined): s3.LifecycleRule[] {
  if (typeof maxDays !== 'number') return [];
  return EXPIRING_FOLDERS.map((folder) => ({
    id: expiryRuleId(folder),
    prefix: `${folder}/`,
    expiration: Duration.days(maxDays),
  }));
}
