import { ENGINE_OPTIONS } from './engine-target.ts';
import type { parseOptions } from './options.ts';

/**
 * The query command's options, apart from its entry: each way it runs (query-list.ts,
 * query-catalog-run.ts, ...) takes their values typed, without importing the entry that imports it.
 */
export const QUERY_SPEC = {
  list: { type: 'boolean', default: false },
  all: { type: 'boolean', default: false },
  sql: { type: 'string' },
  'sql-file': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  limit: { type: 'string' },
  'time-zone': { type: 'string' },
  param: { type: 'string', multiple: true },
  format: { type: 'string', default: 'table' },
  provenance: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean', default: false },
  ...ENGINE_OPTIONS,
} as const;

/** The values `query` parsed, as each of its ways to run takes them. */
export type QueryValues = ReturnType<typeof parseOptions<typeof QUERY_SPEC>>['values'];
