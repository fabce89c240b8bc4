import { errorMessage } from '../error-message.ts';
import type { Log } from '../ports.ts';
import { lastFullWeek, reportWeek } from './iso-week.ts';
import { weekNotStarted } from './report-run.ts';

/**
 * What one instance's report is asked for: that instance alone and the week, or (a
 * corrections-only run) only the corrections due of its weeks mailed with hours missing. Never a
 * resend: a queued event can be delivered more than once, and a resend takes the week over
 * whatever its marker says, so each delivery would mail again; a correction is claimed as a
 * week's report is, so a second delivery finds it claimed.
 */
export type InstanceReportEvent =
  | { instance: string; week: string }
  | { instance: string; correctionsOnly: true };

/** Starts one report, in an invocation of its own that the caller does not wait for. */
export interface InstanceReportStarter {
  start(event: InstanceReportEvent): Promise<void>;
}

export interface StartedReports {
  /** The instances whose report was handed on, in the order asked. */
  started: string[];
  /** Those that were not, with the event that starts each and why. */
  failures: { instance: string; event: InstanceReportEvent; error: unknown }[];
}

/** What the run asks for: a week or the last full one, each instance's in the zone its report shows. */
export interface AskedWeek {
  week?: string;
  /** Hand each instance only its corrections (no week: each looks from its own last full week). */
  correctionsOnly?: boolean;
  timeZoneOf: (instance: string) => string;
  nowMs: number;
}

/**
 * The week an instance is handed: the last full week in its report's zone, or the one asked for.
 * One asked for that is no week (`2026-W99`, W53 of a 52-week year) or has not started is thrown,
 * before any is queued: every instance's report would fail alike, one failure each.
 */
function weekToHand(asked: { week?: string; timeZone: string; nowMs: number }): string {
  if (asked.week === undefined) return lastFullWeek(asked.nowMs, asked.timeZone).isoWeek;
  const week = reportWeek(asked.week, asked.timeZone);
  if (asked.nowMs < week.startMs) throw weekNotStarted(week);
  return week.isoWeek;
}

/**
 * Hands each instance's report to an invocation of its own, so each gets the whole function
 * timeout: one invocation reporting every instance in turn had one timeout for all of them, and
 * the last ones failed every week once there were more than a few. Every instance is tried: one
 * that could not be started does not keep the others from theirs. Each is handed the week, the
 * one asked for or else the last full week at `nowMs` in `timeZone`, decided here once: the event
 * of one that could not be started then sends that week whenever it is invoked.
 *
 * @throws Error when the week asked for is no ISO week or has not started, before any is queued.
 */
export async function startInstanceReports(
  instances: readonly string[],
  starter: InstanceReportStarter,
  asked: AskedWeek,
  log: Log,
): Promise<StartedReports> {
  const result: StartedReports = { started: [], failures: [] };
  const { timeZoneOf, correctionsOnly, ...when } = asked;
  const events = instances.map(
    (instance): InstanceReportEvent =>
      correctionsOnly
        ? { instance, correctionsOnly: true }
        : { week: weekToHand({ ...when, timeZone: timeZoneOf(instance) }), instance },
  );
  for (const event of events) {
    const { instance } = event;
    try {
      await starter.start(event);
      result.started.push(instance);
    } catch (error) {
      log.error('could not start the weekly report of an instance', { ...event, error: errorMessage(error) });
      result.failures.push({ instance, event, error });
    }
  }
  return result;
}
