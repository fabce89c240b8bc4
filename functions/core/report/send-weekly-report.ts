import { randomUUID } from 'node:crypto';
import type { Deadline } from '../deadline.ts';
import { errorMessage } from '../error-message.ts';
import { reportKey, reportSentKey } from '../lake/layout.ts';
import { objectAddress } from '../lake/object-address.ts';
import { MailRejectedError } from '../mail/mail-errors.ts';
import {
  type Clock,
  type Log,
  type Mailer,
  type MailMessage,
  type MetricSink,
  noMetrics,
  type ObjectStore,
  PreconditionFailedError,
} from '../ports.ts';
import { buildReportModel, type ReportModelOptions } from './build-report-model.ts';
import { previewFailure } from './preview-failure.ts';
import { type RenderedReport, renderReport } from './render-report.ts';
import { ReportSendError, ReportTimeError, runThatSends } from './report-errors.ts';
import { REPORT_METRICS } from './report-metrics.ts';
import type { WeeklyReportModel } from './report-model.ts';
import { reportModelJson } from './report-model-json.ts';
import type { ReportQueryEngine } from './report-query-engine.ts';
import { type ReportRun, reportRun } from './report-run.ts';
import type { SentMarker } from './sent-marker.ts';
import {
  blockingState,
  type ClaimResult,
  claimWeek,
  type MarkerRead,
  readWeekMarker,
  type Settled,
  type SkipReason,
  type WeekClaim,
  type WeekRef,
} from './week-claim.ts';

export interface WeeklyReportDeps {
  engine: ReportQueryEngine;
  store: ObjectStore;
  mailer: Mailer;
  clock: Clock;
  log: Log;
  metrics?: MetricSink;
  /**
   * The caller's time limit (a Lambda's remaining time). Once less than {@link MIN_TIME_TO_SEND_MS}
   * is left, the queries are stopped and no week is claimed; without one, time is not checked.
   */
  deadline?: Deadline;
}

/**
 * Least time left at which a week is claimed: enough to archive the report, wait out one SendEmail
 * request to its timeout (20 s in the Lambda) and record the outcome on the marker. A run cut off
 * after the claim would leave the marker at `sending`, blocking the week for good although
 * nothing may have been mailed.
 */
export const MIN_TIME_TO_SEND_MS = 30_000;

export interface WeeklyReportConfig
  extends Pick<
    ReportModelOptions,
    | 'topN'
    | 'historyDays'
    | 'minHistoryLogins'
    | 'concurrency'
    | 'alertsEnabled'
    | 'alertJudging'
    | 'failuresBeforeLogin'
    | 'ingestLagHours'
    | 'maxDays'
    | 'userActivityCommand'
    | 'userActivityCommandWhere'
    | 'notices'
  > {
  instance: string;
  /** IANA zone whose Monday-to-Monday weeks are reported. */
  timeZone: string;
  from: string;
  to: readonly string[];
  /** `YYYY-Www`; default the last full week before now. */
  week?: string;
  /** Mail again even if the week's marker says it was sent (an operator's deliberate choice). */
  resend?: boolean;
}

export interface ArchivedKeys {
  html: string;
  txt: string;
  json: string;
  marker: string;
}

export type WeeklyReportOutcome =
  | {
      status: 'sent';
      instance: string;
      isoWeek: string;
      messageId: string;
      subject: string;
      keys: ArchivedKeys;
      htmlBytes: number;
      bytesScanned: number;
      model: WeeklyReportModel;
      /**
       * Set on a correction of the week's earlier mail, which covered fewer of its hours
       * (week-correction.ts): the hours that mail covered.
       */
      corrects?: { coveredHours: number };
    }
  | {
      /** A week that has not ended, mailed as a labelled preview: no marker, no archive. */
      status: 'preview';
      instance: string;
      isoWeek: string;
      messageId: string;
      subject: string;
      htmlBytes: number;
      bytesScanned: number;
      model: WeeklyReportModel;
    }
  | {
      status: 'skipped';
      instance: string;
      isoWeek: string;
      /** The marker state that stopped this run (`claimed` when another run won the claim just now). */
      reason: SkipReason;
      marker?: SentMarker;
    };

export const utf8 = (text: string) => new TextEncoder().encode(text);

/** A rendered report and what it was rendered from. */
export interface Built {
  model: WeeklyReportModel;
  rendered: RenderedReport;
  html: Uint8Array;
}

