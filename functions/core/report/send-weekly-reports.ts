import type { Deadline } from '../deadline.ts';
import { errorMessage } from '../error-message.ts';
import type { MetricSink } from '../ports.ts';
import { lastFullWeek } from './iso-week.ts';
import { ReportTimeError } from './report-errors.ts';
import {
  sendWeeklyReport,
  type WeeklyReportConfig,
  type WeeklyReportDeps,
  type WeeklyReportOutcome,
} from './send-weekly-report.ts';

/** An instance's report is not started with less time than this left: it would be cut off mid-way. */
export const MIN_TIME_PER_INSTANCE_MS = 60_000;

export interface WeeklyReportsPorts extends Omit<WeeklyReportDeps, 'metrics' | 'deadline'> {
  /** Where an instance's counters go (the Lambda publishes them with the instance as a dimension). */
  metricsFor?: (instance: string) => MetricSink;
}

/** What every instance of a run asks for: the same week, zone and mail. */
export type WeeklyReportsSettings = Omit<WeeklyReportConfig, 'instance'>;

export interface WeeklyReportsRun {
  /** One per instance that ran to an outcome, in the order asked. */
  outcomes: WeeklyReportOutcome[];
  /** One per instance that did not; the caller words the error (a ReportTimeError, a ReportSendError…). */
  failures: { instance: string; error: unknown }[];
}

/**
 * The weekly report job, the same for the report Lambda and the `report` command: each instance in
 * turn gets {@link sendWeeklyReport} (at most one mail per instance and week). One instance's
 * failure does not stop the others; an instance is not started with less than
 * {@link MIN_TIME_PER_INSTANCE_MS} left, which fails it with a {@link ReportTimeError} rather than
 * leaving it to the caller's timeout to cut silently.
 */
export async function sendWeeklyReports(
  instances: readonly string[],
  deadline: Deadline,
  ports: WeeklyReportsPorts,
  settings: WeeklyReportsSettings,
): Promise<WeeklyReportsRun> {
  const run: WeeklyReportsRun = { outcomes: [], failures: [] };
  const { metricsFor, ...deps } = ports;
  for (const instance of instances) {
    if (!deadline.hasAtLeast(MIN_TIME_PER_INSTANCE_MS)) {
      const isoWeek = settings.week ?? lastFullWeek(ports.clock.now(), settings.timeZone).isoWeek;
      run.failures.push({
        instance,
        error: notStarted(deadline.timeLeftMs(), { instance, isoWeek }, settings.resend === true),
      });
      continue;
    }
    try {
      const metrics = metricsFor?.(instance);
      run.outcomes.push(
        await sendWeeklyReport(
          { ...deps, deadline, ...(metrics ? { metrics } : {}) },
          { ...settings, instance },
        ),
      );
    } catch (error) {
      deps.log.error('weekly report failed', { instance, error: errorMessage(error) });
      run.failures.push({ instance, error });
    }
  }
  return run;
}

const notStarted = (leftMs: number, week: { instance: string; isoWeek: string }, resend: boolean) =>
  new ReportTimeError(
    `not started: only ${Math.round(leftMs / 1000)} s were left`,
    'start',
    leftMs,
    MIN_TIME_PER_INSTANCE_MS,
    week,
    resend,
  );
