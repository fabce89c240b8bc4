/**
 * How the mail's reader goes from a user it names to everything that user did in the week: the
 * `user_activity` query, which takes the user's id (each user's row ends with it, row-names.ts). An
 * on-call investigator reading the mail on a phone had the name only, and no word of how to look
 * further (review R-INVEST L1). The command that runs the query is the caller's to word: only it
 * knows where the lake is and how its reader reaches it (the command line over a lake on disk, or
 * with the stack's Athena workgroup); the mail adds the id.
 */
import type { RenderLimits } from '../mail/render-limits.ts';
import { MINUTE_MS } from '../time-units.ts';
import { wallTimeOf, zoneOffsetMs } from '../zoned-time.ts';
import { oneLine } from './flat-text.ts';
import type { ReportPeriod, WeeklyReportModel } from './report-model.ts';
import { rowName } from './row-names.ts';

/** What the caller is given to word its command: the report's instance, week and zone. */
export interface ReportedWeek {
  instance: string;
  week: ReportPeriod;
  timeZone: string;
}

/**
 * The caller's command that lists a user's events of the reported week, up to the user's id, which
 * the mail appends: it ends with `user_id=`.
 */
export type UserActivityCommand = (reported: ReportedWeek) => string;

/**
 * One end of the week as a command's period bound: the local midnight with its offset
 * (`2026-11-16T00:00+01:00`), or the date alone in UTC (`2026-11-16`, read as UTC midnight).
 * The week's ends in UTC are not whole local days anywhere else.
 */
export function weekBound(utcIso: string, zone: string): string {
  const ms = Date.parse(utcIso);
  const offsetMinutes = Math.round(zoneOffsetMs(ms, zone) / MINUTE_MS);
  const wall = new Date(wallTimeOf(ms, zone)).toISOString();
  if (offsetMinutes === 0 && wall.slice(11, 16) === '00:00') return wall.slice(0, 10);
  const abs = Math.abs(offsetMinutes);
  const pad2 = (n: number): string => String(n).padStart(2, '0');
  return `${wall.slice(0, 16)}${offsetMinutes < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** The lists of users that may carry the line, in the mail's order. */
type UserList = 'suspicious' | 'failed' | 'top';

/** An id a command line can carry bare: a Domo user id is digits; anything else is not offered. */
const PLAIN_ID = /^[0-9A-Za-z_-]{1,40}$/;

/** The line under a list of users, in both parts: a sentence, and the command when there is one. */
export interface DigLine {
  sentence: string;
  command?: string;
}

/**
 * The line that says how to dig into a user, under the first list of users the mail shows a user with a plain id in
 * (suspicious logins, then failed logins, then the most active users: where an investigation
 * starts), naming that list's first such user: one line per mail, not one per row. Undefined
 * for the other lists, and when no list shows a user with an id.
 */
export function digLine(model: WeeklyReportModel, limits: RenderLimits, list: UserList): DigLine | undefined {
  const lists: [UserList, { userId: string | null; userName: string | null }[]][] = [
    ['suspicious', model.suspiciousLogins.slice(0, limits.suspiciousLogins)],
    ['failed', model.failedLogins.slice(0, limits.failedLogins)],
    ['top', model.topUsers.slice(0, limits.topList)],
  ];
  const plain = (row: { userId: string | null }): boolean => row.userId !== null && PLAIN_ID.test(row.userId);
  // A list none of whose users has a plain id gets no line: the next one does (review R-REPORTID).
  const first = lists.find(([, rows]) => rows.some(plain));
  if (!first || first[0] !== list) return undefined;
  const user = first[1].find(plain);
  if (!user?.userId) return undefined;
  // Flat, as the rows' names are: a line break in it would start a line above the command.
  const who = rowName(
    user.userName === null ? null : oneLine(user.userName),
    oneLine(user.userId),
    'user',
    limits.name,
    undefined,
    true,
  );
  if (!model.userActivityCommand) {
    return {
      sentence: `The number after a user's name is their Domo user id: the user_activity query takes it and lists everything the user did in the week (docs/queries.md).`,
    };
  }
  return {
    sentence: `The number after a user's name is their Domo user id. Everything a user did this week, here ${who}${
      model.userActivityCommandWhere ? `, ${model.userActivityCommandWhere}` : ''
    }:`,
    command: `${model.userActivityCommand}${user.userId}`,
  };
}
