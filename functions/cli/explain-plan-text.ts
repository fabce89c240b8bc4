import { explainedStatement } from '../adapters/explain-statement.ts';
import type { QueryResult } from '../core/ports.ts';

/**
 * The plan a DuckDB EXPLAIN of `sql` answered, as DuckDB draws it, for the table format: its rows
 * are (explain_key, explain_value), the plan's whole drawing in the value over many lines, which a
 * table cell shows on one line, cut at the terminal's width (review R-SQLBOX L2). Undefined for
 * any other SQL or answer (Athena's EXPLAIN answers a line per row already).
 */
export function explainPlanText(sql: string, result: QueryResult): string | undefined {
  if (explainedStatement(sql) === undefined) return undefined;
  if (result.columns.map((column) => column.name).join(',') !== 'explain_key,explain_value') return undefined;
  return result.rows.map((row) => String(row.explain_value ?? '').replace(/\n$/, '')).join('\n');
}
