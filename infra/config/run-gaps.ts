/**
 * The time between two runs of an EventBridge Scheduler expression, rate or cron: the ingest checks
 * and the stack's alarm windows are sized from it.
 */
import { type CronGaps, cronGaps, thisYear } from '../schedule-gaps.ts';

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const RATE_UNIT_MINUTES: Record<string, number> = { minute: 1, hour: 60, day: 1440 };

/**
 * Minutes between two runs of a valid `rate(...)` expression (singular unit exactly when the amount
 * is 1, as Scheduler requires); undefined for `cron(...)` or anything invalid.
 */
export function rateMinutes(expression: string): number | undefined {
  const match = RATE.exec(expression);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = match[2] ?? '';
  const singular = !unit.endsWith('s');
  if (amount < 1 || singular !== (amount === 1)) return undefined;
  return amount * (RATE_UNIT_MINUTES[unit.replace(/s$/, '')] ?? Number.NaN);
}

/** `1` → `"1 minute"`, `90` → `"90 minutes"`, `120` → `"2 hours"`: how a rate reads in a message. */
export const minutesText = (minutes: number): string => {
  const [amount, unit] = minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
};

export type RunGaps = CronGaps & { rate: boolean };

/**
 * The smallest and largest time between two consecutive runs of a valid schedule, in minutes: a
 * rate's interval both ways, or a cron's gaps from `cronGaps` (infra/schedule-gaps.ts, which says
 * how days the cron skips are bounded, its year field read from `fromYear`). Undefined when the
 * schedule is not valid.
 */
export function runGaps(schedule: unknown, fromYear: number): RunGaps | undefined {
  if (typeof schedule !== 'string') return undefined;
  const interval = rateMinutes(schedule);
  if (interval !== undefined)
    return { minMinutes: interval, maxMinutes: interval, skippedBy: [], rate: true };
  const gaps = cronGaps(schedule, fromYear);
  return gaps && { ...gaps, rate: false };
}

/**
 * The longest time, in minutes, between the ends of two consecutive scheduled ingest runs: the
 * schedule's longest gap between firings plus the function timeout (a run ends up to the timeout
 * after it starts). Every run that plans reports LagSeconds as it ends, so a window this long holds
 * at least one report while the schedule runs. Only for a schedule that has passed validation,
 * whose gap plus timeout is then at most alarms.noSuccessfulRunHours (24 hours at most), read
 * from the year the validation read it from (`fromYear`, the year of its "now").
 */
export function longestRunEndGapMinutes(
  ingest: { schedule: string; timeoutMinutes: number },
  fromYear: number = thisYear(),
): number {
  const gaps = runGaps(ingest.schedule, fromYear);
  if (gaps === undefined) {
    throw new Error(
      `ingest.schedule ${JSON.stringify(ingest.schedule)} is not a rate or cron expression; validate the config with parseActivityLakeConfig first`,
    );
  }
  return gaps.maxMinutes + ingest.timeoutMinutes;
}
