/**
 * `ingest`: the ingest function's schedule, limits and sizing, and the checks between them that
 * keep scheduled runs from idling or piling up.
 */
import * as z from 'zod';
import {
  DEFAULT_DOC_TIME_ZONE,
  defaultRepullAfterHours,
  ingestSettingFields,
  repullProblem,
} from '../../functions/core/ingest/ingest-settings.ts';
import { thisYear } from '../schedule-gaps.ts';
import { categoryRules } from './category-rules.ts';
import { neverFiresAgainProblem } from './never-fires-again.ts';
import { minutesText, type RunGaps, runGaps } from './run-gaps.ts';
import { scheduleExpression } from './schedule-field.ts';
import { timeZone } from './time-zone-field.ts';
import { wholeNumber } from './whole-numbers.ts';

const MIN_BUDGET_MARGIN_SECONDS = 10;

export const ingestFields = z.strictObject({
  schedule: scheduleExpression('rate(15 minutes)').default('rate(15 minutes)'),
  // The limits and defaults every entry point shares (functions/core/ingest/ingest-settings.ts).
  ...ingestSettingFields(),
  docTimeZone: timeZone.default(DEFAULT_DOC_TIME_ZONE),
  categoryRules,
  timeoutMinutes: wholeNumber(1, 15, 10).default(10),
  memoryMb: wholeNumber(256, 10240, 1024).default(1024),
  budgetMarginSeconds: wholeNumber(MIN_BUDGET_MARGIN_SECONDS, 300, 60).default(60),
});

/** The ingest section as written, with `repullAfterHours` filled in by the lookback when left out. */
function withRepullDefault(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const { repullAfterHours, lookbackHours } = raw as Record<string, unknown>;
  if (repullAfterHours !== undefined || typeof lookbackHours !== 'number') return raw;
  return { ...raw, repullAfterHours: defaultRepullAfterHours(lookbackHours) };
}

/** The ingest section; `fromYear` is the year its schedule is read from (see `thisYear` in infra/schedule-gaps.ts). */
export const ingestSchema = (today: Date) =>
  z.preprocess(withRepullDefault, ingestFields).superRefine((ingest, ctx) => {
    const fromYear = thisYear(today);
    const repull = repullProblem(ingest, 'ingest.lookbackHours');
    if (repull !== undefined) ctx.addIssue({ code: 'custom', path: ['repullAfterHours'], message: repull });
    const timeout = ingest.timeoutMinutes;
    // Cross-checks only between values that are valid on their own; bad ones have their own message.
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > 15) return;
    const margin = ingest.budgetMarginSeconds;
    if (ingestFields.shape.budgetMarginSeconds.safeParse(margin).success && margin * 2 >= timeout * 60) {
      ctx.addIssue({
        code: 'custom',
        path: ['budgetMarginSeconds'],
        message: `must be less than half the function timeout (ingest.timeoutMinutes ${timeout} = ${timeout * 60} s): a run stops starting hours once less than the margin is left, so it would spend at least half its time idle or pull nothing at all. Set it to ${timeout * 30 - 1} or less, or raise ingest.timeoutMinutes`,
      });
    }
    const lost = 'no ingest run starts again and the lake stops filling';
    const never = neverFiresAgainProblem(ingest.schedule, today, lost);
    if (never !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['schedule'], message: never });
      return;
    }
    // A cron is held to its closest two firings, wherever in the day or week they fall.
    const gaps = runGaps(ingest.schedule, fromYear);
    if (gaps !== undefined && gaps.minMinutes < timeout) {
      ctx.addIssue({ code: 'custom', path: ['schedule'], message: pileUpProblem(gaps, timeout, margin) });
    }
  });

/** Why runs closer together than the timeout pile up, and how to space them. */
function pileUpProblem(gaps: RunGaps, timeout: number, margin: number): string {
  const interval = gaps.minMinutes;
  const often = gaps.rate
    ? `runs every ${minutesText(interval)}, more often than a run may last`
    : `fires as little as ${minutesText(interval)} apart, less than a run may last`;
  const cron = gaps.rate
    ? ''
    : `, or a cron whose firings are all at least ${timeout} minutes apart (the last firing of an hour or a day and the first of the next too)`;
  return `${often} (ingest.timeoutMinutes ${timeout}): runs that use all their time (every backfill run does) would pile up behind each other (one at a time per instance), and invocations left waiting over an hour go to the failure queue and fire its alarm. Use "rate(${timeout} minutes)" or longer${cron}${shorterTimeoutAdvice(interval, margin)}`;
}

/**
 * The other fix for a schedule faster than the timeout: a timeout as short as the interval, only
 * when that passes the margin rule too (less than half the timeout), lowering the margin if needed.
 */
function shorterTimeoutAdvice(interval: number, margin: number): string {
  const maxMargin = interval * 30 - 1;
  if (margin <= maxMargin) return `, or lower ingest.timeoutMinutes to ${interval}`;
  if (maxMargin < MIN_BUDGET_MARGIN_SECONDS) return '';
  return `, or lower ingest.timeoutMinutes to ${interval} and ingest.budgetMarginSeconds to ${maxMargin} or less`;
}
