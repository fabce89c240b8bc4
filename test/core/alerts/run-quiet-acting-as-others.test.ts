/**
 * A bulk export made acting as other users is never quieted (5bbbc0ed "alerts: never quiet a
 * bulk export made acting as other users"); the run now says so per rule: the rule naming the doer
 * that would have quieted it is counted in the summary and a warning, so its author knows why the
 * pull they meant to quiet was sent. Until 2026-12-07 the quieting report was silent on it.
 */
import { describe, expect, it } from 'vitest';
import { parseExpectedActivity } from '../../../functions/core/alerts/expected-activity.ts';
import { quietAlerts } from '../../../functions/core/alerts/quiet-alerts.ts';
import { runAlerts } from '../../../functions/core/alerts/run-alerts.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { HOUR_MS, MINUTE_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { recordingLog } from '../../support/recording-log.ts';
import { alertOf, ingestedHour, RecordingChannel, record, settings } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-24T14:00:00Z');
const RULES = parseExpectedActivity([
  { kind: 'new_country', user: '9', reason: 'another user' },
  { name: 'nightly', kind: 'bulk_export', user: '7', reason: "Ada's nightly export" },
]);

/** Five cards exported by user 7 (Ada), the first `acting` of them acting as users 100, 101, … */
const fiveCards = (acting: number): EventRecord[] =>
  Array.from({ length: 5 }, (_, k) =>
    record({
      event_time_ms: H + 10 * MINUTE_MS + k * 1000,
      category: 'other',
      action_type: 'EXPORTED',
      object_type: 'CARD',
      object_id: String(k + 1),
      ip_address: '198.51.100.7',
      ...(k < acting ? { user_id: `10${k}`, actor_id: '7', actor_name: 'Admin Ada' } : { user_id: '7' }),
    }),
  );

/** One alerts run over hour H of `records`, with RULES: its summary, what it logged and sent. */
async function run(records: EventRecord[]) {
  const store = new MemoryObjectStore();
  const now = H + HOUR_MS + 5 * MINUTE_MS;
  await ingestedHour(store, H, records, now);
  const { log, logged } = recordingLog();
  const channel = new RecordingChannel();
  const summary = await runAlerts(
    { store, clock: { now: () => now }, log, channels: [channel] },
    { instance: 'acme', settings: settings({ exportBurst: 5 }), runId: 'r', startMs: H, expected: RULES },
  );
  return { summary, logged, sent: channel.delivered.filter((a) => a.kind === 'bulk_export') };
}

const REFUSED = {
  rule: 2,
  name: 'nightly',
  reason: "Ada's nightly export",
  alerts: 1,
  kinds: { bulk_export: 1 },
};

describe('a pull made acting as others, which a rule names the doer of', () => {
  it('is counted under the rule in the summary and a warning, and sent', async () => {
    const { summary, logged, sent } = await run(fiveCards(2));
    expect(sent).toHaveLength(1);
    expect(summary.quieted).toBeUndefined();
    expect(summary.actingAsOthers).toEqual([REFUSED]);
    expect(logged).toContainEqual([
      'warn',
      'alerts an expected-activity rule matches made acting as other users: sent, never quieted',
      expect.objectContaining({ instance: 'acme', ...REFUSED }),
    ]);
  });

  it('is not counted when the doer pulled as themselves: quieted', async () => {
    const { summary, sent } = await run(fiveCards(0));
    expect(sent).toEqual([]);
    expect(summary.quieted).toEqual([{ ...REFUSED }]);
    expect(summary.actingAsOthers).toBeUndefined();
  });

  it('is counted under the first rule that would quiet it, and only a pull made as others', () => {
    const acting = alertOf({ kind: 'bulk_export', user_id: '7', acting_as_others: true });
    const other = alertOf({ kind: 'bulk_export', user_id: '8', acting_as_others: true });
    const twice = parseExpectedActivity([
      { kind: 'bulk_export', user: '7', reason: 'first' },
      { kind: 'bulk_export', user: ['7', '8'], reason: 'second' },
    ]);
    const outcome = quietAlerts([acting, other], twice, H);
    expect(outcome.send).toEqual([acting, other]);
    expect(outcome.actingAsOthers).toEqual([
      { rule: 1, reason: 'first', alerts: 1, kinds: { bulk_export: 1 } },
      { rule: 2, reason: 'second', alerts: 1, kinds: { bulk_export: 1 } },
    ]);
    expect(quietAlerts([{ ...other, user_id: '9' }], twice, H).actingAsOthers).toEqual([]);
  });
});
