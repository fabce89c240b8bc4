/**
 * The hours of a run that never sealed carry the API its digests say it read, for the scratch pull
 * verify prints to pull from (review R-EVIDENCE3 L3); a run of a version that records no runner
 * carries none.
 */
import { describe, expect, it } from 'vitest';
import type { Digest } from '../../../functions/core/lake/digest.ts';
import { OpenRuns } from '../../../functions/core/lake/digest-open-runs.ts';

const digest = (sequence: number, runId: string, apiBase?: string): Digest =>
  ({
    format: 'domo-activity-lake/digest@1',
    instance: 'acme',
    sequence,
    run_id: runId,
    created_at: '2026-12-06T07:00:00.000Z',
    previous: null,
    genesis: sequence === 0,
    sealed: false,
    from_ms: 0,
    to_ms: 3_600_000,
    objects: [],
    ...(apiBase === undefined
      ? {}
      : {
          runner: {
            trigger: 'ingest-range',
            api_base: apiBase,
            caller: { kind: 'command-line', self_reported: true, host: 'h', user: 'u' },
          },
        }),
  }) as unknown as Digest;

describe('the span of an open run', () => {
  it('carries the API its digests say it read, and none when they record no runner', () => {
    const runs = new OpenRuns();
    runs.note(digest(0, 'old'));
    runs.note(digest(1, 'sim', 'http://127.0.0.1:18961'));
    expect(runs.spanOf('sim')).toMatchObject({ apiBase: 'http://127.0.0.1:18961', lastSequence: 1 });
    expect(runs.spanOf('old')).not.toHaveProperty('apiBase');
  });
});
