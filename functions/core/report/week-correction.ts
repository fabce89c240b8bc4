/**
 * Corrections of weeks mailed with hours missing. A week's report goes out once (week-claim.ts),
 * made from what the lake holds then: an ingest behind (an outage, Domo late) or a gap re-pulled
 * later leaves the only weekly mail partial, and a finding in the missing hours never reaches the
 * mailbox. So each report run, after its own week, looks at the instance's last
 * {@link CORRECTION_LOOKBACK_WEEKS} weeks before it and its own week: one mailed (marker `sent`)
 * with fewer hours than the week has, whose hours the lake now holds more of, is made again and
 * mailed once as a correction (`Correction: ` leads the subject and the first line, and the first
 * note says which mail it replaces and what each covered).
 *
 * Once: the correction has a marker of its own (`<week>.correction.json`), claimed as a week's is,
 * with a conditional put on what was read, so retries and runs side by side mail it once. It
 * records the hours the correction covered: a later run corrects the week again only when the lake
 * holds still more of it (a gap re-pulled after a first correction), never for the same hours,
 * and never within {@link CORRECTION_MIN_AGE_MS} of the week's last mail.
 * The archive of the week (`<week>.html`, `.txt`, `.json`) is replaced by the correction's, the
 * week's most complete report, which the mail's links to it name. A correction the mail service
 * refused puts back what it replaced, the report recipients hold; one whose mail may have gone
 * out (`unknown`) leaves its own.
 *
 * Whether the lake holds more is told first from the week's coverage manifests (a listing, no
 * query), so a run with nothing to correct costs a few reads; only a week with more of them is
 * queried again. A week that never gains an hour (the lake's first week, hours aged out, a gap
 * nobody re-pulls) is never corrected, and nor is one older than the look-back.
 */

import type { Deadline } from '../deadline.ts';
import { errorMessage } from '../error-message.ts';
import {
  lakeTimestamp,
  reportCorrectionKey,
  reportKey,
  reportSentKey,
  tableDayPrefix,
  windowStartFromKey,
} from '../lake/layout.ts';
import { objectAddress } from '../lake/object-address.ts';
import { MailRejectedError } from '../mail/mail-errors.ts';
import { noMetrics, type ObjectStore } from '../ports.ts';
import { DAY_MS, floorHour, HOUR_MS, MINUTE_MS } from '../time-units.ts';
import { buildReportModel } from './build-report-model.ts';
import { previousWeek, type ReportWeek } from './iso-week.ts';
import { formatCount } from './number-format.ts';
import { REPORT_METRICS } from './report-metrics.ts';
import type { ReportCorrectionOf, WeeklyReportModel } from './report-model.ts';
import { type ReportRun, runOfWeek } from './report-run.ts';
import {
  type Archived,
  type Built,
  builtOf,
  MIN_TIME_TO_SEND_MS,
  mailOf,
  notRestored,
  putArchive,
  restoreArchive,
  sendingMarker,
  type WeeklyReportConfig,
  type WeeklyReportDeps,
  type WeeklyReportOutcome,
} from './send-weekly-report.ts';
import { decodeMarker, type SentMarker } from './sent-marker.ts';
import { formatLocalTime } from './time-format.ts';
import { claimWeek, type MarkerRead, readWeekMarker, type WeekClaim, type WeekRef } from './week-claim.ts';

/** How many weeks before a run's own week it looks at for one to correct. */
export const CORRECTION_LOOKBACK_WEEKS = 4;

/**
 * How long after a week's last mail (its report, a resend or a correction) no correction of it
 * is made. Lambda may deliver an invocation's event more than once, and keeps a queued one up to
 * 6 hours (the report function's maximum event age): a second delivery of the invocation that
 * mailed a partial week, run while the ingest catches up, would otherwise mail it again within
 * minutes, as a correction. The in-run check (`mailedNow`) sees only its own invocation.
 */
export const CORRECTION_MIN_AGE_MS = 6 * HOUR_MS;

