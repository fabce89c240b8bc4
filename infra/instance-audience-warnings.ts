/**
 * Synth's warnings on a stack whose instances are mailed to different audiences (an MSP running
 * several customers' Domo instances, review R-MSP): where one customer's mail or data could reach
 * another's people with nothing said. Warnings, not refusals: a stack whose instances are one
 * company's may rightly send every report to one list (docs/decisions.md, 2026-12-06).
 */
import { Annotations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ExpectedRule } from '../functions/core/alerts/expected-activity.ts';
import type { ActivityLakeConfig } from './config.ts';

export const REPORT_FALLBACK_SHARED = 'domo-activity-lake:reportRecipientsFallback';
export const ALERTS_TO_ONE_INSTANCE = 'domo-activity-lake:alertsToOneInstanceAudience';
export const DOMO_CUSTOMER_UNSET = 'domo-activity-lake:domoCustomerUnset';
export const EXPECTED_IP_EVERY_INSTANCE = 'domo-activity-lake:expectedIpEveryInstance';

type Instance = ActivityLakeConfig['instances'][number];

const quoted = (names: readonly string[]): string => names.map((name) => `"${name}"`).join(', ');
const lower = (addresses: readonly string[]): string[] => addresses.map((a) => a.toLowerCase());

/** The addresses an instance's report goes to: its own, else the stack's. */
const reportAudience = (instance: Instance, config: ActivityLakeConfig): string[] =>
  lower(instance.report?.recipients ?? config.report.recipients);

/**
 * Some instances have report recipients of their own, so reports have audiences per instance, yet
 * others fall back to `report.recipients`: an instance added later without its `report` block gets
 * its report mailed to whoever that list is, perhaps another customer (review R-MSP H2).
 */
function warnOfFallbackRecipients(scope: IConstruct, config: ActivityLakeConfig): void {
  const { report, instances } = config;
  if (!report.enabled || report.recipients.length === 0) return;
  const own = instances.filter((i) => i.report?.recipients !== undefined);
  const fallback = instances.filter((i) => i.report?.recipients === undefined);
  if (own.length === 0 || fallback.length === 0) return;
  Annotations.of(scope).addWarningV2(
    REPORT_FALLBACK_SHARED,
    `the weekly report of ${quoted(fallback.map((i) => i.name))} goes to report.recipients (${report.recipients.join(', ')}), while ${quoted(own.map((i) => i.name))} have recipients of their own: if those instances are different customers, give each its own "report": { "recipients": [...] } (docs/operations.md, "Adding, changing or removing an instance"); if report.recipients is meant to get them, nothing to do.`,
  );
}

/**
 * An address that gets the alerts of every instance (alerts.recipients, alerts.email) but is the
 * report audience of some instances only: a customer's address added to get "its" alerts gets
 * every customer's (review R-MSP H3). Alerts have no per-instance recipients; the topic's
 * messages carry the instance, which a filtered subscription reads.
 */
function warnOfAlertsToOneAudience(scope: IConstruct, config: ActivityLakeConfig): void {
  const { alerts, report, instances } = config;
  if (!alerts.enabled || !report.enabled || instances.length < 2) return;
  const audiences = instances.map((i) => ({ name: i.name, to: reportAudience(i, config) }));
  const alertAddresses = [...new Set(lower([...alerts.recipients, ...alerts.email]))];
  for (const address of alertAddresses) {
    const reportsOf = audiences.filter((a) => a.to.includes(address)).map((a) => a.name);
    if (reportsOf.length === 0 || reportsOf.length === instances.length) continue;
    const others = instances.map((i) => i.name).filter((name) => !reportsOf.includes(name));
    Annotations.of(scope).addWarningV2(
      ALERTS_TO_ONE_INSTANCE,
      `alerts of every instance, ${quoted(others)} too, go to ${address} (alerts.recipients or alerts.email), which receives the weekly report of ${quoted(reportsOf)} only: the alerts name users and addresses of each instance. Alerts have no recipients per instance: if ${address} is one customer's, take it out of alerts and subscribe it to the alerts topic filtered on its instance (docs/operations.md, "Many customers in one stack").`,
    );
  }
}

/**
 * Instances mailed to audiences of their own are different customers, most likely, each of whose
 * first run binds it to whichever Domo customer its secret names: two secrets swapped bind each to
 * the other's, for good (review R-MSP H1). `domoCustomer` makes that run refuse instead.
 */
function warnOfUnsetCustomer(scope: IConstruct, config: ActivityLakeConfig): void {
  const { instances } = config;
  const own = instances.filter((i) => i.report?.recipients !== undefined);
  if (!config.report.enabled || own.length < 2) return;
  const unset = own.filter((i) => i.domoCustomer === undefined).map((i) => i.name);
  if (unset.length === 0) return;
  Annotations.of(scope).addWarningV2(
    DOMO_CUSTOMER_UNSET,
    `${quoted(unset)} have report recipients of their own but no instances[].domoCustomer: the first run of each binds it to whichever Domo customer its secret's client is for, so two secrets swapped would mail each customer the other's activity. Set each one's domoCustomer (docs/configuration.md, "Instances").`,
  );
}

/**
 * A rule of a network, no user and no instance quiets sign-ins from that network in every instance:
 * in a stack of several customers, one customer's office network quiets the others' alerts too
 * (review R-MSP L5).
 */
function warnOfIpRulesEverywhere(scope: IConstruct, rules: readonly ExpectedRule[], instances: number): void {
  if (instances < 2) return;
  for (const rule of rules) {
    if (rule.ips === undefined || rule.users !== undefined || rule.instances !== undefined) continue;
    Annotations.of(scope).addWarningV2(
      EXPECTED_IP_EVERY_INSTANCE,
      `alerts.expected rule ${rule.rule}${rule.name ? ` ("${rule.name}")` : ''} names addresses but no user and no instance: it quiets sign-ins from those addresses in every instance of the stack. If the network is one instance's (an office, a VPN), add "instance": "<its name>" to the rule.`,
    );
  }
}

/** Every warning above, for the stack `scope`. */
export function warnOfSharedAudiences(scope: IConstruct, config: ActivityLakeConfig): void {
  warnOfFallbackRecipients(scope, config);
  warnOfAlertsToOneAudience(scope, config);
  warnOfUnsetCustomer(scope, config);
  if (config.alerts.enabled) warnOfIpRulesEverywhere(scope, config.alerts.expected, config.instances.length);
}