/**
 * Builds, archives and mails one instance's weekly report, at most once per instance and week.
 *
 * 1. If the week's sent-marker exists in a blocking state (sending, sent, unknown), return
 *    `skipped` before running any query (a retry costs nothing).
 * 2. Build the model and render it. With less than {@link MIN_TIME_TO_SEND_MS} left, stop here
 *    and throw: nothing is claimed, so a run for this week sends it.
 * 3. Claim the week (week-claim.ts). Losing the claim means another run owns the week:
 *    `skipped`, and nothing is written; a lost race that finds no marker decides nothing and is
 *    thrown like any failed claim, naming this run's attempt id.
 * 4. Archive HTML, text and JSON under `reports/` (only the claim's owner writes them). If that
 *    fails, the marker becomes `failed` (nothing was sent) and the error is thrown.
 * 5. Send. Then mark `sent`; or `failed` when the mail service refused it (a run for this week
 *    sends it), or `unknown` for any other error (nobody resends without `resend: true`), and throw.
 *    A `failed` that cannot be recorded leaves `sending`, which blocks every run but a resend: the
 *    error then says so (a {@link ReportSendError} in state `sending`), unless the marker was found
 *    taken over by another run (`taken-over`: its outcome is the week's) or gone (`gone`).
 *
 * A `failed` week is not picked up by itself: a run without a week reports the last full one, so
 * once that has moved on only a run asking for the failed week sends it. The errors say which.
 *
 * A week that has not ended is never claimed, marked or archived: it is mailed as a preview
 * (labelled in the subject and the body) and the week's real report still goes out after it ends.
 * Whether it is one is `run`'s decision ({@link reportRun}), made by the caller that read the run's
 * inputs, or here from `config` and the clock when called alone.
 *
 * A crash between claim and send leaves `sending`, which blocks: the design prefers a missing mail
 * (visible: no ReportSent metric, an error alarm, the marker) to a duplicate one.
 */
export async function sendWeeklyReport(
  deps: WeeklyReportDeps,
  config: WeeklyReportConfig,
  run: ReportRun = reportRun(config, deps.clock.now()),
): Promise<WeeklyReportOutcome> {
  if (run.preview) return sendPreview(deps, config, run);
  const ref: WeekRef = { store: deps.store, instance: config.instance, isoWeek: run.week.isoWeek };

  const read = await readWeekMarker(ref);
  const blocked = blockingState(read, config.resend === true);
  if (blocked) return skip(deps, ref, blocked, read.state);

  const built = await buildReport(deps, config, run);
  assertTimeToSend(deps.deadline, ref, config.resend === true);

  const marker = sendingMarker(ref, run.nowMs, built, config.to.length);
  const claim = await claimOrExplain(ref, read, marker, deps);
  if (!claim.claimed) return skip(deps, ref, 'claimed', claim.marker);

  const archived = await archive(ref, built, claim.claim);
  const messageId = await mail(deps, config, ref, built.rendered, { claim: claim.claim, archived });
  (deps.metrics ?? noMetrics).count(REPORT_METRICS.sent, 1);
  deps.log.info('weekly report sent', {
    ...logContext(ref),
    messageId,
    recipients: config.to.length,
    subject: built.rendered.subject,
  });
  return {
    status: 'sent',
    instance: ref.instance,
    isoWeek: ref.isoWeek,
    messageId,
    subject: built.rendered.subject,
    keys: archived.keys,
    htmlBytes: built.html.byteLength,
    bytesScanned: built.model.bytesScanned,
    model: built.model,
  };
}

const logContext = (ref: WeekRef) => ({ instance: ref.instance, isoWeek: ref.isoWeek });

function skip(
  deps: WeeklyReportDeps,
  ref: WeekRef,
  reason: SkipReason,
  marker: SentMarker | undefined,
): WeeklyReportOutcome {
  if (reason === 'claimed')
    deps.log.info("another run claimed this week's report first: not sending", logContext(ref));
  else {
    deps.log.info('weekly report already handled for this week: not sending again', {
      ...logContext(ref),
      state: reason,
      attemptId: marker?.attemptId,
    });
  }
  (deps.metrics ?? noMetrics).count(REPORT_METRICS.skipped, 1);
  return {
    status: 'skipped',
    instance: ref.instance,
    isoWeek: ref.isoWeek,
    reason,
    ...(marker ? { marker } : {}),
  };
}

