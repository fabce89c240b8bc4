import { resolve } from 'node:path';
import { type UserActivityCommand, weekBound } from '../core/report/dig-into-user.ts';
import { messageCommandLine } from './command-line.ts';
import type { EngineValues } from './engine-target.ts';

/**
 * The command a report written by the command line names for digging into a user
 * (core/report/dig-into-user.ts): `query user_activity` over the report's week in its zone, on the
 * engine the report ran on, up to the `user_id=` the mail completes. Run from anywhere
 * ({@link messageCommandLine}): the mail is read away from the checkout.
 */
export const userActivityCommand =
  (engineWords: readonly string[]): UserActivityCommand =>
  ({ instance, week, timeZone }) =>
    `${messageCommandLine([
      'query',
      'user_activity',
      ...engineWords,
      '--instance',
      instance,
      '--from',
      weekBound(week.startUtc, timeZone),
      '--to',
      weekBound(week.endUtc, timeZone),
      '--time-zone',
      timeZone,
    ])} --param user_id=`;

/**
 * Where a report's reader runs the query: the same Athena workgroup and database (and region, when
 * known: given, or found by the SDK), or the same lake directory, absolute, as the mail is read from anywhere.
 */
export const engineWords = (values: EngineValues, lakeDir: string | undefined): string[] =>
  values.athena
    ? [
        '--athena',
        '--workgroup',
        values.workgroup ?? '',
        '--database',
        values.database ?? '',
        ...(values.region ? ['--region', values.region] : []),
      ]
    : ['--lake', resolve(lakeDir ?? '.')];
