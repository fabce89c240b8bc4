import { randomUUID } from 'node:crypto';
import { reportKey, reportSentKey } from '../lake/layout.ts';
import {
  type Clock,
  type Log,
  type Mailer,
  type MailMessage,
  type MetricSink,
  noMetrics,
  type ObjectStore,
  PreconditionFailedError,
  type QueryEngine,
} from '../ports.ts';
import { buildReportModel, type ReportModelOptions } from './build-report-model.ts';
import { lastFullWeek, type ReportWeek, reportWeek } from './iso-week.ts';
import { MailRejectedError } from './mail-errors.ts';
import { RENDER_LIMITS } from './render-limits.ts';
import { type RenderedReport, renderReport } from './render-report.ts';
import { REPORT_METRICS } from './report-metrics.ts';
import type { WeeklyReportModel } from './report-model.ts';
import {
  blocksSending,
  decodeMarker,
  encodeMarker,
  type SentMarker,
  type SentMarkerState,
} from './sent-marker.ts';

export interface WeeklyReportDeps {
  engine: QueryEngine;
  store: ObjectStore;
  mailer: Mailer;
  clock: Clock;
  log: Log;
  metrics?: MetricSink;
  /**
   * Milliseconds the caller has left (a Lambda's `getRemainingTimeInMillis`). A week is claimed
   * only with at least {@link MIN_TIME_TO_SEND_MS} left; without this, time is not checked.
   */
  remainingTimeMs?: () => number;
}

/**
 * Least time left at which a week is claimed: enough to archive the report, wait out one SendEmail
 * request to its timeout (20 s in the Lambda) and record the outcome on the marker. A run cut off
 * after the claim would leave the marker at `sending`, blocking the week for good although
 * nothing may have been mailed.
 */
export const MIN_TIME_TO_SEND_MS = 30_000;

export interface WeeklyReportConfig
  extends Pick<ReportModelOptions, 'topN' | 'historyDays' | 'minHistoryLogins' | 'concurrency'> {
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
      reason: SentMarkerState | 'claimed';
      marker?: SentMarker;
    };