async function buildReport(
  deps: WeeklyReportDeps,
  config: WeeklyReportConfig,
  run: ReportRun,
): Promise<Built> {
  const model = await buildReportModel(deps.engine, {
    ...config,
    run,
    log: deps.log,
    // The queries leave what claiming and mailing need.
    ...(deps.deadline ? { deadline: deps.deadline, reserveMs: MIN_TIME_TO_SEND_MS } : {}),
  });
  return builtOf(deps, config, model);
}

/**
 * The week's model as the mail renders it: its lists as long as the queries' (`topN`, not a fixed
 * 10), and a warning logged when the mail had to be shortened. A correction renders its own model.
 */
export function builtOf(deps: WeeklyReportDeps, config: WeeklyReportConfig, model: WeeklyReportModel): Built {
  const rendered = renderReport(model, config.topN);
  const html = utf8(rendered.html);
  warnIfShortened(
    deps.log,
    { instance: config.instance, isoWeek: model.week.isoWeek },
    rendered,
    html.byteLength,
  );
  return { model, rendered, html };
}

function assertTimeToSend(deadline: Deadline | undefined, ref: WeekRef, resend: boolean): void {
  if (!deadline || deadline.hasAtLeast(MIN_TIME_TO_SEND_MS)) return;
  const left = deadline.timeLeftMs();
  throw new ReportTimeError(
    `the weekly report ${ref.isoWeek} of ${ref.instance} was not sent: only ${Math.floor(left / 1000)} s were left after the queries, and claiming, archiving and mailing it safely needs ${MIN_TIME_TO_SEND_MS / 1000} s. Nothing was claimed or mailed, so ${runThatSends(resend)}`,
    'claim',
    left,
    MIN_TIME_TO_SEND_MS,
    { instance: ref.instance, isoWeek: ref.isoWeek },
    resend,
  );
}

export function sendingMarker(ref: WeekRef, nowMs: number, built: Built, recipients: number): SentMarker {
  const at = new Date(nowMs).toISOString();
  const { coveredHours, expectedHours } = built.model.health;
  return {
    state: 'sending',
    instance: ref.instance,
    isoWeek: ref.isoWeek,
    // Made once per claim: claimWeek recognises its own claim, stored although S3 answered the put
    // with an error, by this id.
    attemptId: randomUUID(),
    claimedAt: at,
    updatedAt: at,
    subject: built.rendered.subject,
    recipients,
    // What the mail covers, for a later run to tell whether a correction is due (week-correction.ts).
    coveredHours,
    expectedHours,
  };
}

/**
 * Claims the week; a claim that fails with anything but a lost race is explained. S3 may have
 * stored the put it answered with an error, and a claim no run holds blocks every later run, so
 * the error says how to tell (the marker holds this attempt's id) and that only a resend then
 * sends the week.
 */
async function claimOrExplain(
  ref: WeekRef,
  read: MarkerRead,
  marker: SentMarker,
  deps: WeeklyReportDeps,
): Promise<ClaimResult> {
  try {
    return await claimWeek(ref, read, marker, deps);
  } catch (error) {
    const { store, instance, isoWeek } = ref;
    throw new ReportSendError(
      `the weekly report ${isoWeek} of ${instance} was not sent: claiming the week failed (${errorMessage(error)}); nothing was mailed. The store may have kept the claim all the same (S3 can store a put whose answer is lost), and a run for this week then skips the week: if ${objectAddress(store, reportSentKey(instance, isoWeek))} is in state sending with attemptId ${marker.attemptId}, only a resend sends it`,
      'sending',
      { instance, isoWeek },
      'claim',
      { cause: error },
    );
  }
}

/** The archive's objects of a week, by extension, with the content type each is written with. */
const ARCHIVE_TYPES = {
  html: 'text/html; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  json: 'application/json',
} as const;
type ArchiveExt = keyof typeof ARCHIVE_TYPES;

/** One archive object a run wrote: the ETag it wrote, and what the key held before, if anything. */
export interface ArchiveWrite {
  key: string;
  etag: string;
  contentType: string;
  before?: Uint8Array;
}

/** The week's archive as a run wrote it: its keys, and each write, to undo if its mail is refused. */
export interface Archived {
  keys: ArchivedKeys;
  writes: ArchiveWrite[];
}

/**
 * Writes the week's report (html, text, model) under `reports/`, over what is there: the week's
 * own report, or its correction. What is there is read first, so that a mail the service refuses
 * can put it back ({@link restoreArchive}). The caller owns the week's claim and says what a
 * failure means.
 */
