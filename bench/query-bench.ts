import { openDuckDbEngine } from '../functions/adapters/duckdb-engine.ts';
import { bindParams, QUERY_NAMES, standardParams } from '../functions/queries/catalog.ts';

export interface QueryFigure {
  query: string;
  rows: number;
  medianMs: number;
}

/** Runs every catalog query over the last full week of `lakeDir` with DuckDB, three times each. */
export async function benchQueries(lakeDir: string, weekStartMs: number): Promise<QueryFigure[]> {
  const engine = await openDuckDbEngine({ lakeDir });
  const values = standardParams({
    instance: 'default',
    fromMs: weekStartMs,
    toMs: weekStartMs + 7 * 86_400_000,
  });
  try {
    const figures: QueryFigure[] = [];
    for (const name of QUERY_NAMES) {
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < 3; i++) {
        const result = await engine.run(name, bindParams(name, values));
        times.push(result.elapsedMs);
        rows = result.rows.length;
      }
      figures.push({ query: name, rows, medianMs: times.sort((a, b) => a - b)[1] ?? 0 });
    }
    return figures;
  } finally {
    await engine.close();
  }
}
