/**
 * `alerts --expected <file>`: the expected-activity list as cdk.json's `alerts.expected` holds it,
 * read from a JSON file, and what a run says of it: the alerts each rule quieted (counted, not
 * listed: the function archives and does not send them), the rules past their until, and those
 * without one.
 */
import {
  type ExpectedRule,
  parseExpectedActivity,
  quietsForGood,
  ruleLabel,
} from '../core/alerts/expected-activity.ts';
import { KIND_LABELS } from '../core/alerts/render-alerts.ts';
import { appliesToInstance, assertRuleInstances } from '../core/alerts/rule-instances.ts';
import type { AlertsRunSummary } from '../core/alerts/run-alerts.ts';
import { readJsonFile } from './json-file.ts';
import { optionValue } from './options.ts';

export const EXPECTED_FLAG = '--expected';

/** The file's rules; a file that does not read, is not JSON or holds a bad rule is a usage error naming the flag. */
export function readExpectedActivityFile(path: string): ExpectedRule[] {
  return optionValue(EXPECTED_FLAG, path, (file) => parseExpectedActivity(readJsonFile(file)));
}

/**
 * The file's rules for `instance` of a lake holding `instances`: a rule naming an instance the lake
 * does not hold, or a `user` without an `instance` in a lake of several, is a usage error (as synth
 * refuses them for a stack); rules of the lake's other instances are left out, their numbers kept,
 * so that nothing is said of them for this one.
 */
export function expectedForInstance(
  { path, rules }: { path: string; rules: readonly ExpectedRule[] },
  lake: { instance: string; instances: readonly string[] },
): ExpectedRule[] {
  return optionValue(EXPECTED_FLAG, path, () => {
    assertRuleInstances(rules, {
      instances: lake.instances,
      where: 'in the lake',
      otherFix: 'or point --lake at the lake that holds it',
    });
    return rules.filter((rule) => appliesToInstance(rule, lake.instance));
  });
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `2 lockouts, 1 new country`, in the kinds' own words. */
const kindsText = (kinds: Partial<Record<string, number>>): string =>
  Object.entries(kinds)
    .map(([kind, n = 0]) => {
      const [one, many] = KIND_LABELS[kind as keyof typeof KIND_LABELS];
      return `${n} ${n === 1 ? one : many}`;
    })
    .join(', ');

/**
 * What the run says of the list: one line per rule that quieted alerts, one per rule expired, and
 * one per rule without an until (allowed, but someone should look at it again). Prefixed by the
 * caller (`warning:` on stderr beside JSON).
 */
export function expectedActivityLines(
  summary: AlertsRunSummary,
  rules: readonly ExpectedRule[],
  nowMs: number,
): string[] {
  const quieted = (summary.quieted ?? []).map(
    (q) =>
      `quieted ${plural(q.alerts, 'alert')} (${kindsText(q.kinds)}) as expected activity, not listed: ${ruleLabel(q)}, ${q.reason}`,
  );
  const expired = (summary.expiredRules ?? []).map(
    (r) =>
      `expected-activity ${ruleLabel(r)} expired at ${r.until}: it quieted nothing; remove it or give it a later until`,
  );
  const forGood = rules
    .filter((r) => r.until === undefined)
    .map((r) => `expected-activity ${ruleLabel(r)} has no until: it quiets its alerts for good`);
  const farOff = rules
    .filter((r) => r.until !== undefined && quietsForGood(r, nowMs))
    .map(
      (r) =>
        `expected-activity ${ruleLabel(r)} runs until ${r.until}, more than a year away: as good as for good`,
    );
  return [...quieted, ...expired, ...forGood, ...farOff];
}