export async function putArchive(ref: WeekRef, built: Built, claim: WeekClaim): Promise<Archived> {
  const { store, instance, isoWeek } = ref;
  const bodies: Record<ArchiveExt, Uint8Array> = {
    html: built.html,
    txt: utf8(built.rendered.text),
    json: utf8(`${JSON.stringify(reportModelJson(built.model), null, 2)}\n`),
  };
  const exts = Object.keys(ARCHIVE_TYPES) as ArchiveExt[];
  const before = await Promise.all(exts.map((ext) => store.get(reportKey(instance, isoWeek, ext))));
  const writes: ArchiveWrite[] = [];
  for (const [i, ext] of exts.entries()) {
    const key = reportKey(instance, isoWeek, ext);
    const contentType = ARCHIVE_TYPES[ext];
    const { etag } = await store.put(key, bodies[ext], { contentType });
    const held = before[i]?.body;
    writes.push({ key, etag, contentType, ...(held ? { before: held } : {}) });
  }
  const [html, txt, json] = writes.map((w) => w.key) as [string, string, string];
  return { keys: { html, txt, json, marker: claim.key }, writes };
}

/**
 * Puts back what the week's archive held before `archived` was written over it, once the mail
 * naming it was refused (the one outcome that proves nothing was delivered): recipients hold the
 * earlier report (a week's first mail, resent or corrected), and the archive's current version
 * must be that one. Each key only while it still holds this run's write (If-Match on its ETag):
 * a run that wrote it since keeps its own. A key that held nothing keeps this run's report (the
 * store has no delete; the run that sends the week writes it again). Returns what could not be
 * put back, for the caller's error; undefined when nothing is left over.
 */
export async function restoreArchive(store: ObjectStore, archived: Archived): Promise<string | undefined> {
  const failed: string[] = [];
  for (const { key, etag, contentType, before } of archived.writes) {
    if (!before) continue;
    try {
      await store.put(key, before, { contentType, ifMatch: etag });
    } catch (error) {
      if (!(error instanceof PreconditionFailedError))
        failed.push(`${objectAddress(store, key)} (${errorMessage(error)})`);
    }
  }
  return failed.length === 0 ? undefined : failed.join(', ');
}

/** The words a refused mail's error ends with when its archive could not be put back. */
export const notRestored = (failed: string | undefined): string =>
  failed === undefined
    ? ''
    : `. The archive could not be put back to the report its recipients hold, and holds the refused one: ${failed}; the bucket's earlier version of each is the one mailed`;

/**
 * Archives the report under `reports/`. Only the run that owns the week does, so a run that lost
 * the claim never overwrites what the winner archived (and mailed).
 */
async function archive(ref: WeekRef, built: Built, claim: WeekClaim): Promise<Archived> {
  const { store, instance, isoWeek } = ref;
  try {
    return await putArchive(ref, built, claim);
  } catch (error) {
    const reason = errorMessage(error);
    const settled = await claim.settle({ state: 'failed', error: `archiving failed: ${reason}` });
    const left = leftTo(settled, claim, 'so');
    throw new ReportSendError(
      `the weekly report ${isoWeek} of ${instance} was not sent because archiving it under ${objectAddress(store, 'reports/')} failed (${reason}); nothing was mailed, ${left.text}`,
      left.markerState,
      { instance, isoWeek },
      'archive',
      { cause: error },
    );
  }
}

/**
 * Who sends a week nothing was mailed for, from what setting its marker to `failed` found
 * (`then` leads the advice: `so`, `fix the cause, then`). Set, or gone: a run for this week.
 * Still this run's claim: only a resend, as it blocks every other run. Taken over by another run
 * (a resend): nobody, as that run's outcome is the week's, and resending could mail it twice.
 */
function leftTo(
  settled: Settled,
  claim: WeekClaim,
  then: string,
): { text: string; markerState: ReportSendError['markerState'] } {
  if (settled.recorded) return { text: `${then} a run for this week sends it`, markerState: 'failed' };
  const notSet = `the marker ${claim.address} could not be set to failed`;
  if (settled.holder === 'unread') {
    return {
      text: `but ${notSet}: it changed after this run claimed it and could not be read again, so who holds the week is not known. If it still names attempt ${settled.attemptId} (this run), only a resend sends the week; if another attempt in state sending, sent or unknown, that run's outcome is the week's: do not resend`,
      markerState: 'unread',
    };
  }
  if (settled.holder === 'other-run' && settled.state === 'failed') {
    return {
      text: `${then} a run for this week sends it: ${notSet}, as attempt ${settled.attemptId} of another run took it over and failed too (state failed), which blocks nothing`,
      markerState: 'failed',
    };
  }
  if (settled.holder === 'other-run') {
    return {
      text: `but ${notSet}: it was taken over by attempt ${settled.attemptId} of another run (state ${settled.state}): its outcome is the week's; do not resend`,
      markerState: 'taken-over',
    };
  }
  if (settled.holder === 'none') {
    return {
      text: `${then} a run for this week sends it: ${notSet}, as it is gone (someone removed it after this run claimed the week), so nothing blocks the week`,
      markerState: 'gone',
    };
  }
  return {
    text: `${then} only a resend sends it: ${notSet} and stays ${settled.state}, which blocks every other run`,
    markerState: 'sending',
  };
}