/** Raised when a report could not be mailed; says whether the next run will try again. */
export class ReportSendError extends Error {
  constructor(
    message: string,
    readonly markerState: 'failed' | 'unknown',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ReportSendError';
  }
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** The week a run reports on: the one asked for, or the last full week before now. */
export const resolveWeek = (timeZone: string, nowMs: number, week?: string): ReportWeek =>
  week ? reportWeek(week, timeZone) : lastFullWeek(nowMs, timeZone);

/**
 * Builds, archives and mails one instance's weekly report, at most once per instance and week.
 *
 * 1. If the week's sent-marker exists in a blocking state (sending, sent, unknown), return
 *    `skipped` before running any query (a retry costs nothing).
 * 2. Build the model and render it. With less than {@link MIN_TIME_TO_SEND_MS} left, stop here
 *    and throw: nothing is claimed, so a later run sends it.
 * 3. Claim the week with a conditional put of a `sending` marker: create-only, or `If-Match` on a
 *    `failed` (or, when resending, any) marker's ETag. Losing the claim (412) means another run
 *    owns the week: `skipped`, and nothing is written.
 * 4. Archive HTML, text and JSON under `reports/` (only the claim's owner writes them). If that
 *    fails, the marker becomes `failed` (nothing was sent) and the error is thrown.
 * 5. Send. Then mark `sent`; or `failed` when the mail service refused it (the next run sends),
 *    or `unknown` for any other error (nobody resends without `resend: true`), and throw.
 *
 * A week that has not ended is never claimed, marked or archived: it is mailed as a preview
 * (labelled in the subject and the body) and the week's real report still goes out after it ends.
 *
 * A crash between claim and send leaves `sending`, which blocks: the design prefers a missing mail
 * (visible: no ReportSent metric, an error alarm, the marker) to a duplicate one.
 */
export async function sendWeeklyReport(
  deps: WeeklyReportDeps,
  config: WeeklyReportConfig,
): Promise<WeeklyReportOutcome> {
  const { store, log, clock } = deps;
  const metrics = deps.metrics ?? noMetrics;
  const nowMs = clock.now();
  const week = resolveWeek(config.timeZone, nowMs, config.week);
  if (nowMs < week.endMs) return sendPreview(deps, config, week, nowMs);
  const { instance } = config;
  const markerKey = reportSentKey(instance, week.isoWeek);
  const context = { instance, isoWeek: week.isoWeek, markerKey };

  const existing = await store.get(markerKey);
  const existingMarker = existing ? decodeMarker(existing.body, instance, week.isoWeek) : undefined;
  if (existingMarker && blocksSending(existingMarker.state) && !config.resend) {
    log.info('weekly report already handled for this week: not sending again', {
      ...context,
      state: existingMarker.state,
      attemptId: existingMarker.attemptId,
    });
    metrics.count(REPORT_METRICS.skipped, 1);
    return {
      status: 'skipped',
      instance,
      isoWeek: week.isoWeek,
      reason: existingMarker.state,
      marker: existingMarker,
    };
  }

  const model = await buildReportModel(deps.engine, { ...config, week, nowMs });
  const rendered = renderReport(model);
  const html = utf8(rendered.html);
  warnIfShortened(log, context, rendered, html.byteLength);

  const remainingMs = deps.remainingTimeMs?.();
  if (remainingMs !== undefined && remainingMs < MIN_TIME_TO_SEND_MS) {
    throw new Error(
      `the weekly report ${week.isoWeek} of ${instance} was not sent: only ${Math.floor(remainingMs / 1000)} s of the function's time were left after the queries, and claiming, archiving and mailing it safely needs ${MIN_TIME_TO_SEND_MS / 1000} s. Nothing was claimed or mailed, so the next invocation sends it; raise report.timeoutMinutes in cdk.json if this recurs`,
    );
  }

  const attemptId = randomUUID();
  const at = new Date(nowMs).toISOString();
  const marker: SentMarker = {
    state: 'sending',
    instance,
    isoWeek: week.isoWeek,
    attemptId,
    claimedAt: at,
    updatedAt: at,
    subject: rendered.subject,
    recipients: config.to.length,
  };
  let claim: { etag: string };
  try {
    claim = await store.put(
      markerKey,
      encodeMarker(marker),
      existing
        ? { ifMatch: existing.etag, contentType: 'application/json' }
        : { ifNoneMatch: '*', contentType: 'application/json' },
    );
  } catch (error) {
    if (!(error instanceof PreconditionFailedError)) throw error;
    log.info("another run claimed this week's report first: not sending", context);
    metrics.count(REPORT_METRICS.skipped, 1);
    return { status: 'skipped', instance, isoWeek: week.isoWeek, reason: 'claimed' };
  }

  const settle = async (update: Partial<SentMarker>) => {
    const next = { ...marker, ...update, updatedAt: new Date(clock.now()).toISOString() };
    try {
      await store.put(markerKey, encodeMarker(next), {
        ifMatch: claim.etag,
        contentType: 'application/json',
      });
    } catch (error) {
      // The claim still blocks further sends; only the marker's detail is stale.
      log.warn('could not update the report marker after claiming it', {
        ...context,
        state: next.state,
        error: (error as Error).message,
      });
    }
  };

  // Archived only by the run that owns the week, so a run that lost the claim never overwrites
  // what the winner archived (and mailed).
  const keys: ArchivedKeys = {
    html: reportKey(instance, week.isoWeek, 'html'),
    txt: reportKey(instance, week.isoWeek, 'txt'),
    json: reportKey(instance, week.isoWeek, 'json'),
    marker: markerKey,
  };
  try {
    await store.put(keys.html, html, { contentType: 'text/html; charset=utf-8' });
    await store.put(keys.txt, utf8(rendered.text), { contentType: 'text/plain; charset=utf-8' });
    await store.put(keys.json, utf8(`${JSON.stringify(model, null, 2)}\n`), {
      contentType: 'application/json',
    });
  } catch (error) {
    const reason = (error as Error).message;
    await settle({ state: 'failed', error: `archiving failed: ${reason}` });
    throw new ReportSendError(
      `the weekly report ${week.isoWeek} of ${instance} was not sent because archiving it under ${store.location}reports/ failed (${reason}); nothing was mailed, the next run sends it`,
      'failed',
      { cause: error },
    );
  }

  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send(mailOf(config, rendered)));
  } catch (error) {
    const reason = (error as Error).message;
    if (error instanceof MailRejectedError) {
      await settle({ state: 'failed', error: reason });
      throw new ReportSendError(
        `the weekly report ${week.isoWeek} of ${instance} was refused by the mail service and not sent (${reason}); fix the cause, the next run sends it`,
        'failed',
        { cause: error },
      );
    }
    await settle({ state: 'unknown', error: reason });
    throw new ReportSendError(
      `sending the weekly report ${week.isoWeek} of ${instance} failed in a way that does not tell whether it was delivered (${reason}); it is not resent automatically: check the inbox, and to send it again invoke the report with {"week":"${week.isoWeek}","resend":true}`,
      'unknown',
      { cause: error },
    );
  }
  await settle({ state: 'sent', messageId });
  metrics.count(REPORT_METRICS.sent, 1);
  log.info('weekly report sent', {
    ...context,
    messageId,
    recipients: config.to.length,
    subject: rendered.subject,
  });
  return {
    status: 'sent',
    instance,
    isoWeek: week.isoWeek,
    messageId,
    subject: rendered.subject,
    keys,
    htmlBytes: html.byteLength,
    bytesScanned: model.bytesScanned,
    model,
  };
}

