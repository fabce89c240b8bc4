import { firesFrom, lastYearOf, parseCron, thisYear } from '../schedule-gaps.ts';

/**
 * Why a schedule whose year field names only past years is refused (`cron(0 7 ? * MON 2020-2025)`),
 * or undefined when it names this year or a later one: EventBridge Scheduler takes it and never
 * fires it again, so nothing runs, fails or mails; `lost` says what stops.
 */
export function neverFiresAgainProblem(schedule: string, today: Date, lost: string): string | undefined {
  const fromYear = thisYear(today);
  // Parsed once: its last year, whether it fires again and the fields the message shows all read it.
  const cron = parseCron(schedule);
  if (cron === undefined || firesFrom(cron, today)) return undefined;
  const last = lastYearOf(cron);
  const { minutes, hours, dayOfMonth, month, dayOfWeek, year } = cron;
  const why =
    last < fromYear
      ? `year field "${year}" names no year from ${fromYear} on, the last is ${last}`
      : `its last firing day of ${last}, the last year its year field "${year}" names, is past`;
  return `never fires again (${why}): EventBridge Scheduler accepts it but runs it no more, so ${lost}. Name ${last < fromYear ? 'this year or later' : 'a later year'} in the year field, or "*" for every year, e.g. "cron(${[minutes, hours, dayOfMonth, month, dayOfWeek].join(' ')} *)"`;
}
