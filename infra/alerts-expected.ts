/**
 * `alerts.expected` of cdk.json: the expected-activity list (docs/alerts.md, "Expected activity"),
 * checked at synth with the parser the function uses, so a bad rule fails the synth instead of
 * every alerts run, and warned of where a security team would want a second look.
 */
import { Annotations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import * as z from 'zod';
import { expectedVariable } from '../functions/alerts/config.ts';
import {
  type ExpectedRule,
  parseExpectedActivity,
  quietsForGood,
  ruleLabel,
} from '../functions/core/alerts/expected-activity.ts';
import { assertRuleInstances, STACK_SCOPE_WORDS } from '../functions/core/alerts/rule-instances.ts';
import { errorMessage } from '../functions/core/error-message.ts';

/**
 * The list's JSON, as each instance's alerts function's environment carries it
 * ({@link expectedVariable}), travels there; Lambda caps that environment at 4 KB for all its
 * variables together; the others take about 1 KB (the mail recipients are in a layer, not there:
 * alerts-recipients-layer.ts). The whole is checked at synth too (function-environment-size.ts).
 */
export const MAX_EXPECTED_BYTES = 1800;

export const EXPECTED_NO_UNTIL = 'domo-activity-lake:alertsExpectedWithoutUntil';
export const EXPECTED_FAR_UNTIL = 'domo-activity-lake:alertsExpectedFarUntil';
export const EXPECTED_EXPIRED = 'domo-activity-lake:alertsExpectedExpired';

/** The zod field: the rules as written, checked and parsed; none when left out. */
export const expectedActivity = z
  .unknown()
  .optional()
  .transform((value, ctx): ExpectedRule[] => {
    if (value === undefined) return [];
    try {
      // Its size is capped with the stack's instances known (expectedInstancesProblem).
      return parseExpectedActivity(value);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `${errorMessage(error)} (see docs/alerts.md, "Expected activity")`,
      });
      return z.NEVER;
    }
  });

/**
 * Why the list cannot be judged for the stack's `instances` (cdk.json `instances[].name`): a rule
 * naming an instance not among them, or a `user` without an `instance` in a stack of several
 * (rule-instances.ts); or, once it can, why it does not fit the environment of the instance's
 * function that carries the most of it. Undefined when it can and fits.
 */
export function expectedInstancesProblem(
  rules: readonly ExpectedRule[],
  instances: readonly string[],
): string | undefined {
  try {
    assertRuleInstances(rules, { instances, ...STACK_SCOPE_WORDS });
  } catch (error) {
    return `${errorMessage(error)} (see docs/alerts.md, "Expected activity")`;
  }
  return expectedSizeProblem(rules, instances);
}

/**
 * The cap, on what each instance's function carries ({@link expectedVariable}: its rules, each value
 * as a list, others' places as null), not on the whole list: a stack of 20 instances with a rule
 * each carries one rule to each function. The largest is measured; it is the one that could not
 * deploy.
 */
function expectedSizeProblem(
  rules: readonly ExpectedRule[],
  instances: readonly string[],
): string | undefined {
  let largest = { instance: '', bytes: 0 };
  for (const instance of instances) {
    const bytes = Buffer.byteLength(expectedVariable(rules, instance), 'utf8');
    if (bytes > largest.bytes) largest = { instance, bytes };
  }
  if (largest.bytes <= MAX_EXPECTED_BYTES) return undefined;
  const whose =
    instances.length === 1
      ? '(each value as a list)'
      : `for instance "${largest.instance}" (its rules only, each value as a list; the most any of the ${instances.length} instances' functions carries)`;
  const narrow =
    instances.length === 1
      ? ''
      : `, or give "instance" to rules that need not apply to "${largest.instance}"`;
  return `is ${largest.bytes} bytes as the alerts function's environment carries it ${whose}; that environment (4 KB for all its variables) takes at most ${MAX_EXPECTED_BYTES} of it: give a rule several values (a list) or a wider network instead of more rules, or shorten the reasons${narrow}`;
}

/**
 * Synth's warnings on the list: a rule without `until` (allowed, but expected activity rarely stays
 * expected for good: an expiry makes someone look again) and one already past it (it quiets
 * nothing; the function reports it each run until removed).
 */
export function warnOfExpected(scope: IConstruct, rules: readonly ExpectedRule[], nowMs: number): void {
  for (const rule of rules) {
    if (rule.untilMs !== undefined && quietsForGood(rule, nowMs)) {
      Annotations.of(scope).addWarningV2(
        EXPECTED_FAR_UNTIL,
        `alerts.expected ${ruleLabel(rule)} runs until ${rule.until}, more than a year away: as good as for good. Give it a nearer until so that someone looks at it again, unless the activity is expected that long.`,
      );
    } else if (rule.untilMs === undefined) {
      Annotations.of(scope).addWarningV2(
        EXPECTED_NO_UNTIL,
        `alerts.expected ${ruleLabel(rule)} has no "until": it quiets its alerts for good. Give it an until (e.g. "until": "2027-03-31") so that someone looks at it again, unless the activity is expected for as long as the rule stands.`,
      );
    } else if (rule.untilMs < nowMs) {
      Annotations.of(scope).addWarningV2(
        EXPECTED_EXPIRED,
        `alerts.expected ${ruleLabel(rule)} expired at ${rule.until}: it quiets nothing, and the alerts function warns of it every run. Remove it, or give it a later until if the activity is still expected.`,
      );
    }
  }
}