/**
 * Least time left at which a correction is made: its queries, then claiming and mailing it. More
 * when the run's own report of the instance took longer: a correction makes the same report
 * again, and one started with less would be cut off, failing a run whose week went out.
 */
export const MIN_TIME_TO_CORRECT_MS = MINUTE_MS;

/** What the run did for the instance's own week before its corrections. */
export interface OwnWeek {
  /** The run has just mailed its own week, which it then leaves alone. */
  mailedNow?: boolean;
  /** How long the own week's report took (0: not known, or skipped). */
  ownReportMs?: number;
}

/**
 * A correction that was not mailed, or may not have been: the message says what happened and who
 * sends it (the next report run, or nobody until the marker is looked at), in full.
 */
export class ReportCorrectionError extends Error {
  constructor(
    message: string,
    readonly week: { instance: string; isoWeek: string },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ReportCorrectionError';
  }
}

export interface WeekCorrections {
  /** The corrections mailed (status `sent`, with `corrects`), or lost to another run (`skipped`). */
  outcomes: WeeklyReportOutcome[];
  /** The weeks whose correction failed, with why. */
  failures: { isoWeek: string; error: unknown }[];
}

/** A week due a correction: the mail it corrects, and its correction marker as read. */
interface CorrectionDue {
  week: ReportWeek;
  mailed: ReportCorrectionOf;
  read: MarkerRead;
}

/** The weeks a run of `week` looks at, oldest first (so the mails go out in week order), its own last. */
export function correctionWeeks(week: ReportWeek): ReportWeek[] {
  const weeks = [week];
  for (let i = 0; i < CORRECTION_LOOKBACK_WEEKS; i += 1) weeks.unshift(previousWeek(weeks[0] as ReportWeek));
  return weeks;
}

/**
 * Mails the corrections due for `config.instance` (see the module's comment), at most one per week
 * and run. A failure of one week's does not stop the others; with too little time left (less
 * than {@link MIN_TIME_TO_CORRECT_MS}, or than the own week's report or the last correction took)
 * no more are started (the next run makes them).
 */
export async function sendWeekCorrections(
  deps: WeeklyReportDeps,
  config: WeeklyReportConfig,
  run: ReportRun,
  { mailedNow = false, ownReportMs = 0 }: OwnWeek = {},
): Promise<WeekCorrections> {
  let neededMs = Math.max(MIN_TIME_TO_CORRECT_MS, ownReportMs);
  const result: WeekCorrections = { outcomes: [], failures: [] };
  // A week this run has just mailed is not corrected by it: an ingest writing meanwhile would
  // have it mailed twice within minutes. The next run, or an invocation for it, corrects it.
  const weeks = correctionWeeks(run.week).filter((w) => !(mailedNow && w.isoWeek === run.week.isoWeek));
  for (const week of weeks) {
    try {
      const due = await correctionDue(deps, config.instance, week, run.nowMs);
      if (!due) continue;
      if (!hasTime(deps.deadline, neededMs)) {
        deps.log.warn('no time left to correct a week mailed with hours missing: the next run does', {
          instance: config.instance,
          isoWeek: week.isoWeek,
          neededMs,
        });
        break;
      }
      const started = deps.deadline?.timeLeftMs();
      result.outcomes.push(...(await sendCorrection(deps, config, runOfWeek(week, run.nowMs), due)));
      // The next correction makes a report too: it needs as long as this one took. A corrections
      // run has no own report to measure by, and an outage across a week's end leaves two weeks due.
      neededMs = Math.max(neededMs, timeSince(deps.deadline, started));
    } catch (error) {
      deps.log.error('correction of a week mailed with hours missing failed', {
        instance: config.instance,
        isoWeek: week.isoWeek,
        error: errorMessage(error),
      });
      result.failures.push({ isoWeek: week.isoWeek, error: asCorrectionError(error, config.instance, week) });
    }
  }
  return result;
}

/**
 * A correction's failure as one: an error its steps did not word (reading its markers, a query,
 * building it) came before its mail, and was worded as the week's report failing, with the
 * invocation that sends the week, which finds it sent and mails nothing (review STATUS4). Nothing
 * was mailed; a marker it may have claimed is one `status` names.
 */
