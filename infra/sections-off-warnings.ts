import { Annotations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ActivityLakeConfig } from './config.ts';

export const REPORT_SET_BUT_OFF = 'domo-activity-lake:reportSetButOff';
export const ALERTS_SET_BUT_OFF = 'domo-activity-lake:alertsSetButOff';

/** The keys of a section that say who gets mail, as given (left out, they are at their default). */
const givenKeys = (section: Record<string, unknown>, keys: readonly string[]): string[] =>
  keys.filter((key) => {
    const value = section[key];
    return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== false;
  });

/**
 * Synth's warning on a report or alerts section filled in but not enabled: without `enabled: true`
 * nothing of it is deployed, and the first sign was the mail that never came (review R-FIRST M3).
 * Not refused: the shipped cdk.json keeps `enabled: false` beside the keys, and a section turned
 * off for a while may keep its addresses.
 */
export function warnOfSectionsOff(scope: IConstruct, config: ActivityLakeConfig): void {
  const { report, alerts } = config;
  const reportKeys = givenKeys(report, ['sender', 'recipients', 'sesIdentity', 'createSesIdentity']).map(
    (key) => `report.${key}`,
  );
  // An instance's own report settings are as idle without it.
  config.instances.forEach((instance, index) => {
    if (instance.report !== undefined) reportKeys.push(`instances[${index}].report ("${instance.name}")`);
  });
  if (!report.enabled && reportKeys.length > 0) {
    Annotations.of(scope).addWarningV2(
      REPORT_SET_BUT_OFF,
      `${reportKeys.join(', ')} set but report.enabled is not true: no weekly report is deployed. Set "enabled": true in report to deploy it (README step 8).`,
    );
  }
  const alertsKeys = givenKeys(alerts, ['sender', 'recipients', 'sesIdentity', 'email', 'expected']);
  if (!alerts.enabled && alertsKeys.length > 0) {
    Annotations.of(scope).addWarningV2(
      ALERTS_SET_BUT_OFF,
      `${alertsKeys.map((key) => `alerts.${key}`).join(', ')} set but alerts.enabled is not true: no alerts are deployed. Set "enabled": true in alerts to deploy them (docs/alerts.md).`,
    );
  }
}
