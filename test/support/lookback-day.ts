import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import type { IngestProgress } from '../../functions/core/ingest/ingest-types.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { viewEntry } from './memory-audit-source.ts';

/** The day the lookback tests run on, from its first hour. */
export const day0 = Date.parse('2026-10-01T00:00:00Z');
export const hour = (h: number) => day0 + h * HOUR_MS;
/** Half past hour `h`: with the default 15 settle minutes, every hour before `h` is closed. */
export const at = (h: number) => hour(h) + 30 * 60_000;
/** A busy instance (one hour per span, with `hourly`), three spans at once, the default lookback of 2 hours. */
/** Without the later pull (later-pull.test.ts): these runs are the lookback's. */
export const config = {
  ...defaultIngestConfig('acme'),
  backfillDays: 1,
  concurrency: 3,
  repullAfterHours: 0,
};
export const hourly = { spanSizing: { targetEvents: 1, maxHours: 1 } };
/** An entry of 02:00 that Domo starts serving only after the first run. */
export const lateEntry = viewEntry(hour(2) + 25 * 60_000 + 7, 99);
/** Six entries an hour, every ten minutes from 00:00, for `hours` hours. */
export const sixAnHour = (hours: number) =>
  Array.from({ length: hours * 6 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i));

/** Resolves `done` once the run has finished `hours` hours (so the held or failing hour is the last one left). */
export function afterHours(hours: number) {
  let reached = () => {};
  const done = new Promise<void>((resolve) => (reached = resolve));
  const onProgress = (p: IngestProgress) => {
    if (p.windowsDone >= hours) reached();
  };
  return { done, onProgress };
}
