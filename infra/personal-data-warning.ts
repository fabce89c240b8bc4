import { Annotations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { DEFAULT_ALERT_SETTINGS } from '../functions/core/queries/alert-settings.ts';
import { LOG_RETENTION_DAYS } from './config/retention-section.ts';
import type { ActivityLakeConfig } from './config.ts';

export const PERSONAL_DATA_KEPT_FOREVER = 'domo-activity-lake:personalDataKeptForever';
export const SHORTER_THAN_HISTORY = 'domo-activity-lake:maxDaysShorterThanHistory';
export const LOGS_OUTLIVE_LAKE = 'domo-activity-lake:logDaysOverMaxDays';

/**
 * The days the weekly report and the sign-in alerts read back: a week, the sign-in history before
 * it that a login is judged against, and a day for the week's zone and S3's lifecycle running late.
 */
export const HISTORY_READ_DAYS = 7 + DEFAULT_ALERT_SETTINGS.historyDays + 1;

/**
 * The days the sign-in alerts read back with `alerts.historyDays` set: that history before each
 * hour, up to two days of hours they evaluate again (late events, `ingest.lookbackHours` + 1 at
 * most 49), and a day for S3's lifecycle running late. None with the alerts off.
 */
const alertsReadDays = (config: ActivityLakeConfig): number =>
  config.alerts.enabled ? config.alerts.historyDays + 3 : 0;

/** What synth says the lake must keep for the history rules, and why: the longer of the two reads. */
function historyNeed(config: ActivityLakeConfig): { days: number; why: string } {
  const alerts = alertsReadDays(config);
  if (alerts > HISTORY_READ_DAYS)
    return {
      days: alerts,
      why: `the ${alerts} days the sign-in alerts read back (alerts.historyDays ${config.alerts.historyDays}, the hours evaluated again and a day)`,
    };
  return {
    days: HISTORY_READ_DAYS,
    why: `the ${HISTORY_READ_DAYS} days the weekly report and the sign-in alerts read back (a week and the ${DEFAULT_ALERT_SETTINGS.historyDays} days of sign-in history before it)`,
  };
}

/**
 * Synth's warning while nobody has said how long the lake keeps personal data: left out,
 * `retention.maxDays` keeps it forever, as every lake did before the setting (review R-PRIVACY
 * H1). Not refused: an upgrade would then fail its deploy over a decision that changes nothing
 * deployed; `null` says "forever" on purpose and silences it.
 */
export function warnOfPersonalDataKeptForever(scope: IConstruct, config: ActivityLakeConfig): void {
  const { maxDays } = config.retention;
  const need = historyNeed(config);
  if (typeof maxDays === 'number' && maxDays < need.days) {
    // Not refused: a retention policy may be that short, and the rules then judge what is left.
    Annotations.of(scope).addWarningV2(
      SHORTER_THAN_HISTORY,
      `retention.maxDays ${maxDays} is shorter than ${need.why}: their history rules (new country, new network, unusual hour) judge the weeks after the first expiry against less history, and find more first-time places. Set it to ${need.days} or more if your retention policy allows (docs/privacy.md).`,
    );
  }
  warnOfLogsOutlivingLake(scope, config);
  if (maxDays !== undefined) return;
  Annotations.of(scope).addWarningV2(
    PERSONAL_DATA_KEPT_FOREVER,
    `retention.maxDays is not set: the lake keeps the personal data it holds (user names, ids, IP addresses, alerts, reports) forever. Set it to the days your retention policy allows (at least retention.lockDays, ${config.retention.lockDays}), or to null to keep it forever on purpose (docs/privacy.md).`,
  );
}

/**
 * The functions' logs and the deletions log quote error texts (Domo's, SES's: a user name or an
 * address they named) and the expected-activity rules' reasons: kept past `maxDays`, they outlive
 * the data the lake itself ends (review PRIVACY, 2026-12-07). Not refused: an operator may keep
 * the logs longer on purpose (an investigation), and CloudWatch's values seldom equal `maxDays`.
 */
function warnOfLogsOutlivingLake(scope: IConstruct, config: ActivityLakeConfig): void {
  const { maxDays, logDays } = config.retention;
  if (typeof maxDays !== 'number' || logDays <= maxDays) return;
  const fitting = LOG_RETENTION_DAYS.filter((days) => days <= maxDays).at(-1);
  Annotations.of(scope).addWarningV2(
    LOGS_OUTLIVE_LAKE,
    `retention.logDays ${logDays} is longer than retention.maxDays ${maxDays}: the functions' logs, which may quote an error text naming a person and the expected-activity rules' reasons, outlive the personal data the lake ends. Set logDays to ${fitting ?? 1} (the longest CloudWatch value within maxDays), or keep it on purpose (docs/privacy.md).`,
  );
}