function asCorrectionError(error: unknown, instance: string, week: ReportWeek): unknown {
  if (error instanceof ReportCorrectionError) return error;
  const { isoWeek } = week;
  return new ReportCorrectionError(
    `the correction of ${isoWeek} of ${instance} (a week mailed with hours missing) failed before it was mailed: ${errorMessage(error)}; nothing was mailed, so the next report run tries it again (status names a correction marker left sending, which blocks it)`,
    { instance, isoWeek },
    { cause: error },
  );
}

const hasTime = (deadline: Deadline | undefined, ms: number): boolean =>
  deadline === undefined || deadline.hasAtLeast(ms);

/** How much of the deadline's time went since it had `startedMs` left (0 without a deadline). */
const timeSince = (deadline: Deadline | undefined, startedMs: number | undefined): number => {
  const spent = deadline && startedMs !== undefined ? startedMs - deadline.timeLeftMs() : 0;
  return Number.isFinite(spent) ? spent : 0;
};

/**
 * What a week's markers say of its correction, as a run and `status` read them; undefined for a
 * week not mailed (no marker, or not `sent`), which no run corrects.
 */
export interface WeekCorrectionView {
  /** The correction's marker as read (its `state` undefined: none was ever claimed). */
  read: MarkerRead;
  /** Where the correction's marker is (its address in the lake, for the operator to remove it). */
  address: string;
  /**
   * The correction's marker blocks it: claimed and not settled (`sending`) or maybe delivered
   * (`unknown`). `stuck`: for good, until someone removes it: `unknown`, or `sending` for longer
   * than a run takes (an hour since its claim), which only a run that stopped leaves.
   */
  blocked?: { marker: SentMarker; stuck: boolean };
  /**
   * What the week's last mail covered (the report, or a correction), when it covered fewer hours
   * than the week has: a correction is due once the lake holds more. Undefined while blocked.
   */
  partial?: ReportCorrectionOf;
}

/**
 * Reads what `week`'s markers say of its correction (see {@link WeekCorrectionView}); `sent`, the
 * week's own marker when the caller has read it already (null: there is none).
 */
export async function readWeekCorrection(
  store: ObjectStore,
  instance: string,
  week: ReportWeek,
  nowMs: number,
  sent?: SentMarker | null,
): Promise<WeekCorrectionView | undefined> {
  const mailed = sent === undefined ? await readSentMarker(store, instance, week) : sent;
  return mailed?.state === 'sent' ? correctionView(store, mailed, week, nowMs) : undefined;
}

async function readSentMarker(store: ObjectStore, instance: string, week: ReportWeek) {
  const stored = await store.get(reportSentKey(instance, week.isoWeek));
  return stored ? decodeMarker(stored.body, instance, week.isoWeek) : null;
}

/** {@link readWeekCorrection} of a week whose report was mailed, by `sent`, its marker. */
async function correctionView(
  store: ObjectStore,
  sent: SentMarker,
  week: ReportWeek,
  nowMs: number,
): Promise<WeekCorrectionView> {
  const { instance } = sent;
  const ref = correctionRef(store, instance, week);
  // A marker written before markers held the hours is told by the week's archive, read beside
  // the correction's marker: one round trip, not two, for each week a run or status looks at.
  const [read, archived] = await Promise.all([
    readWeekMarker(ref),
    coverageOf(sent) ? undefined : archivedCoverage(store, sent),
  ]);
  const address = objectAddress(store, reportCorrectionKey(instance, week.isoWeek));
  const correction = read.state;
  if (correction && correction.state !== 'sent' && correction.state !== 'failed') {
    const stuck = correction.state !== 'sending' || nowMs - Date.parse(correction.claimedAt) > HOUR_MS;
    return { read, address, blocked: { marker: correction, stuck } };
  }
  const mailed = lastMailed(sent, correction, archived);
  const partial = mailed && mailed.coveredHours < mailed.expectedHours ? mailed : undefined;
  return { read, address, ...(partial ? { partial } : {}) };
}

