import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { IngestCommandResult } from '../../functions/cli/commands/ingest.ts';
import { ingestStatus } from '../../functions/cli/main.ts';
import { READ_TIME_CEILING } from '../../functions/core/ingest/fetch-range.ts';
import type { IngestSummary } from '../../functions/core/ingest/ingest-types.ts';

const failure = { windowStartMs: Date.parse('2026-10-01T03:00:00Z'), message: 'Domo answered 500.' };
const STOPPED =
  'ingest stopped: 1 failure (1 hour failed), first at 2026-10-01T03:00Z: Domo answered 500; finished hours are kept, run again to retry';

/** The status of an ingest outcome, and what it wrote on stderr. */
function statusOf(failures: IngestSummary['failures'], interrupted: IngestCommandResult['interrupted']) {
  const stderr = new PassThrough();
  const summary = { failures, windowsFailed: failures.length, windowsDone: 2 } as unknown as IngestSummary;
  return { code: ingestStatus({ summary, interrupted }, stderr), stderr: String(stderr.read() ?? '') };
}

describe('ingestStatus', () => {
  it('is 0 for a run without failures, and a failure naming the first hour for one with', () => {
    expect(statusOf([], null)).toEqual({ code: 0, stderr: '' });
    expect(() => statusOf([failure], null)).toThrow(STOPPED);
  });

  it("is the signal's status when interrupted, after the line of the hours that failed", () => {
    expect(statusOf([failure], 'SIGTERM')).toEqual({ code: 143, stderr: `error: ${STOPPED}\n` });
    expect(statusOf([], 'SIGINT')).toEqual({ code: 130, stderr: '' });
  });

  it("fails a run a fatal error stopped as the Lambda and the run record do, by the core's verdict", () => {
    const stderr = new PassThrough();
    const summary = {
      failures: [],
      windowsFailed: 0,
      windowsDone: 2,
      stoppedEarly: 'fatal-error',
    } as unknown as IngestSummary;
    expect(() => ingestStatus({ summary, interrupted: null }, stderr)).toThrow('ingest stopped');
  });

  it('offers a read ceiling from the one the run was given', () => {
    const slow = {
      windowStartMs: failure.windowStartMs,
      message: `Domo took 45.4 min for 90 pages (90000 entries) of X without ending the range (ceiling 45 min ${READ_TIME_CEILING}, or the API is too slow.`,
    };
    const summary = { failures: [slow], windowsFailed: 1, windowsDone: 0 } as unknown as IngestSummary;
    expect(() => ingestStatus({ summary, interrupted: null, maxReadMinutes: 45 }, new PassThrough())).toThrow(
      'a higher --max-read-minutes than the 45 given, e.g. 90)',
    );
  });
});
