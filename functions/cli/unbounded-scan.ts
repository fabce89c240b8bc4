import { sqlOutsideQuotes } from '../adapters/read-only-sql.ts';

/** The lake's tables, each partitioned by `instance` and `dt`, as your SQL reads them. */
const LAKE_TABLE_READ = /\b(?:from|join)\s+(?:[A-Za-z_]\w*\.)?(activity_log|coverage|quarantine)\b/gi;

/**
 * A condition on `dt`, perhaps qualified, on either side of a comparison, BETWEEN, IN or LIKE. Any
 * one anywhere silences the warning: it errs towards silence, since a warning on SQL that is bounded
 * teaches to ignore it.
 */
const DT_CONDITION =
  /(?<![\w.])(?:[A-Za-z_]\w*\.)?dt\s*(?:[<>]=?|<>|!=|=|(?:not\s+)?between\b|(?:not\s+)?in\s*\(|(?:not\s+)?like\b)|(?:[<>]=?|<>|!=|=)\s*(?:[A-Za-z_]\w*\.)?dt(?![\w.(])/i;

/**
 * The stderr line for SQL that reads a lake table with no condition on `dt`, or '' when it has one
 * (or reads none). Why: on Athena such a query reads every day the table holds, billed by the bytes
 * scanned up to the workgroup's cutoff, where a `dt` bound reads only those days' partitions; the
 * local lake answers it quickly and says nothing (review R-ANALYST3 L2). A text check, as the
 * portability warnings: its silence proves nothing.
 */
export function unboundedScanLine(sql: string): string {
  const bare = sqlOutsideQuotes(sql);
  if (/^[\s(]*explain\b/i.test(bare) || DT_CONDITION.test(bare)) return '';
  const tables = [...new Set([...bare.matchAll(LAKE_TABLE_READ)].map((m) => (m[1] ?? '').toLowerCase()))];
  if (tables.length === 0) return '';
  return (
    `note: your SQL reads ${tables.join(', ')} with no condition on dt: on Athena it scans, and ` +
    "is billed for, every day stored (up to the workgroup's cutoff); bound it, e.g. dt BETWEEN " +
    "'2026-11-23' AND '2026-11-29' (docs/queries.md, Which conditions skip files)\n"
  );
}