/** Logs when the lists had to be shortened to keep the HTML within its budget (the JSON keeps all). */
function warnIfShortened(
  log: Log,
  context: Record<string, string>,
  rendered: RenderedReport,
  htmlBytes: number,
): void {
  const { limits } = rendered;
  if (
    limits.suspiciousLogins < RENDER_LIMITS.suspiciousLogins ||
    limits.failedLogins < RENDER_LIMITS.failedLogins ||
    limits.topList < RENDER_LIMITS.topList
  ) {
    log.warn('report lists shortened to keep the HTML under the size Gmail clips at', {
      ...context,
      htmlBytes,
      suspiciousLogins: limits.suspiciousLogins,
      failedLogins: limits.failedLogins,
      topList: limits.topList,
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
  week: ReportWeek,
  nowMs: number,
): Promise<WeeklyReportOutcome> {
  const { instance } = config;
  const context = { instance, isoWeek: week.isoWeek };
  const model = await buildReportModel(deps.engine, { ...config, week, nowMs });
  const rendered = renderReport(model);
  const htmlBytes = utf8(rendered.html).byteLength;
  warnIfShortened(deps.log, context, rendered, htmlBytes);
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send(mailOf(config, rendered)));
  } catch (error) {
    throw new Error(
      `the preview of the weekly report ${week.isoWeek} of ${instance} (a week not over yet) could not be mailed: ${(error as Error).message}`,
      { cause: error },
    );
  }
  deps.log.info('weekly report preview sent (week not over: no marker, no archive)', {
    ...context,
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
    htmlBytes,
    bytesScanned: model.bytesScanned,
    model,
  };
}

/** The mail of a rendered report, from the configured sender to the configured recipients. */
const mailOf = (
  config: { from: string; to: readonly string[] },
  rendered: { subject: string; html: string; text: string },
): MailMessage => ({
  from: config.from,
  to: config.to,
  subject: rendered.subject,
  html: rendered.html,
  text: rendered.text,
});
