import { Annotations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ActivityLakeConfig } from './config.ts';
import { isoDaysFired, parseCron } from './schedule-gaps.ts';

export const SCHEDULE_NUMBERED_WEEKDAY = 'domo-activity-lake:scheduleNumberedWeekday';

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

/**
 * The day-of-week field with its day numbers as names (`1` → `SUN`, `2-6` → `MON-FRI`), or
 * undefined when it names no day by number or uses a form (`6L`, `2#1`) whose number is no day.
 */
function namedDays(field: string): string | undefined {
  if (!/\d/.test(field) || /[L#W]/i.test(field)) return undefined;
  // A step (`*/2`, `1/3`) counts days, not names one.
  return field.replace(/(^|[,-])([1-7])(?=$|[,\-/])/g, (_, before: string, day: string) => {
    return `${before}${DAY_NAMES[Number(day) - 1]}`;
  });
}

/**
 * Synth's note on a schedule that names weekdays by number: EventBridge counts 1 as Sunday, where
 * ISO and most people count 1 as Monday, so `cron(0 7 ? * 1 *)` meant for Mondays mails on
 * Sundays, silently (review R-FIRST L8). The note says which days it runs on, by name.
 */
export function noteNumberedWeekdays(scope: IConstruct, config: ActivityLakeConfig): void {
  const { correctionSchedule, enabled } = config.report;
  const schedules: [string, string, boolean][] = [
    ['ingest.schedule', config.ingest.schedule, true],
    ['report.schedule', config.report.schedule, enabled],
    // A corrections run on weekdays, "1-5", would fire Sunday to Thursday (review R2CORR).
    ...(correctionSchedule === null
      ? []
      : [['report.correctionSchedule', correctionSchedule, enabled] as [string, string, boolean]]),
  ];
  for (const [key, schedule, deployed] of schedules) {
    const cron = deployed ? parseCron(schedule) : undefined;
    const named = cron && namedDays(cron.dayOfWeek);
    // Every day named is every day meant, whichever is 1: so is any ingest schedule synth takes,
    // one skipping days being refused (review R-CONFIG2 L5).
    if (cron === undefined || named === undefined || isoDaysFired(cron.dayOfWeek).length === 7) continue;
    const { minutes, hours, dayOfMonth, month, dayOfWeek, year } = cron;
    Annotations.of(scope).addWarningV2(
      SCHEDULE_NUMBERED_WEEKDAY,
      `${key} "${schedule}" names its days by number, "${dayOfWeek}", which EventBridge reads as ${named} (1 is Sunday, 7 Saturday). If that is meant, write the names to make it plain: "cron(${[minutes, hours, dayOfMonth, month, named, year].join(' ')})"; for Monday, write MON.`,
    );
  }
}
