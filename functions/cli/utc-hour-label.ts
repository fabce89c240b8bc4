import { lakeTimestamp } from '../core/lake/layout.ts';

/** An hour as the lake's messages name it, `2026-12-03 09:00Z` (the lake's timestamps, cut to the hour). */
export const utcHourLabel = (ms: number): string => `${lakeTimestamp(ms).slice(0, 13)}:00Z`;
