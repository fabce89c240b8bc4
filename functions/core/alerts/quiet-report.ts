/**
 * What a run says of the expected-activity list: the alerts each rule quieted (never silently: the
 * log names the rule and its reason, and the metric counts them), and every rule past its `until`,
 * each run until it is removed or renewed, so an expired rule is not mistaken for one in force.
 * A rule's quieted alerts past the archive bound are said here, counted: the archive lacks them.
 * So are the alerts a rule matches but may not quiet, made acting as other users (a bulk export):
 * sent, with the rule that would have quieted them, whose author otherwise sees them arrive
 * without knowing why.
 */
import type { Log, MetricSink } from '../ports.ts';
import { ALERT_METRICS } from './alert-metrics.ts';
import type { QuietOutcome } from './quiet-alerts.ts';

export function reportQuiet(
  report: { log: Log; metrics: MetricSink; instance: string },
  quiet: Pick<QuietOutcome, 'byRule' | 'actingAsOthers' | 'expired'>,
): void {
  const { log, instance } = report;
  let total = 0;
  for (const rule of quiet.byRule) {
    total += rule.alerts;
    log.info('alerts quieted by the expected-activity list: archived, not sent', { instance, ...rule });
    if (rule.unarchived !== undefined) {
      log.warn('alerts quieted by the expected-activity list past the archive bound: counted, not archived', {
        instance,
        rule: rule.rule,
        ...(rule.name === undefined ? {} : { name: rule.name }),
        reason: rule.reason,
        archived: rule.alerts - rule.unarchived,
        unarchived: rule.unarchived,
        fix: 'narrow the rule (its user, kind or ip) or fix what raises the alerts so often',
      });
    }
  }
  if (total > 0) report.metrics.count(ALERT_METRICS.quieted, total);
  for (const rule of quiet.actingAsOthers) {
    log.warn('alerts an expected-activity rule matches made acting as other users: sent, never quieted', {
      instance,
      ...rule,
      fix: 'let the job export as its own account: no rule quiets what one user did as others',
    });
  }
  for (const rule of quiet.expired) {
    log.warn('expected-activity rule expired: it quiets nothing now, its alerts are sent', {
      instance,
      ...rule,
      fix: 'remove the rule, or give it a later until if the activity is still expected',
    });
  }
}
