import { randomUUID } from 'node:crypto';
import { reportKey, reportSentKey } from '../lake/layout.ts';
import {
  type Clock,
  type Log,
  type Mailer,
  type MetricSink,
  noMetrics,
  type ObjectStore,
  PreconditionFailedError,
  type QueryEngine,
} from '../ports.ts';
import { buildReportModel, type ReportModelOptions } from './build-report-model.ts';
import { lastFullWeek, type ReportWeek, reportWeek } from './iso-week.ts';
import { MailRejectedError } from './mail-errors.ts';
import { renderReport } from './render-report.ts';
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
}

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
 * 2. Build the model, render it, and archive HTML, text and JSON under `reports/` (overwriting an
 *    earlier unsent attempt's files).
 * 3. Claim the week with a conditional put of a `sending` marker: create-only, or `If-Match` on a
 *    `failed` (or, when resending, any) marker's ETag. Losing the claim (412) means another run
 *    owns the week: `skipped`.
 * 4. Send. Then mark `sent`; or `failed` when the mail service refused it (the next run sends),
 *    or `unknown` for any other error (nobody resends without `resend: true`), and throw.
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
  const keys: ArchivedKeys = {
    html: reportKey(instance, week.isoWeek, 'html'),
    txt: reportKey(instance, week.isoWeek, 'txt'),
    json: reportKey(instance, week.isoWeek, 'json'),
    marker: markerKey,
  };
  const html = utf8(rendered.html);
  await store.put(keys.html, html, { contentType: 'text/html; charset=utf-8' });
  await store.put(keys.txt, utf8(rendered.text), { contentType: 'text/plain; charset=utf-8' });
  await store.put(keys.json, utf8(`${JSON.stringify(model, null, 2)}\n`), {
    contentType: 'application/json',
  });
  if (html.byteLength > 100_000) {
    log.warn('report HTML is over 100 KB: Gmail may clip it', { ...context, htmlBytes: html.byteLength });
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
      log.warn('could not update the report marker after sending', {
        ...context,
        state: next.state,
        error: (error as Error).message,
      });
    }
  };

  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send({
      from: config.from,
      to: config.to,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
    }));
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
