import { describe, expect, it } from 'vitest';
import { ingestStoppedMessage } from '../../functions/cli/failure-message.ts';

describe('the line of an ingest stopped on failed hours', () => {
  it('counts every failed hour and names the first', () => {
    const at = Date.parse('2026-10-01T05:00:00Z');
    const failures = [
      { windowStartMs: at, message: 'Domo answered 500.' },
      { windowStartMs: at + 3_600_000, message: 'Domo answered 500.' },
      { windowStartMs: at + 7_200_000, message: 'Domo answered 500.' },
    ];
    const stopped = (hours: number) =>
      ingestStoppedMessage(failures as Parameters<typeof ingestStoppedMessage>[0], hours, 2);
    expect(stopped(3)).toBe(
      'ingest stopped: 3 failures (3 hours failed), first at 2026-10-01T05:00Z: Domo answered 500; finished hours are kept, run again to retry',
    );
    // The summary's count: a span of several hours that fails fails every hour of it.
    expect(stopped(12)).toBe(
      'ingest stopped: 3 failures (12 hours failed), first at 2026-10-01T05:00Z: Domo answered 500; finished hours are kept, run again to retry',
    );
    expect(ingestStoppedMessage(failures.slice(0, 1), 1, 2)).toMatch(
      /^ingest stopped: 1 failure \(1 hour failed\), first at/,
    );
  });
});
