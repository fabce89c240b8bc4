import type { Deadline } from '../deadline.ts';
import { errorMessage } from '../error-message.ts';
import type { MetricSink } from '../ports.ts';
import { MINUTE_MS } from '../time-units.ts';
import { previewFailure } from './preview-failure.ts';
import { ReportTimeError } from './report-errors.ts';
import { type ReportRun, reportRun } from './report-run.ts';
import {
  sendWeeklyReport,
  type WeeklyReportConfig,
  type WeeklyReportDeps,
  type WeeklyReportOutcome,
} from './send-weekly-report.ts';
import { sendWeekCorrections } from './week-correction.ts';

/** An instance's report is not started with less time than this left: it would be cut off mid-way. */
export const MIN_TIME_PER_INSTANCE_MS = MINUTE_MS;

export interface WeeklyReportsPorts extends Omit<WeeklyReportDeps, 'metrics' | 'deadline'> {
  /** Where an instance's counters go (the Lambda publishes them with the instance as a dimension). */
  metricsFor?: (instance: string) => MetricSink;
}

/** What an instance of a run asks for: the same week for all, the zone and mail its own or shared. */
export type WeeklyReportsSettings = Omit<WeeklyReportConfig, 'instance'>;

/**
 * An instance that did not run to an outcome: the week it was asked for and whether as a resend,
 * so the caller can name the invocation that sends it whatever the error (an Athena request
 * failing names no week), and the error, which the caller words (a ReportPreviewError for a week
 * not over yet, whatever stopped it; a ReportTimeError, a ReportSendError, or any other: those all
 * happen before the week is claimed).
 */
export interface WeeklyReportFailure {
  instance: string;
  isoWeek: string;
  resend: boolean;
  error: unknown;
}

export interface WeeklyReportsRun {
  /** One per instance that ran to an outcome, in the order asked. */
  outcomes: WeeklyReportOutcome[];
  /** One per instance that did not. */
  failures: WeeklyReportFailure[];
}

/**
 * The weekly report job, the same for the report Lambda and the `report` command: each instance in
 * turn gets {@link sendWeeklyReport} (at most one mail per instance and week), and then, after
 * every instance's own week, the corrections of its weeks mailed with hours missing
 * (week-correction.ts; not on a resend or a preview). One instance's
 * failure does not stop the others; an instance is not started with less than
 * {@link MIN_TIME_PER_INSTANCE_MS} left, which fails it with a {@link ReportTimeError} rather than
 * leaving it to the caller's timeout to cut silently.
 */
export async function sendWeeklyReports(
  instances: readonly string[],
  deadline: Deadline,
  ports: WeeklyReportsPorts,
  settingsOf: WeeklyReportsSettings | ((instance: string) => WeeklyReportsSettings),
): Promise<WeeklyReportsRun> {
  const run: WeeklyReportsRun = { outcomes: [], failures: [] };
  // Every instance's own week first: a correction of an earlier week never takes the time of
  // another instance's report (a run of every instance shares one invocation's time).
  const corrections: (() => Promise<void>)[] = [];
  for (const instance of instances) {
    const settings = settingsFor(settingsOf, instance);
    const resend = settings.resend === true;
    // The run's inputs are read here, once per instance (instances run in turn: the last full
    // week can move on meanwhile), and the decision is handed on, so the week a failure names is
    // the week the report was for, and a preview is a preview throughout.
    const decided = decide(settings, ports.clock.now());
    const isoWeek = weekNamed(settings, decided);
    if (!deadline.hasAtLeast(MIN_TIME_PER_INSTANCE_MS)) {
      const late = notStarted(deadline.timeLeftMs(), { instance, isoWeek }, resend);
      // A week not over yet would have been a preview: its failure is worded as one.
      const error =
        'run' in decided && decided.run.preview
          ? previewFailure(decided.run.week, instance, late, 'build')
          : late;
      run.failures.push({ instance, isoWeek, resend, error });
      continue;
    }
    const instanceDeps = depsFor(ports, deadline, instance);
    const config = { ...settings, instance, week: isoWeek };
    // What the instance's own week took: a correction makes the same report again.
    const tookMs = await timeTaken(deadline, () => reportInstance(run, instanceDeps, config, decided));
    if ('run' in decided) corrections.push(() => correct(run, instanceDeps, config, decided.run, tookMs));
  }
  for (const corrected of corrections) await corrected();
  return run;
}

/**
 * A corrections-only run (what the corrections schedule sends, `{"correctionsOnly":true}`): for
 * each instance in turn, the corrections due of its last full week and the
 * 4 before it (CORRECTION_LOOKBACK_WEEKS, week-correction.ts), and nothing else. No week's
 * report is made here: a week never mailed (no marker `sent`) is never due a correction, so this
 * run never mails a week's first report, a resend or a preview; those stay the weekly run's. With
 * nothing due it reads each week's markers, and lists the coverage of a week mailed partial: no
 * query starts, and no ReportSent or ReportSkipped is counted (the NoReportSent alarm watches the
 * weekly run alone). One instance's failure does not stop the others.
 */
