/**
 * A failed-login burst straddling an hour boundary, through the run's own reads: evaluating an
 * hour hands the detectors the hour before it, so 3 failures at 10:57–10:59 and 2 at 11:01–11:02
 * are one burst, raised by 11:00.
 */
import { describe, expect, it } from 'vitest';
import { newAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { evaluateHours } from '../../../functions/core/alerts/evaluate-hours.ts';
import { hourContentHash } from '../../../functions/core/alerts/lake-hours.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { evaluationContext, record } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-01T11:00:00Z');
const MIN = 60_000;

describe('evaluateHours: a burst across the hour boundary', () => {
  it('is raised once, by the hour it completes in, from failures of both hours', async () => {
    const failure = (ms: number) => record({ event_time_ms: ms, category: 'login_failed' });
    const store = new MemoryObjectStore();
    const early = [-3, -2, -1].map((m) => failure(H + m * MIN));
    const late = [1, 2].map((m) => failure(H + m * MIN));
    await store.put(activityKey('acme', H - HOUR_MS), encodeNdjsonGzip(early));
    await store.put(activityKey('acme', H), encodeNdjsonGzip(late));
    const context = evaluationContext(store);

    // The hour before was evaluated by an earlier run (its content unchanged since): only 11:00 is.
    const checkpoint = {
      ...newAlertCheckpoint('acme', H - HOUR_MS),
      next_hour_ms: H,
      evaluated: { [String(H - HOUR_MS)]: await hourContentHash(store, 'acme', H - HOUR_MS) },
    };
    const { alerts, evaluated } = await evaluateHours(context, checkpoint, H + HOUR_MS);

    expect([...evaluated.keys()]).toEqual([H]);

    expect(alerts).toMatchObject([
      {
        kind: 'failed_login_burst',
        event_time_ms: H + 2 * MIN,
        event_ids: [...early, ...late].map((e) => e.event_id),
      },
    ]);
  });
});
