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
import { KIND_LABELS } from '../core/alerts/kind-labels.ts';
import {
  appliesToInstance,
  REMOVE_FROM_RULE,
  ruleInstancesProblem,
  STACK_SCOPE_WORDS,
} from '../core/alerts/rule-instances.ts';
import type { AlertsRunSummary } from '../core/alerts/run-alerts.ts';
import { readCheckpoint } from '../core/lake/checkpoint.ts';
import { readJsonFile } from './json-file.ts';
import type { LakeTarget } from './lake-target.ts';
import { optionValue } from './options.ts';
import { UsageError } from './usage-error.ts';

export const EXPECTED_FLAG = '--expected';

/** What `--expected` gave: the rules, and the stack's instances when the file is cdk.json. */
interface ExpectedFile {
  path: string;
  rules: ExpectedRule[];
  /** cdk.json's `instances[].name`; undefined for a bare list, judged against the lake's. */
  stackInstances?: string[];
}

/**
 * The file's rules: a bare list, or the project's cdk.json, whose `alerts.expected` is the list and
 * whose `instances` are what synth judges its `instance` keys against. A file that does not read,
 * is not JSON or holds a bad rule is a usage error naming the flag.
 */
export function readExpectedActivityFile(path: string): ExpectedFile {
  return optionValue(EXPECTED_FLAG, path, (file) => ({ path, ...expectedOfJson(readJsonFile(file)) }));
}

function expectedOfJson(json: unknown): Omit<ExpectedFile, 'path'> {
  const config = (json as { context?: { activityLake?: unknown } } | null)?.context?.activityLake;
  if (Array.isArray(json) || config === null || typeof config !== 'object') {
    return { rules: parseExpectedActivity(json) };
  }
  const { alerts, instances } = config as { alerts?: { expected?: unknown }; instances?: unknown };
  const names = Array.isArray(instances) ? instances.map((i) => (i as { name?: unknown } | null)?.name) : [];
  if (names.length === 0 || !names.every((name): name is string => typeof name === 'string')) {
    throw new Error(
      'is a cdk.json whose context.activityLake.instances names no instance: cdk synth says why',
    );
  }
  return { rules: parseExpectedActivity(alerts?.expected ?? []), stackInstances: names };
}

/** The rules the command applies, and what it says of the others. */
interface ExpectedForInstance {
  rules: ExpectedRule[];
  /** Rules naming an instance the lake does not hold (a bare list only). */
  warnings: string[];
}

/**
 * The file's rules (none without the flag) for `lake.instance`, judged as synth judges them when the file is cdk.json (its
 * instances, not the lake's: a lake keeps a removed instance's folders, and lacks one not yet
 * ingested). A bare list is judged against the lake: a name it does not hold is warned of (the
 * stack may have it), and a `user` without an `instance` is refused only when several instances
 * hold data after `sinceMs`. Rules of other instances are left out, their numbers kept, so that
 * nothing is said of them for this one.
 */
export async function expectedForInstance(
  file: ExpectedFile | undefined,
  lake: Pick<LakeTarget, 'instance' | 'instances' | 'store'>,
  sinceMs: number | undefined,
): Promise<ExpectedForInstance | undefined> {
  if (file === undefined) return undefined;
  const { rules } = file;
  const refuse = (problem: string | undefined, note = ''): void => {
    if (problem !== undefined)
      throw new UsageError(`${EXPECTED_FLAG} ${JSON.stringify(file.path)}: ${problem}${note}`);
  };
  const forThis = rules.filter((rule) => appliesToInstance(rule, lake.instance));
  if (file.stackInstances !== undefined) {
    refuse(ruleInstancesProblem(rules, { instances: file.stackInstances, ...STACK_SCOPE_WORDS }));
    return { rules: forThis, warnings: [] };
  }
  const named = ruleInstancesProblem(
    rules.filter((rule) => rule.instances !== undefined),
    { instances: lake.instances, where: 'in the lake', otherFix: NOT_IN_LAKE_FIX },
  );
  const ofNoInstance = rules.filter((rule) => rule.instances === undefined);
  if (ofNoInstance.some((rule) => rule.users !== undefined) && lake.instances.length > 1) {
    const withData = await instancesWithDataAfter(lake, sinceMs);
    const where =
      sinceMs === undefined
        ? 'in the lake'
        : `in the lake with data after ${new Date(sinceMs).toISOString()}`;
    refuse(ruleInstancesProblem(ofNoInstance, { instances: withData, where, otherFix: '' }), LAKE_NOTE);
  }
  return { rules: forThis, warnings: named === undefined ? [] : [named] };
}

const NOT_IN_LAKE_FIX = `${REMOVE_FROM_RULE}, or give the project's cdk.json as ${EXPECTED_FLAG} if it is an instance of the stack the lake holds no data of yet: here, it quiets nothing`;

const LAKE_NOTE = ` (judged against the instances the lake holds data of: give the project's cdk.json as ${EXPECTED_FLAG} to judge the list against the stack's instances, as synth does)`;

/**
 * The lake's instances with an ingest checkpoint past `sinceMs` (any, without it), and `lake.instance`
 * whatever its checkpoint: the ones whose user ids a rule of no instance could be meant for in the
 * hours asked. A removed instance keeps its folders and its last checkpoint in the lake.
 */
async function instancesWithDataAfter(
  lake: Pick<LakeTarget, 'instance' | 'instances' | 'store'>,
  sinceMs: number | undefined,
): Promise<string[]> {
  const held = await Promise.all(
    lake.instances.map(async (instance) => {
      if (instance === lake.instance) return true;
      // A checkpoint that does not read is counted as data: refusing is the safe side.
      const read = await readCheckpoint(lake.store, instance).catch(() => 'unread' as const);
      if (read === 'unread') return true;
      return read !== undefined && (sinceMs === undefined || read.checkpoint.watermark_ms > sinceMs);
    }),
  );
  return lake.instances.filter((_, i) => held[i]);
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
 * What the run says of the list: one line per rule that quieted alerts, one per rule that matched
 * alerts made acting as other users it may not quiet (sent), one per rule expired, and
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
  const refused = (summary.actingAsOthers ?? []).map(
    (q) =>
      `${ruleLabel(q)} matched ${plural(q.alerts, 'alert')} (${kindsText(q.kinds)}) made acting as other users: sent, no rule quiets those`,
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
  return [...quieted, ...refused, ...expired, ...forGood, ...farOff];
}