/**
 * Whether `week` is due a correction: mailed (`sent`), its last mail (the report, or a correction)
 * covering fewer hours than the week has and sent at least {@link CORRECTION_MIN_AGE_MS} before
 * `nowMs`, and the lake now holding more of them. A correction claimed and not settled
 * (`sending`) or that may have been delivered (`unknown`) blocks, as a week's marker does.
 */
async function correctionDue(
  deps: WeeklyReportDeps,
  instance: string,
  week: ReportWeek,
  nowMs: number,
): Promise<CorrectionDue | undefined> {
  const { store } = deps;
  const view = await readWeekCorrection(store, instance, week, nowMs);
  if (view?.blocked) {
    blockedCorrection(deps, { instance, isoWeek: week.isoWeek, address: view.address }, view.blocked);
    return undefined;
  }
  const mailed = view?.partial;
  if (!view || !mailed) return undefined;
  if (nowMs - Date.parse(mailed.mailedAt) < CORRECTION_MIN_AGE_MS) {
    deps.log.info('week mailed too recently to be corrected: a later run corrects it', {
      instance,
      isoWeek: week.isoWeek,
      mailedAt: mailed.mailedAt,
    });
    return undefined;
  }
  const held = await coveredHoursHeld(store, instance, week);
  return held > mailed.coveredHours ? { week, mailed, read: view.read } : undefined;
}

/**
 * Says that the week's correction marker blocks its correction. A run claiming it right now holds
 * it `sending` for minutes (logged as information); one left `unknown`, or `sending` for over an
 * hour (a run that timed out or crashed between claim and outcome), blocks every later run
 * until someone removes it, so it is a warning saying what to do, and a count of
 * {@link REPORT_METRICS.correctionStuck}, each run.
 */
function blockedCorrection(
  deps: WeeklyReportDeps,
  week: { instance: string; isoWeek: string; address: string },
  { marker, stuck }: NonNullable<WeekCorrectionView['blocked']>,
): void {
  const fields = {
    instance: week.instance,
    isoWeek: week.isoWeek,
    state: marker.state,
    attemptId: marker.attemptId,
    claimedAt: marker.claimedAt,
  };
  if (!stuck) {
    deps.log.info('correction of this week already claimed: not sending another', fields);
    return;
  }
  // A metric beside the warning: a log line nobody reads is no alarm (the ReportCorrectionStuck one).
  (deps.metrics ?? noMetrics).count(REPORT_METRICS.correctionStuck, 1);
  deps.log.warn(
    `the correction of this week may have been mailed (its marker is ${marker.state}) and is not sent again by itself: check the inbox, and if it did not arrive remove ${week.address} and the next report run sends it`,
    fields,
  );
}

const correctionRef = (store: ObjectStore, instance: string, week: ReportWeek): WeekRef => ({
  store,
  instance,
  isoWeek: week.isoWeek,
  key: reportCorrectionKey(instance, week.isoWeek),
});

/**
 * What the week's mails covered, the most: a correction sent (or, one that failed, the mail it was
 * to correct) and the week's report, by its marker or, on a marker written before markers held the
 * hours, its archive.
 */
function lastMailed(
  sent: SentMarker,
  correction: SentMarker | undefined,
  archived: ReportCorrectionOf | undefined,
): ReportCorrectionOf | undefined {
  const byCorrection = correction?.state === 'sent' ? coverageOf(correction) : correction?.corrects;
  // The archive is the correction's once one was claimed, mailed or not: taken only without one.
  const byReport = coverageOf(sent) ?? (correction ? undefined : archived);
  // A resend after a correction is the last mail: the mail covering more hours is the one to beat.
  if (!byCorrection || !byReport) return byCorrection ?? byReport;
  return byReport.coveredHours > byCorrection.coveredHours ? byReport : byCorrection;
}

const coverageOf = (marker: SentMarker): ReportCorrectionOf | undefined =>
  marker.coveredHours === undefined || marker.expectedHours === undefined
    ? undefined
    : { mailedAt: marker.updatedAt, coveredHours: marker.coveredHours, expectedHours: marker.expectedHours };

