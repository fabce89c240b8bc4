import { DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { afterAll, beforeAll } from 'vitest';

/**
 * One in-memory DuckDB for a test file, opened before its tests and closed after, and a way to
 * ask it what one SQL expression gives for each of many inputs: the answers the TypeScript twins
 * of the catalog's SQL functions (sqlUpper, sqlLower) are held to.
 */
export function useDuckDbAnswers(): {
  /** The first row's `answer` column of `sql` run once per parameter list, in order. */
  answers: (sql: string, params: ReadonlyArray<readonly DuckDBValue[]>) => Promise<unknown[]>;
} {
  let duck: DuckDBInstance;
  beforeAll(async () => {
    duck = await DuckDBInstance.create(':memory:');
  });
  afterAll(() => {
    duck.closeSync();
  });
  return {
    answers: async (sql, params) => {
      const connection = await duck.connect();
      try {
        const out: unknown[] = [];
        for (const values of params) {
          out.push((await connection.runAndReadAll(sql, [...values])).getRowObjects()[0]?.answer);
        }
        return out;
      } finally {
        connection.closeSync();
      }
    },
  };
}