export async function sendDueCorrections(
  instances: readonly string[],
  deadline: Deadline,
  ports: WeeklyReportsPorts,
  settingsOf: WeeklyReportsSettings | ((instance: string) => WeeklyReportsSettings),
): Promise<WeeklyReportsRun> {
  const run: WeeklyReportsRun = { outcomes: [], failures: [] };
  for (const instance of instances) {
    const settings = settingsFor(settingsOf, instance);
    // The last full week, read per instance as a weekly run reads it; never one asked for, never
    // a resend (the event takes neither).
    const { week: _week, resend: _resend, ...asked } = settings;
    const lastWeek = reportRun(asked, ports.clock.now());
    const instanceDeps = depsFor(ports, deadline, instance);
    const config = { ...asked, instance };
    const corrections = await sendWeekCorrections(instanceDeps, config, lastWeek);
    run.outcomes.push(...corrections.outcomes);
    for (const { isoWeek, error } of corrections.failures)
      run.failures.push({ instance, isoWeek, resend: false, error });
  }
  return run;
}

/** The instance's settings: one for all, or its own (a subsidiary in another country). */
const settingsFor = (
  settingsOf: WeeklyReportsSettings | ((instance: string) => WeeklyReportsSettings),
  instance: string,
): WeeklyReportsSettings => (typeof settingsOf === 'function' ? settingsOf(instance) : settingsOf);

/** The ports one instance's run uses: its own metrics (their instance dimension) and the deadline. */
function depsFor(ports: WeeklyReportsPorts, deadline: Deadline, instance: string): WeeklyReportDeps {
  const { metricsFor, ...deps } = ports;
  const metrics = metricsFor?.(instance);
  return { ...deps, deadline, ...(metrics ? { metrics } : {}) };
}

/** How much of the deadline's time `work` took (0 without a deadline). */
async function timeTaken(deadline: Deadline, work: () => Promise<void>): Promise<number> {
  const before = deadline.timeLeftMs();
  await work();
  return Number.isFinite(before) ? before - deadline.timeLeftMs() : 0;
}

/** The instance's week; its failure is the run's. */
async function reportInstance(
  run: WeeklyReportsRun,
  deps: WeeklyReportDeps,
  config: WeeklyReportConfig & { week: string },
  decided: { run: ReportRun } | { invalid: unknown },
): Promise<void> {
  const { instance, week: isoWeek } = config;
  const resend = config.resend === true;
  try {
    // A week asked for that is no week fails this instance with why, as any error does.
    if ('invalid' in decided) throw decided.invalid;
    run.outcomes.push(await sendWeeklyReport(deps, config, decided.run));
  } catch (error) {
    deps.log.error('weekly report failed', { instance, isoWeek, resend, error: errorMessage(error) });
    run.failures.push({ instance, isoWeek, resend, error });
  }
}

/**
 * The corrections of the instance's weeks mailed with hours missing (week-correction.ts), after
 * every instance's own week's report, whatever became of that: not on a resend (the command line's every run),
 * which makes one week as the lake holds it now, nor on a preview, a run before its week is over.
 */
async function correct(
  run: WeeklyReportsRun,
  deps: WeeklyReportDeps,
  config: WeeklyReportConfig,
  reportRun: ReportRun,
  ownReportMs: number,
): Promise<void> {
  if (config.resend === true || reportRun.preview) return;
  const mailedNow = run.outcomes.some(
    (o) => o.status === 'sent' && o.instance === config.instance && o.isoWeek === reportRun.week.isoWeek,
  );
  const corrections = await sendWeekCorrections(deps, config, reportRun, { mailedNow, ownReportMs });
  run.outcomes.push(...corrections.outcomes);
  for (const { isoWeek, error } of corrections.failures)
    run.failures.push({ instance: config.instance, isoWeek, resend: false, error });
}

/**
 * The week a failure of the instance names: the week asked for, as given (it may be no week), else
 * the run's, the last full week. Without a week asked only a zone that is no zone makes no run,
 * and that fails the whole run, as the zone fails every instance alike.
 */
function weekNamed(
  settings: WeeklyReportsSettings,
  decided: { run: ReportRun } | { invalid: unknown },
): string {
  if (settings.week !== undefined) return settings.week;
  if ('invalid' in decided) throw decided.invalid;
  return decided.run.week.isoWeek;
}

/** The instance's run, or why the week asked for is no week. */
function decide(settings: WeeklyReportsSettings, nowMs: number): { run: ReportRun } | { invalid: unknown } {
  try {
    return { run: reportRun(settings, nowMs) };
  } catch (invalid) {
    return { invalid };
  }
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
