/**
 * The weekly report must run only once the ingest has the week's last hour: it claims a week on its
 * first run after the week ends and never sends it again, so a run too early mails it partial for
 * good. These checks hold report.schedule against the ingest schedule, in every zone a report uses.
 */
import type * as z from 'zod';
import { acceptsSetting } from '../../functions/core/ingest/ingest-settings.ts';
import { MINUTE_MS } from '../../functions/core/time-units.ts';
import { canonicalTimeZone } from '../../functions/core/zoned-time.ts';
import { scheduleExpressionProblem } from '../schedule-expression.ts';
import {
  cronWeekFiringMinutes,
  cronWeekStartMinutes,
  SCHEDULER_START_SLACK_MINUTES,
} from '../schedule-gaps.ts';
import type { ConfigFields } from './config-fields.ts';
import { inEffect } from './given-value.ts';
import { ingestFields } from './ingest-section.ts';
import { DEFAULT_REPORT_SCHEDULE, DEFAULT_REPORT_WEEK_START_MINUTES } from './report-schedule-default.ts';
import { minutesText, runGaps } from './run-gaps.ts';
import { shortestLeadMinutes, weekClaims, weekEndHourRestMinutes, weekNeverReported } from './week-claims.ts';

const ISO_DAY_NAMES = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;

/**
 * The weekly report claims the last full week on its first run after the week ends, and never
 * sends that week again (docs/report.md, "Sending exactly once"). So that run must come once the
 * ingest has pulled the week's last hour: that hour ends (a zone's half hour later, see
 * `weekEndHourRestMinutes`), settles for settleMinutes, waits up to the ingest schedule's longest
 * gap for a run, and is in the lake once that run ends, up to the ingest timeout (and Scheduler's
 * start slack) later. A rate
 * runs at times set by the deploy, so its first run of a week may come at any moment.
 */
export function checkReportAfterIngest(config: ConfigFields, fromYear: number, ctx: z.RefinementCtx): void {
  const { report } = config;
  if (!report.enabled || canonicalTimeZone(report.timeZone) !== report.timeZone) return;
  const wait = ingestWaitMinutes(config, fromYear);
  if (wait === undefined) return;
  checkInstanceZonesAfterIngest(config, wait, ctx);
  checkFiringsBeforeWeekEnd(config, wait, ctx);
  const { settle, maxGap, timeout } = wait;
  const rest = weekEndHourRestMinutes(report.timeZone);
  const needed = rest + wait.minutes;
  const firing = cronWeekStartMinutes(report.schedule);
  if (firing !== undefined && firing >= needed) return;
  const day = ISO_DAY_NAMES[Math.floor(needed / 1440)] ?? 'MON';
  const example = `cron(${needed % 60} ${Math.floor(needed / 60) % 24} ? * ${day} *)`;
  const weekEnd = `a week ends (Monday 00:00 in report.timeZone "${report.timeZone}")`;
  const when =
    firing === undefined
      ? `is a rate, which runs at times set by the deploy, so its first run after ${weekEnd} can come at any moment`
      : firing === 0
        ? `fires right as ${weekEnd}`
        : `first fires ${minutesText(firing)} after ${weekEnd}`;
  const hourEnd = rest > 0 ? ` (a UTC hour, ending ${rest} minutes after the week)` : '';
  const fixes =
    needed <= DEFAULT_REPORT_WEEK_START_MINUTES
      ? `e.g. "${example}", or the default "${DEFAULT_REPORT_SCHEDULE}"`
      : `e.g. "${example}"`;
  ctx.addIssue({
    code: 'custom',
    path: ['report', 'schedule'],
    params: inEffect(report.schedule),
    message: `${when}, before the ingest has pulled the week's last hour: that hour${hourEnd} settles for ingest.settleMinutes (${settle}), the next ingest run may start up to ${minutesText(maxGap)} later (ingest.schedule's longest gap) and take up to ingest.timeoutMinutes (${timeout}), and Scheduler may start it ${SCHEDULER_START_SLACK_MINUTES} minutes late: ${minutesText(needed)} in all. The report claims the week on that first run and never sends it again, so the week would be mailed as partial for good. Fire at least ${minutesText(needed)} after Monday 00:00, ${fixes}`,
  });
}

/**
 * How long after a week's last UTC hour ends the ingest may take to have it in the lake: it
 * settles, waits for the ingest schedule's next run, which runs up to its timeout and may start
 * late. Undefined while a value it reads is invalid (that value has its own message).
 */
function ingestWaitMinutes(
  { report, ingest }: ConfigFields,
  fromYear: number,
): { minutes: number; settle: number; maxGap: number; timeout: number } | undefined {
  const gaps = runGaps(ingest.schedule, fromYear);
  const { settleMinutes: settle, timeoutMinutes: timeout } = ingest;
  const valid =
    gaps !== undefined &&
    acceptsSetting('settleMinutes', settle) &&
    ingestFields.shape.timeoutMinutes.safeParse(timeout).success &&
    scheduleExpressionProblem(report.schedule) === undefined;
  if (!valid) return undefined;
  const minutes = settle + gaps.maxMinutes + timeout + SCHEDULER_START_SLACK_MINUTES;
  return { minutes, settle, maxGap: gaps.maxMinutes, timeout };
}

