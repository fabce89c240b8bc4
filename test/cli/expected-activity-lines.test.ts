/**
 * What `alerts --expected` says of the list after a run: a rule that matched a bulk export made
 * acting as other users, which no rule quiets, is named with the count it matched (sent), beside
 * the rules that quieted alerts.
 */
import { describe, expect, it } from 'vitest';
import { expectedActivityLines } from '../../functions/cli/expected-activity-option.ts';
import type { AlertsRunSummary } from '../../functions/core/alerts/run-alerts.ts';

const NOW = Date.parse('2026-12-07T12:00:00Z');

describe('the lines of the expected-activity list', () => {
  it('name a rule that matched pulls made acting as others, which were sent', () => {
    const summary = {
      actingAsOthers: [
        { rule: 2, name: 'nightly', reason: "Ada's nightly export", alerts: 2, kinds: { bulk_export: 2 } },
      ],
    } as Partial<AlertsRunSummary> as AlertsRunSummary;
    expect(expectedActivityLines(summary, [], NOW)).toEqual([
      'rule 2 ("nightly") matched 2 alerts (2 bulk exports) made acting as other users: sent, no rule quiets those',
    ]);
  });
});
