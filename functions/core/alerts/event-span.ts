import type { Alert } from './alert.ts';

/**
 * The event times of the oldest and newest of `alerts` (Infinity and -Infinity for none). A loop,
 * not `Math.min(...times)`: that passes each time as an argument, and a backlog of 150,000 alerts
 * overflowed the stack (review R-LAST L4).
 */
export function eventSpan(alerts: readonly Pick<Alert, 'event_time_ms'>[]): {
  oldestMs: number;
  newestMs: number;
} {
  let oldestMs = Number.POSITIVE_INFINITY;
  let newestMs = Number.NEGATIVE_INFINITY;
  for (const { event_time_ms: t } of alerts) {
    if (t < oldestMs) oldestMs = t;
    if (t > newestMs) newestMs = t;
  }
  return { oldestMs, newestMs };
}