/** The hours the week's archived report covered; undefined when there is none to read. */
async function archivedCoverage(
  store: ObjectStore,
  sent: SentMarker,
): Promise<ReportCorrectionOf | undefined> {
  const stored = await store.get(reportKey(sent.instance, sent.isoWeek, 'json'));
  if (!stored) return undefined;
  try {
    const health = JSON.parse(new TextDecoder().decode(stored.body))?.health;
    const { coveredHours, expectedHours } = health ?? {};
    if (typeof coveredHours !== 'number' || typeof expectedHours !== 'number') return undefined;
    return { mailedAt: sent.updatedAt, coveredHours, expectedHours };
  } catch {
    return undefined;
  }
}

/**
 * The week's hours the lake holds, by their coverage manifests: the UTC hours overlapping the
 * week, as the report's data health counts them (an hour is covered when its manifest exists).
 */
export async function coveredHoursHeld(
  store: ObjectStore,
  instance: string,
  week: ReportWeek,
): Promise<number> {
  const firstHour = floorHour(week.startMs);
  const hours = new Set<number>();
  for (let day = Math.floor(firstHour / DAY_MS) * DAY_MS; day < week.endMs; day += DAY_MS) {
    for await (const key of store.list(tableDayPrefix('coverage', instance, day))) {
      const start = windowStartFromKey(key);
      if (start !== undefined && start >= firstHour && start < week.endMs) hours.add(start);
    }
  }
  return hours.size;
}

/** Makes the week's report again and, when it covers more hours than the last mail, mails it once. */
async function sendCorrection(
  deps: WeeklyReportDeps,
  config: WeeklyReportConfig,
  run: ReportRun,
  due: CorrectionDue,
): Promise<WeeklyReportOutcome[]> {
  const { instance } = config;
  const isoWeek = run.week.isoWeek;
  const model = await buildReportModel(deps.engine, {
    ...config,
    run,
    log: deps.log,
    ...(deps.deadline ? { deadline: deps.deadline, reserveMs: MIN_TIME_TO_SEND_MS } : {}),
  });
  // The listing runs ahead of the queries only by an ingest writing meanwhile: the report decides.
  if (model.health.coveredHours <= due.mailed.coveredHours) return [];
  const built = correctionBuilt(deps, config, model, due.mailed);
  if (!hasTime(deps.deadline, MIN_TIME_TO_SEND_MS))
    throw new ReportCorrectionError(
      `the correction of ${isoWeek} of ${instance} was not sent: too little time was left after its queries; nothing was claimed or mailed, so the next report run sends it`,
      { instance, isoWeek },
    );
  const ref = correctionRef(deps.store, instance, run.week);
  const marker = correctionMarker(ref, run.nowMs, built, config.to.length, due.mailed);
  const claimed = await claimWeek(ref, due.read, marker, deps);
  if (!claimed.claimed) {
    deps.log.info("another run claimed this week's correction first: not sending", { instance, isoWeek });
    return [{ status: 'skipped', instance, isoWeek, reason: 'claimed' }];
  }
  const archived = await archiveCorrection(ref, built, claimed.claim);
  const messageId = await mailCorrection(deps, config, ref, built, { claim: claimed.claim, archived });
  (deps.metrics ?? noMetrics).count(REPORT_METRICS.correctionSent, 1);
  deps.log.info('correction of a week mailed with hours missing sent', {
    instance,
    isoWeek,
    messageId,
    coveredHours: model.health.coveredHours,
    correctsCoveredHours: due.mailed.coveredHours,
    subject: built.rendered.subject,
  });
  return [
    {
      status: 'sent',
      instance,
      isoWeek,
      messageId,
      subject: built.rendered.subject,
      keys: archived.keys,
      htmlBytes: built.html.byteLength,
      bytesScanned: model.bytesScanned,
      model,
      corrects: { coveredHours: due.mailed.coveredHours },
    },
  ];
}

/**
 * The model marked as the correction of `mailed`, its first note saying of which mail and what
 * each covers, rendered.
 */
