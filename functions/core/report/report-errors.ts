/**
 * The errors the weekly report use case throws. Each carries what happened as data; the messages
 * say what the core knows, and each caller adds what to do in its own terms (a Lambda's config key
 * or invocation event, a command's flag).
 */

/**
 * A report could not be mailed. `failed`: nothing was sent, and a run for this week sends it (the
 * schedule's next run reports the next week, so someone has to ask for this one); `unknown`: it
 * may have been delivered, and only a deliberate resend mails it again; `sending`: nothing was
 * sent, but the week's marker is (or may be) left `sending`, which blocks every run, so only a
 * deliberate resend sends it; `taken-over`: nothing was sent by this run, but another run (a
 * resend) took the week's marker over meanwhile: that run's outcome is the week's, and nobody
 * should send it again; `gone`: nothing was sent, and someone removed the marker, so nothing
 * blocks the week and a run for it sends it; `unread`: nothing was sent, and the marker changed
 * after the claim but could not be read again, so whose the week is must be looked up first.
 */
export class ReportSendError extends Error {
  constructor(
    message: string,
    readonly markerState: 'failed' | 'unknown' | 'sending' | 'taken-over' | 'gone' | 'unread',
    readonly week: { instance: string; isoWeek: string },
    /**
     * What failed (its error is the `cause`): claiming the week (writing its marker), archiving the
     * report, or mailing it. A caller that words the failure in its own terms (the CLI, which
     * writes files where the Lambda mails) says it from this.
     */
    readonly step: 'claim' | 'archive' | 'mail',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ReportSendError';
  }
}

/**
 * The preview of a week not over yet could not be mailed. A preview is never claimed, marked or
 * archived, so nothing needs sending again: the week's report is made as usual once the week is
 * over. Asking for the week again before `endsAt` (the week's end, local time and zone) mails the
 * preview again; after it, that same request makes the week's report itself. `mailed`: `no` when
 * it stopped before the mail or the mail service refused it; `unknown` when sending it failed in a
 * way that does not tell whether it was delivered (a timeout, a server error), as for a week's mail.
 */
export class ReportPreviewError extends Error {
  constructor(
    message: string,
    readonly week: { instance: string; isoWeek: string },
    readonly endsAt: string,
    readonly mailed: 'no' | 'unknown',
    options: { cause?: unknown } | undefined,
    /**
     * What failed: making the report (a query, the time left) or sending (writing) it. No default:
     * the two are told apart to the user, so each caller says which it stopped at.
     */
    readonly stage: 'build' | 'mail',
  ) {
    super(message, options);
    this.name = 'ReportPreviewError';
  }
}

/**
 * Too little of the caller's time was left: before starting an instance (`start`), while the
 * queries ran (`queries`: they were stopped), or after the queries, before claiming the week
 * (`claim`). Nothing was claimed or mailed, so a run for `week` sends it; when this run was a
 * `resend`, only another resend does (the marker it was taking over still blocks a plain run).
 */
export class ReportTimeError extends Error {
  constructor(
    message: string,
    readonly stage: 'start' | 'queries' | 'claim',
    readonly remainingMs: number,
    readonly neededMs: number,
    readonly week: { instance: string; isoWeek: string },
    readonly resend = false,
  ) {
    super(message);
    this.name = 'ReportTimeError';
  }
}

/**
 * What sends a week nothing was claimed or mailed for. A resend may have been taking over a marker
 * that blocks a plain run (`sent`, `unknown`, `sending`), so only the resend again is sure to.
 */
export const runThatSends = (resend: boolean): string =>
  resend ? 'only the resend again sends it' : 'a run for this week sends it';
