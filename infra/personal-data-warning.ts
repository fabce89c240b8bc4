import { Annotations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ActivityLakeConfig } from './config.ts';

export const PERSONAL_DATA_KEPT_FOREVER = 'domo-activity-lake:personalDataKeptForever';

/**
 * Synth's warning while nobody has said how long the lake keeps personal data: left out,
 * `retention.maxDays` keeps it forever, as every lake did before the setting (review R-PRIVACY
 * H1). Not refused: an upgrade would then fail its deploy over a decision that changes nothing
 * deployed; `null` says "forever" on purpose and silences it.
 */
export function warnOfPersonalDataKeptForever(scope: IConstruct, config: ActivityLakeConfig): void {
  if (config.retention.maxDays !== undefined) return;
  Annotations.of(scope).addWarningV2(
    PERSONAL_DATA_KEPT_FOREVER,
    `retention.maxDays is not set: the lake keeps the personal data it holds (user names, ids, IP addresses, alerts, reports) forever. Set it to the days your retention policy allows (at least retention.lockDays, ${config.retention.lockDays}), or to null to keep it forever on purpose (docs/privacy.md).`,
  );
}