function correctionBuilt(
  deps: WeeklyReportDeps,
  config: WeeklyReportConfig,
  model: WeeklyReportModel,
  mailed: ReportCorrectionOf,
): Built {
  model.correctionOf = mailed;
  model.notes.unshift(correctionNote(model, mailed));
  return builtOf(deps, config, model);
}

/**
 * `This corrects the report of 2026-W47 mailed Mon 23 Nov 07:00, which covered 150 of 168 hours:
 * the lake now holds 168 of them (100%), so the figures, findings and notes below replace that
 * mail's.`
 */
export function correctionNote(
  model: Pick<WeeklyReportModel, 'week' | 'timeZone' | 'health'>,
  mailed: ReportCorrectionOf,
): string {
  const at = formatLocalTime(lakeTimestamp(Date.parse(mailed.mailedAt)), model.timeZone);
  const { coveredHours, coveragePct } = model.health;
  return `This corrects the report of ${model.week.isoWeek} mailed ${at}, which covered ${formatCount(mailed.coveredHours)} of ${formatCount(mailed.expectedHours)} hours: the lake now holds ${formatCount(coveredHours)} of them (${coveragePct}%), so the figures, findings and notes below replace that mail's.`;
}

function correctionMarker(
  ref: WeekRef,
  nowMs: number,
  built: Built,
  recipients: number,
  mailed: ReportCorrectionOf,
): SentMarker {
  return { ...sendingMarker(ref, nowMs, built, recipients), corrects: mailed };
}

/** Archives the correction over the week's report: the archive holds the week's most complete one. */
async function archiveCorrection(ref: WeekRef, built: Built, claim: WeekClaim): Promise<Archived> {
  const { instance, isoWeek } = ref;
  try {
    return await putArchive(ref, built, claim);
  } catch (error) {
    const settled = await claim.settle({
      state: 'failed',
      error: `archiving failed: ${errorMessage(error)}`,
    });
    throw new ReportCorrectionError(
      `the correction of ${isoWeek} of ${instance} was not sent: archiving it failed (${errorMessage(error)}); nothing was mailed, ${afterFailed(settled.recorded, claim)}`,
      { instance, isoWeek },
      { cause: error },
    );
  }
}

/** Who sends a correction nothing was mailed of, by whether its marker could be set to failed. */
const afterFailed = (recorded: boolean, claim: WeekClaim): string =>
  recorded
    ? 'so the next report run sends it'
    : `and its marker ${claim.address} could not be set to failed: it blocks the correction until someone removes it`;

/**
 * Mails the correction and records the outcome on its marker; returns the message id. A refused
 * one first puts back the archive it replaced (the mail recipients hold); one whose outcome is
 * not known leaves the correction's, which they may hold.
 */
async function mailCorrection(
  deps: WeeklyReportDeps,
  config: WeeklyReportConfig,
  ref: WeekRef,
  built: Built,
  { claim, archived }: { claim: WeekClaim; archived: Archived },
): Promise<string> {
  const { instance, isoWeek } = ref;
  try {
    const { messageId } = await deps.mailer.send(mailOf(config, built.rendered));
    await claim.settle({ state: 'sent', messageId });
    return messageId;
  } catch (error) {
    const reason = errorMessage(error);
    if (error instanceof MailRejectedError) {
      const unrestored = notRestored(await restoreArchive(ref.store, archived));
      const settled = await claim.settle({ state: 'failed', error: reason });
      throw new ReportCorrectionError(
        `the correction of ${isoWeek} of ${instance} was refused by the mail service and not sent (${reason}); fix the cause, ${afterFailed(settled.recorded, claim)}${unrestored}`,
        { instance, isoWeek },
        { cause: error },
      );
    }
    await claim.settle({ state: 'unknown', error: reason });
    throw new ReportCorrectionError(
      `sending the correction of ${isoWeek} of ${instance} failed in a way that does not tell whether it was delivered (${reason}); it is not sent again by itself: check the inbox, and if it did not arrive remove ${claim.address} and the next report run sends it`,
      { instance, isoWeek },
      { cause: error },
    );
  }
}
