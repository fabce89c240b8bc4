/**
 * The errors the weekly report use case throws. Each carries what happened as data; the messages
 * say what the core knows, and each caller adds what to do in its own terms (a Lambda's config key
 * or invocation event, a command's flag).
 */

/** A report could not be mailed; says whether the next run will try again. */
export class ReportSendError extends Error {
  constructor(
    message: string,
    readonly markerState: 'failed' | 'unknown',
    readonly week: { instance: string; isoWeek: string },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ReportSendError';
  }
}

/**
 * Too little of the caller's time was left: before starting an instance (`start`), or after the
 * queries, before claiming the week (`claim`). Nothing was claimed or mailed.
 */
export class ReportTimeError extends Error {
  constructor(
    message: string,
    readonly stage: 'start' | 'claim',
    readonly remainingMs: number,
    readonly neededMs: number,
  ) {
    super(message);
    this.name = 'ReportTimeError';
  }
}
