import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewSql } from '../../../functions/adapters/duckdb-engine.ts';
import { duckdbType } from '../../../functions/core/lake/column.ts';
import { COVERAGE_COLUMNS } from '../../../functions/core/lake/coverage-manifest.ts';
import { EVENT_COLUMNS } from '../../../functions/core/lake/event-record.ts';
import { type LakeTable, TABLE_PREFIXES } from '../../../functions/core/lake/layout.ts';
import { QUARANTINE_COLUMNS } from '../../../functions/core/lake/quarantine-record.ts';
import { TABLE_COLUMNS } from '../../../functions/core/lake/tables.ts';
import { lakeTableInput } from '../../../infra/catalog/lake-table-input.ts';

const TABLES = Object.keys(TABLE_PREFIXES) as LakeTable[];

let emptyLake: string;
beforeAll(async () => {
  emptyLake = await mkdtemp(path.join(tmpdir(), 'lake-tables-'));
});
afterAll(async () => {
  await rm(emptyLake, { recursive: true, force: true });
});

describe('TABLE_COLUMNS', () => {
  it("holds every lake table's columns, straight from the writer's schema modules", () => {
    expect(Object.keys(TABLE_COLUMNS).sort()).toEqual([...TABLES].sort());
    expect(TABLE_COLUMNS.activity_log).toBe(EVENT_COLUMNS);
    expect(TABLE_COLUMNS.coverage).toBe(COVERAGE_COLUMNS);
    expect(TABLE_COLUMNS.quarantine).toBe(QUARANTINE_COLUMNS);
  });

  it.each(TABLES)('is what both the Glue table and the DuckDB view of %s declare', async (table) => {
    const glue = lakeTableInput(table, {
      lakeRootUri: 's3://lake/',
      instances: ['acme'],
      startDate: '2025-01-01',
    });
    expect(glue.storageDescriptor).toMatchObject({
      columns: TABLE_COLUMNS[table].map((c) => ({ name: c.name, type: c.glue, comment: c.comment })),
    });
    // With no file yet the view is typed NULLs: exactly these columns, then the partition columns.
    const sql = await viewSql(emptyLake, table);
    const declared = [...sql.matchAll(/CAST\(NULL AS ([^)]+)\) AS (\w+)/g)].map((m) => [m[2], m[1]]);
    expect(declared).toEqual([
      ...TABLE_COLUMNS[table].map((c) => [c.name, duckdbType(c)]),
      ['instance', 'VARCHAR'],
      ['dt', 'VARCHAR'],
    ]);
  });
});
