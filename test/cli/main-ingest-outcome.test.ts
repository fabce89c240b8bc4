import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { IngestCommandResult } from '../../functions/cli/commands/ingest.ts';
import { ingestStatus } from '../../functions/cli/main.ts';
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
});
