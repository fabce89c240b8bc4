import { compileCategoryRules, DEFAULT_CATEGORY_RULES } from '../../functions/core/domo/category-rules.ts';

/**
 * What `normaliseWindow` is told of a run reading `window` as the ingest asks it (from 1 ms
 * before its start), with the default category rules, UTC documents and a fixed run.
 */
export const normaliseContextFor = (
  window: { startMs: number; endMs: number },
  ingestedAt = '2026-10-01T12:00:00.000Z',
) => ({
  categorize: compileCategoryRules(DEFAULT_CATEGORY_RULES),
  docTimeZone: 'UTC',
  ingestedAt,
  runId: 'run-1',
  requestedStartMs: window.startMs - 1,
  requestedEndMs: window.endMs,
});