/**
 * Mails the report and records the outcome on the claimed marker; returns the message id. A mail
 * refused puts the archive back first (the earlier report, which recipients hold).
 */
async function mail(
  deps: WeeklyReportDeps,
  config: WeeklyReportConfig,
  ref: WeekRef,
  rendered: RenderedReport,
  { claim, archived }: { claim: WeekClaim; archived: Archived },
): Promise<string> {
  const { instance, isoWeek } = ref;
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send(mailOf(config, rendered)));
  } catch (error) {
    const reason = errorMessage(error);
    if (error instanceof MailRejectedError) {
      const unrestored = notRestored(await restoreArchive(ref.store, archived));
      const left = leftTo(
        await claim.settle({ state: 'failed', error: reason }),
        claim,
        'fix the cause, then',
      );
      throw new ReportSendError(
        `the weekly report ${isoWeek} of ${instance} was refused by the mail service and not sent (${reason}); ${left.text}${unrestored}`,
        left.markerState,
        { instance, isoWeek },
        'mail',
        { cause: error },
      );
    }
    await claim.settle({ state: 'unknown', error: reason });
    throw new ReportSendError(
      `sending the weekly report ${isoWeek} of ${instance} failed in a way that does not tell whether it was delivered (${reason}); it is not resent automatically: check the inbox`,
      'unknown',
      { instance, isoWeek },
      'mail',
      { cause: error },
    );
  }
  await claim.settle({ state: 'sent', messageId });
  return messageId;
}
/** Logs when the lists had to be shortened to keep the HTML within its budget (the JSON keeps all). */
export function warnIfShortened(
  log: Log,
  context: Record<string, string>,
  rendered: RenderedReport,
  htmlBytes: number,
): void {
  const { limits } = rendered;
  if (rendered.shortened) {
    log.warn('report lists shortened to keep the HTML under the size Gmail clips at', {
      ...context,
      htmlBytes,
      suspiciousLogins: limits.suspiciousLogins,
      failedLogins: limits.failedLogins,
      topList: limits.topList,
      countries: limits.countries,
    });
  }
}

/**
 * Mails the report of a week that has not ended, labelled as a preview. It touches neither the
 * sent-marker nor the archive: the week's report proper is made once the week is over (the
 * schedule's next run), and a preview must not stop it. Previews are not counted as ReportSent.
 */
async function sendPreview(
  deps: WeeklyReportDeps,
  config: WeeklyReportConfig,
  run: ReportRun,
): Promise<WeeklyReportOutcome> {
  const { instance } = config;
  const { week } = run;
  let built: Built;
  let messageId: string;
  try {
    built = await buildReport(deps, config, run);
  } catch (error) {
    throw previewFailure(week, instance, error, 'build');
  }
  try {
    ({ messageId } = await deps.mailer.send(mailOf(config, built.rendered)));
  } catch (error) {
    // As for a week's mail, only a refusal tells that nothing went out.
    throw previewFailure(
      week,
      instance,
      error,
      'mail',
      error instanceof MailRejectedError ? 'no' : 'unknown',
    );
  }
  const { model, rendered, html } = built;
  deps.log.info('weekly report preview sent (week not over: no marker, no archive)', {
    instance,
    isoWeek: week.isoWeek,
    messageId,
    recipients: config.to.length,
    subject: rendered.subject,
  });
  return {
    status: 'preview',
    instance,
    isoWeek: week.isoWeek,
    messageId,
    subject: rendered.subject,
    htmlBytes: html.byteLength,
    bytesScanned: model.bytesScanned,
    model,
  };
}

/** The mail of a rendered report, from the configured sender to the configured recipients. */
export const mailOf = (
  config: { from: string; to: readonly string[] },
  rendered: { subject: string; html: string; text: string },
): MailMessage => ({
  from: config.from,
  to: config.to,
  subject: rendered.subject,
  html: rendered.html,
  text: rendered.text,
});
