import { type UserActivityCommand, weekBound } from '../core/report/dig-into-user.ts';

/**
 * Where the command below runs, said before it: `npx --no` finds the command line only in a checkout of
 * the project (from elsewhere npm looks the name up in the registry: 404), and Athena takes the
 * reader's own AWS credentials (review R-REPORTID M3).
 */
export const DEPLOYED_COMMAND_WHERE =
  "run in a checkout of domo-activity-lake, with AWS credentials that may query the stack's Athena";

/**
 * The command the deployed report names for digging into a user (core/report/dig-into-user.ts):
 * the command line of the project's checkout, `query user_activity` on this stack's Athena
 * workgroup and database (and region), over the report's week in its zone, up to the
 * `user_id=` the mail completes. `npx --no`: the package is not published, and npx must not fetch
 * whatever the registry serves under its name (cli/command-line.ts). No word needs quoting for a
 * shell: workgroup, database, instance, zone and region names are checked to plain characters by
 * the deploy configuration, and the week's bounds are digits and `T:+-`.
 */
export const deployedUserActivityCommand =
  (athena: { workGroup: string; database: string; region: string | undefined }): UserActivityCommand =>
  ({ instance, week, timeZone }) =>
    [
      'npx --no domo-activity-lake query user_activity --athena',
      `--workgroup ${athena.workGroup} --database ${athena.database}`,
      ...(athena.region ? [`--region ${athena.region}`] : []),
      `--instance ${instance}`,
      `--from ${weekBound(week.startUtc, timeZone)} --to ${weekBound(week.endUtc, timeZone)}`,
      `--time-zone ${timeZone} --param user_id=`,
    ].join(' ');