/**
 * A firing at most SCHEDULER_START_SLACK_MINUTES before a week ends may start after it: the run
 * then reports the week that has just ended (the last full week by the clock it reads) before the
 * ingest has pulled its last hour, claims it and mails it as partial for good, and the week before
 * is never reported. Checked in report.timeZone and in each zone of its own an instance reports in.
 */
function checkFiringsBeforeWeekEnd(
  { report, instances }: ConfigFields,
  wait: { minutes: number },
  ctx: z.RefinementCtx,
): void {
  const firings = cronWeekFiringMinutes(report.schedule);
  if (firings === undefined || firings.length === 0) return;
  const zones: Array<{ zone: string; path: (string | number)[]; name: string }> = [
    { zone: report.timeZone, path: ['report', 'schedule'], name: `report.timeZone "${report.timeZone}"` },
  ];
  for (const { zone, index } of ownZones({ report, instances }))
    zones.push({ zone, path: ['instances', index, 'report', 'timeZone'], name: 'this zone' });
  for (const { zone, path, name } of zones) {
    const lead = shortestLeadMinutes(weekClaims(firings, report.timeZone, zone));
    if (lead > SCHEDULER_START_SLACK_MINUTES) continue;
    const after = weekEndHourRestMinutes(zone) + wait.minutes;
    ctx.addIssue({
      code: 'custom',
      path,
      ...(path[0] === 'report' ? { params: inEffect(report.schedule) } : {}),
      message: `report.schedule "${report.schedule}" fires as little as ${minutesText(lead)} before a week ends (Monday 00:00 in ${name}), and EventBridge Scheduler may start a run up to ${SCHEDULER_START_SLACK_MINUTES} minutes late: that run would come after the week has ended and report it before the ingest has pulled its last hour (${minutesText(after)} after the week ends). The report claims the week on that run and never sends it again, so the week would be mailed as partial for good. Fire report.schedule at least ${minutesText(SCHEDULER_START_SLACK_MINUTES + 1 - lead)} earlier, or at least ${minutesText(after + lead)} later`,
    });
  }
}

/**
 * An instance whose report shows a zone of its own (instances[].report.timeZone) has its weeks
 * end at another moment than report.timeZone's, while the schedule fires in report.timeZone: in a
 * zone west of it the week may end only shortly before a firing, before the ingest has its last
 * hour, and the report would claim, and mail, that week partial for good; and where one zone
 * changes its clocks and the other does not, two of its weeks can end before one firing, which
 * reports the later only. A rate is refused for report.timeZone already.
 */
function checkInstanceZonesAfterIngest(
  { report, instances }: ConfigFields,
  wait: { minutes: number },
  ctx: z.RefinementCtx,
): void {
  const firings = cronWeekFiringMinutes(report.schedule);
  if (firings === undefined || firings.length === 0) return;
  const fires = `report.schedule "${report.schedule}" fires (in report.timeZone "${report.timeZone}")`;
  for (const { zone, index } of ownZones({ report, instances })) {
    const path = ['instances', index, 'report', 'timeZone'];
    const claims = weekClaims(firings, report.timeZone, zone);
    const needed = weekEndHourRestMinutes(zone) + wait.minutes;
    const after = Math.min(...claims.map((week) => Math.round((week.claim - week.weekEnd) / MINUTE_MS)));
    if (after < needed) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `a week in this zone ends (Monday 00:00) ${after === 0 ? 'right as' : `as little as ${minutesText(after)} before`} ${fires}, before the ingest has pulled the week's last hour (${minutesText(needed)} after the week ends, as report.schedule's own check counts it). The report claims the week on that run and never sends it again, so this instance's week would be mailed as partial for good. Fire report.schedule at least ${minutesText(needed - after)} later`,
      });
      continue;
    }
    const lost = weekNeverReported(claims);
    if (lost === undefined) continue;
    ctx.addIssue({
      code: 'custom',
      path,
      message: `two weeks in this zone end before the same run of ${fires}, around a change of daylight saving time the two zones do not share: the week ending Monday ${lost} 00:00 is never reported, as that run reports the later week. Fire report.schedule at a time further from Monday 00:00 in this zone (at least an hour more before or after it)`,
    });
  }
}

/**
 * The instances whose report shows a valid zone other than report.timeZone, with their index in
 * `instances`: an unknown zone is refused by its own field's check, not here again.
 */
function ownZones({ report, instances }: Pick<ConfigFields, 'report' | 'instances'>) {
  return instances.flatMap((instance, index) => {
    const zone = instance.report?.timeZone;
    if (zone === undefined || zone === report.timeZone || canonicalTimeZone(zone) !== zone) return [];
    return [{ zone, index }];
  });
}
