import { type DuckDbQueryEngine, openDuckDbEngine } from '../functions/adapters/duckdb-engine.ts';
import { DEFAULT_INSTANCE } from '../functions/cli/lake-target.ts';
import { checkParamValue, standardParams } from '../functions/core/queries/query-params.ts';
import { DAY_MS } from '../functions/core/time-units.ts';
import { QUERY_NAMES } from '../functions/queries/catalog.ts';

interface QueryFigure {
  query: string;
  rows: number;
  medianMs: number;
}

/** Runs every catalog query over `[fromMs, fromMs + days)` of `lakeDir` with DuckDB, `runs` times each. */
export async function benchQueries(
  lakeDir: string,
  fromMs: number,
  days: number,
  runs: number,
): Promise<QueryFigure[]> {
  const engine = await openDuckDbEngine({ lakeDir });
  const period = standardParams({ instance: DEFAULT_INSTANCE, fromMs, toMs: fromMs + days * DAY_MS });
  try {
    // user_activity lists one user's events, address_activity one address's: the busiest's, the
    // most they read and return.
    const values = { ...period, user_id: await busiestUser(engine), address: await busiestAddress(engine) };
    const figures: QueryFigure[] = [];
    for (const name of QUERY_NAMES) {
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < runs; i++) {
        const result = await engine.run(name, values);
        times.push(result.elapsedMs);
        rows = result.rows.length;
      }
      figures.push({ query: name, rows, medianMs: times.sort((a, b) => a - b)[Math.floor(runs / 2)] ?? 0 });
    }
    return figures;
  } finally {
    await engine.close();
  }
}

/** The IPv4 address written alone on the most events ('0.0.0.0', nobody's, in a lake of none). */
async function busiestAddress(engine: DuckDbQueryEngine): Promise<string> {
  const { rows } = await engine.runSql(
    "SELECT ip_address FROM activity_log WHERE regexp_matches(ip_address, '^[1-9][0-9]{0,2}(\\.(0|[1-9][0-9]{0,2})){3}$') GROUP BY ip_address ORDER BY count(*) DESC, ip_address LIMIT 1",
    [],
  );
  const address = rows[0]?.ip_address;
  return typeof address === 'string' && checkParamValue('address', address) === undefined
    ? address
    : '0.0.0.0';
}

/** The id of the user with the most events in the lake ('-1', no user's, in a lake of none). */
async function busiestUser(engine: DuckDbQueryEngine): Promise<string> {
  const { rows } = await engine.runSql(
    'SELECT user_id FROM activity_log WHERE user_id IS NOT NULL GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT 1',
    [],
  );
  const id = rows[0]?.user_id;
  return typeof id === 'string' && id !== '' && id !== '0' ? id : '-1';
}
