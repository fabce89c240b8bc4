import { advanceCheckpoint } from '../../../../functions/core/lake/checkpoint.ts';
import { activityKey } from '../../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../../functions/core/lake/ndjson.ts';
import type { ObjectStore } from '../../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../../functions/core/time-units.ts';
import { record } from './alert-fixtures.ts';

/**
 * A lake of instance `acme` with a lockout at 00:05, 02:05 and 04:05 after `h0` (an hour's start),
 * complete up to 05:00: an alert in every other hour, for runs that stop short of its end.
 */
export async function writeLockoutLake(store: ObjectStore, h0: number): Promise<void> {
  const at = (hours: number) => h0 + hours * HOUR_MS;
  for (const h of [0, 2, 4]) {
    const lockout = record({ category: 'lockout', event_time_ms: at(h) + 5 * 60_000 });
    await store.put(activityKey('acme', at(h)), encodeNdjsonGzip([lockout]));
  }
  await advanceCheckpoint(store, 'acme', {
    watermarkMs: at(5),
    runId: 'fixture',
    codeVersion: 'test',
    now: at(5),
  });
}
