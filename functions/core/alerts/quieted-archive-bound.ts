/**
 * How many quieted alerts of one rule are archived: at most {@link QUIETED_ARCHIVED_PER_RULE_DAY} a
 * UTC day of take-in, counted in the alerts checkpoint (`quieted_archived`), the rest taken in and
 * counted (log, metric, run result), not archived. Bounded a run until 2026-12-05, which hourly runs
 * made 480 objects a day per rule: a flapping VPN user's 72 hours archived more with the list than
 * without it (review R-MUTE5 M1).
 */
import { createHash } from 'node:crypto';
import type { AlertCheckpoint } from './alert-checkpoint.ts';
import { type ExpectedRule, ruleInput } from './expected-activity.ts';
import type { QuietOutcome } from './quiet-alerts.ts';

export const QUIETED_ARCHIVED_PER_RULE_DAY = 20;

/** What the checkpoint keeps: the UTC day of take-in counted, and per rule how many it archived. */
interface QuietedArchived {
  day: string;
  rules: Record<string, number>;
}

/**
 * A rule by what it says, not its place: a rule inserted above another does not take over its
 * count. Rewriting a rule starts a new count (at most one more day's bound).
 */
const ruleKey = (rule: ExpectedRule): string =>
  createHash('sha256')
    .update(JSON.stringify(ruleInput(rule)))
    .digest('hex')
    .slice(0, 16);

/**
 * Marks the quieted alerts of `quiet` past their rule's bound for the UTC day of `nowMs` (in
 * `quiet.byRule`'s `unarchived`) and records the day's counts in `checkpoint`: only that day's, so
 * the checkpoint holds at most one number per rule. Returns the ids not to archive.
 */
export function boundQuietedArchive(
  checkpoint: AlertCheckpoint,
  quiet: Pick<QuietOutcome, 'quietedBy' | 'byRule'>,
  nowMs: number,
): Set<string> {
  const unarchived = new Set<string>();
  if (quiet.quietedBy.size === 0) return unarchived;
  const day = new Date(nowMs).toISOString().slice(0, 10);
  const kept = checkpoint.quieted_archived;
  const rules: Record<string, number> = kept?.day === day ? { ...kept.rules } : {};
  const past = new Map<number, number>();
  for (const [id, rule] of quiet.quietedBy) {
    const key = ruleKey(rule);
    const archived = rules[key] ?? 0;
    if (archived < QUIETED_ARCHIVED_PER_RULE_DAY) {
      rules[key] = archived + 1;
      continue;
    }
    unarchived.add(id);
    past.set(rule.rule, (past.get(rule.rule) ?? 0) + 1);
  }
  const counted: QuietedArchived = { day, rules };
  checkpoint.quieted_archived = counted;
  for (const count of quiet.byRule) {
    const n = past.get(count.rule);
    if (n === undefined) delete count.unarchived;
    else count.unarchived = n;
  }
  return unarchived;
}
