/**
 * What `alerts` says of the hours a lake without a checkpoint does not cover, when there are many
 * gaps: each named up to five, the rest counted, and one `ingest` over all of them.
 */
import { describe, expect, it } from 'vitest';
import { skippedLines } from '../../functions/cli/commands/alerts.ts';
import type { LakeTarget } from '../../functions/cli/lake-target.ts';
import type { AlertsRunSummary } from '../../functions/core/alerts/run-alerts.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';

const H0 = Date.parse('2026-10-01T00:00:00Z');
const at = (hours: number) => H0 + hours * HOUR_MS;
const target = { spec: { kind: 'fs', dir: '/lakes/incident' }, instance: 'acme' } as unknown as LakeTarget;
const summaryOf = (uncovered: [number, number][]) =>
  ({
    coverage: { uncovered: uncovered.map(([from, to]) => ({ fromMs: at(from), toMs: at(to) })) },
  }) as AlertsRunSummary;

describe('alerts: the hours skipped on a lake without a checkpoint', () => {
  it('names five gaps, counts the rest, and pulls them all with one ingest', () => {
    const gaps: [number, number][] = [1, 3, 5, 7, 9, 11, 13].map((h) => [h, h + 1]);
    gaps.push([20, 24]);
    expect(skippedLines(summaryOf(gaps), 'UTC', target, '/lakes/incident')).toEqual([
      'skipped 11 hours the lake does not cover (never pulled whole), not judged: 2026-10-01 01:00 up to 2026-10-01 02:00, 2026-10-01 03:00 up to 2026-10-01 04:00, 2026-10-01 05:00 up to 2026-10-01 06:00, 2026-10-01 07:00 up to 2026-10-01 08:00, 2026-10-01 09:00 up to 2026-10-01 10:00 UTC, and 3 more spans (6 hours)',
      "to judge them, pull them with npx --no domo-activity-lake ingest --lake /lakes/incident --instance acme --from 2026-10-01T01:00:00Z --to 2026-10-02T00:00:00Z (the covered hours between are pulled again, merged, never twice; add --api-base <url> if the lake was not pulled from Domo's API), then run alerts again",
    ]);
  });

  it('says nothing of a lake with a checkpoint, or without a gap', () => {
    expect(skippedLines({} as AlertsRunSummary, 'UTC', target, '/lakes/incident')).toEqual([]);
    expect(skippedLines(summaryOf([]), 'UTC', target, '/lakes/incident')).toEqual([]);
  });
});
