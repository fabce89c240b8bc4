import type { Column } from './column.ts';
import { COVERAGE_COLUMNS } from './coverage-manifest.ts';
import { EVENT_COLUMNS } from './event-record.ts';
import type { LakeTable } from './layout.ts';
import { QUARANTINE_COLUMNS } from './quarantine-record.ts';

/**
 * Each lake table's columns, in file order, exactly as the writer's schema modules declare them.
 * The Glue tables (infra) and the local DuckDB views both read this one map, so neither can list a
 * column the writer does not write.
 */
export const TABLE_COLUMNS: Readonly<Record<LakeTable, readonly Column[]>> = {
  activity_log: EVENT_COLUMNS,
  coverage: COVERAGE_COLUMNS,
  quarantine: QUARANTINE_COLUMNS,
};
