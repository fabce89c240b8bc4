/**
 * What the `alerts` table says after its list: the catalog queries that take its most serious
 * alert to the events around it, ready to paste. The mail digs further with one SQL over every
 * alerted user's events of four days; on the terminal the responder needs the queries
 * docs/operations.md's runbook goes on with, for the one alert to look at first, with the user's id,
 * the address and the days filled in (review ALERTIR: the table printed the message's path and
 * nothing else, and the user's id and the address had to be copied out of the evidence by hand).
 * Which queries, with which values, core/alerts/next-steps.ts chooses, for the message's next
 * steps too (its saved queries, or a local run's these commands): here they become words.
 */
import type { Alert } from '../core/alerts/alert.ts';
import { mostSerious } from '../core/alerts/dig-seriousness.ts';
import { KIND_LABELS } from '../core/alerts/kind-labels.ts';
import { localDateTimeWithOffset } from '../core/alerts/local-time.ts';
import {
  NEXT_STEPS_SECTION,
  type NextSteps,
  nextStepsOf,
  type SignInJudging,
} from '../core/alerts/next-steps.ts';
import { utcDate } from '../core/lake/layout.ts';
import { RENDER_LIMITS } from '../core/mail/render-limits.ts';
import { columnName } from '../core/report/text-names.ts';
import { pastedCommandLines } from './pasted-command.ts';
import { wrapLine } from './terminal-table.ts';

/** Where the queries run: a lake on disk (its directory), or Athena for a lake in S3. */
export interface NextStepTarget {
  /** The lake directory, absolute; undefined for a lake in S3 (the queries then run on Athena). */
  lakeDir: string | undefined;
  instance: string;
  /** The zone the table's times are in: user_activity's `local_time` then reads as they do. */
  timeZone: string;
  /** What the run's sign-in alerts were judged by: suspicious_logins takes those not its defaults. */
  judging?: SignInJudging;
}

/**
 * The words of the `query` commands of `steps` (core/alerts/next-steps.ts chooses them, as it
 * does the message's): each query's values as `--param`, its zone as `--time-zone` (UTC, the
 * default, left out), over the steps' UTC days.
 */
export function stepCommands(steps: NextSteps, target: Omit<NextStepTarget, 'timeZone'>): string[][] {
  const where = target.lakeDir === undefined ? ['--athena'] : ['--lake', target.lakeDir];
  const common = [
    ...where,
    '--instance',
    target.instance,
    '--from',
    utcDate(steps.fromMs),
    '--to',
    utcDate(steps.toMs),
  ];
  return steps.queries.map((query) => {
    const zone = query.params.find(([name]) => name === 'time_zone')?.[1] ?? 'UTC';
    const params = query.params
      .filter(([name]) => name !== 'time_zone')
      .flatMap(([name, value]) => ['--param', `${name}=${value}`]);
    return ['query', query.name, ...params, ...common, ...(zone === 'UTC' ? [] : ['--time-zone', zone])];
  });
}

/** The words of the `query` commands for `alert`, its times read in the table's zone, judged as the run's. */
export const nextStepCommands = (alert: Alert, target: NextStepTarget): string[][] =>
  stepCommands(nextStepsOf(alert, target.timeZone, target.judging), target);

/**
 * The lines after the table, for a terminal `maxWidth` columns wide: which alert (named as the
 * table names its user), the commands (whole where they fit, else one option a line that pastes
 * as one: a command wrapped mid-word would not), and where the runbook goes on. None without
 * alerts.
 */
export function nextStepLines(
  alerts: readonly Alert[],
  target: NextStepTarget,
  maxWidth = Number.POSITIVE_INFINITY,
): string[] {
  const alert = mostSerious(alerts);
  if (alert === undefined) return [];
  const commands = nextStepCommands(alert, target);
  if (commands.length === 0) return [];
  const who =
    alert.kind === 'password_spray'
      ? 'many users'
      : columnName(alert.user_name, alert.user_id, 'user', RENDER_LIMITS.name, true);
  const at = localDateTimeWithOffset(alert.event_time_ms, target.timeZone);
  const zone = target.timeZone === 'UTC' ? ' UTC' : '';
  const said = [
    `dig further: the most serious alert is the ${KIND_LABELS[alert.kind][0]} of ${who} at ${at}${zone}; its events from the UTC day before it to the day after:`,
    ...(target.lakeDir === undefined
      ? ['(on Athena: add --workgroup and --database, the stack outputs AthenaWorkGroup and AthenaDatabase)']
      : []),
  ];
  return [
    ...said.flatMap((line) => wrapLine(line, maxWidth)),
    ...commands.flatMap((words) => pastedCommandLines(words, maxWidth)),
    ...wrapLine(`then see docs/operations.md, "${NEXT_STEPS_SECTION}"`, maxWidth),
  ];
}
