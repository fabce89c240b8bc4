import { type HourWindow, normaliseWindow } from '../../functions/core/ingest/normalise-window.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { normaliseContextFor } from './normalise-context.ts';

/** The event records the ingest makes of `entries` served in one pull of `window` (text = JSON). */
export const eventRecordsOf = (window: HourWindow, entries: readonly object[]): EventRecord[] =>
  normaliseWindow(
    entries.map((value) => ({ value, text: JSON.stringify(value) })),
    window,
    normaliseContextFor(window),
  ).records;
