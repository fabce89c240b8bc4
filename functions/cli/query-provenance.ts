import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { duckDbVersion } from '../adapters/duckdb-version.ts';
import { DEFAULT_LAKE } from '../adapters/lake-location.ts';
import { parseLakeTimestamp } from '../core/lake/layout.ts';
import type { QueryResult } from '../core/ports.ts';
import type { QueryDefinition } from '../core/queries/query-definition.ts';
import { assertWritable, writeFileWhole } from './atomic-file.ts';
import { shellWord } from './command-line.ts';
import { fixedLimit } from './cut-rows-note.ts';
import type { EngineTarget, EngineValues } from './engine-target.ts';
import { type IsoPeriod, isoPeriod, isoTime, lakeNamed, madeAt } from './filed-facts.ts';
import { parseLakeOption } from './lake-target.ts';
import { realPath, within } from './out-outside-lake.ts';
import { RANKED_QUERIES } from './query-notes.ts';
import { UsageError } from './usage-error.ts';

/**
 * What `query --provenance <file>` writes beside the rows (review F-META): the query or SQL that
 * made them, its parameters, period, engine and lake, the notes printed on stderr, the hash of what
 * went to stdout, when, and by which version. The rows stay bare (a header line breaks CSV readers,
 * a wrapper breaks `jq '.[0]'`), so the file handed over with them says what they are.
 */
export const PROVENANCE_FORMAT = 'domo-activity-lake/query-provenance@1';

const FLAG = '--provenance';
const EXAMPLE = 'out/rows.provenance.json';

/** The SQL that ran: a catalog query by name, or the user's, by its text or (--sql-file) its file. */
export type ProvenanceQuery =
  | { name: string; sqlSha256: string }
  | { sql: string; sqlSha256: string }
  | { sqlFile: string; sqlSha256: string };

export type ProvenanceEngine =
  | { name: 'duckdb'; lake: string; version: string }
  | { name: 'athena'; workgroup: string; database: string; region?: string };

/** Where a query stopped its rows short of all there were; `total` null: how many more is unknown. */
export interface RowsCut {
  bound: string;
  total: number | null;
}

export interface QueryProvenance {
  format: typeof PROVENANCE_FORMAT;
  /** UTC, ISO 8601, as verify's `checkedAt`. */
  ranAt: string;
  /** `domo-activity-lake <version>`, with the checkout's commit when run from one. */
  tool: string;
  query: ProvenanceQuery;
  /**
   * Every parameter the SQL took, defaults included, as bound (its `*_ts` times in the lake's text,
   * `2026-11-24 00:00:00.000`, UTC without a zone); null for SQL run as written.
   */
  params: Record<string, string> | null;
  /**
   * Each `*_ts` parameter of {@link params} (`from_ts`, `to_ts`, `history_from_ts`, ...) as the
   * same instant in ISO 8601 with its zone (`2026-11-24T00:00:00.000Z`): a copy beside the bound
   * text, so a reader need not know the lake's timestamps are UTC (review AUDIT4). Null: no params.
   */
  paramTimes: Record<string, string> | null;
  /** ISO 8601 UTC, the end excluded; null when the SQL sets its own. */
  period: IsoPeriod | null;
  timeZone: string | null;
  engine: ProvenanceEngine;
  /** The instance read; null: every instance of the lake (each row names its own), or the SQL's. */
  instance: string | null;
  rows: { count: number; cut: RowsCut | null };
  /** Every note and warning the command printed on stderr, one line each. */
  notes: string[];
  /**
   * Where the rows went and what they were: stdout (`sha256sum` of the file it was redirected to
   * gives the same hash), or the `--out` file, by its absolute path.
   */
  output: ({ to: 'stdout' } | { to: 'file'; file: string }) & {
    format: string;
    bytes: number;
    sha256: string;
  };
}

export interface ProvenanceRun {
  nowMs: number;
  query: ProvenanceQuery;
  params?: Record<string, string>;
  engine: ProvenanceEngine;
  instance?: string | undefined;
  rows: { count: number; cut?: RowsCut | undefined };
  notes: readonly string[];
  /** `file`: the rows' file (`--out`), absolute; none: they went to stdout. */
  output: { format: string; text: string; file?: string | undefined };
}

export const sha256Text = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The period of the lake timestamp parameters (`2026-11-24 00:00:00.000`, UTC). */
function periodOf(params: Record<string, string> | undefined): IsoPeriod | null {
  const from = params?.from_ts;
  const to = params?.to_ts;
  return from === undefined || to === undefined
    ? null
    : isoPeriod(parseLakeTimestamp(from), parseLakeTimestamp(to));
}

/** The `*_ts` parameters as ISO 8601 instants ending in Z; one that is not a lake timestamp left out. */
function paramTimesOf(params: Record<string, string> | undefined): Record<string, string> | null {
  if (params === undefined) return null;
  const times: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    const ms = name.endsWith('_ts') ? parseLakeTimestamp(value) : Number.NaN;
    if (Number.isFinite(ms)) times[name] = isoTime(ms);
  }
  return times;
}

/** Notes as printed, one line each: a text of several lines (the portability warnings) split. */
const noteLines = (notes: readonly string[]): string[] =>
  notes.flatMap((note) => note.split('\n')).filter((line) => line.trim() !== '');

export function provenanceOf(run: ProvenanceRun): QueryProvenance {
  const made = madeAt(run.nowMs);
  return {
    format: PROVENANCE_FORMAT,
    ranAt: made.at,
    tool: made.tool,
    query: run.query,
    params: run.params ?? null,
    paramTimes: paramTimesOf(run.params),
    period: periodOf(run.params),
    timeZone: run.params?.time_zone ?? null,
    engine: run.engine,
    instance: run.instance ?? null,
    rows: { count: run.rows.count, cut: run.rows.cut ?? null },
    notes: noteLines(run.notes),
    output: {
      ...(run.output.file === undefined
        ? { to: 'stdout' as const }
        : { to: 'file' as const, file: run.output.file }),
      format: run.output.format,
      bytes: Buffer.byteLength(run.output.text, 'utf8'),
      sha256: sha256Text(run.output.text),
    },
  };
}

/**
 * The engine the rows came from, as the provenance names it: a local lake by its absolute path, with
 * DuckDB's version (`v1.5.6`: rows of the same SQL on another version may differ in their bytes,
 * and a receiver who runs them again needs it), read from the library that ran them (already
 * loaded: no cost).
 */
export async function provenanceEngine(
  values: EngineValues,
  target: Pick<EngineTarget, 'region'>,
): Promise<ProvenanceEngine> {
  if (!values.athena) {
    const lake = parseLakeOption(values.lake ?? DEFAULT_LAKE);
    return { name: 'duckdb', lake: lakeNamed(lake.spec, lake.value), version: await duckDbVersion() };
  }
  return {
    name: 'athena',
    workgroup: values.workgroup ?? '',
    database: values.database ?? '',
    ...(target.region === undefined ? {} : { region: target.region }),
  };
}

/**
 * Where a catalog query's rows stop short: at a bound counted by `total_rows`, at the SQL's fixed
 * LIMIT, or at a ranked query's --limit (asked with one row more: `fetched` rows came back).
 */
export function rowsCutOf(
  query: QueryDefinition,
  result: Pick<QueryResult, 'rows'>,
  fetched: number,
): RowsCut | undefined {
  const shown = result.rows.length;
  if (query.columns.includes('total_rows')) {
    const total = Number(result.rows[0]?.total_rows ?? 0);
    if (shown === 0 || total <= shown) return undefined;
    return {
      bound: query.params.includes('max_rows') ? 'max_rows' : `${query.name} lists at most ${shown}`,
      total,
    };
  }
  if (RANKED_QUERIES.includes(query.name))
    return fetched > shown ? { bound: 'limit', total: null } : undefined;
  const limit = fixedLimit(query);
  return limit !== undefined && shown >= limit ? { bound: `LIMIT ${limit}`, total: null } : undefined;
}

/** Whether the file at `path` is a provenance file query wrote: only such a file is replaced. */
function isProvenanceFile(path: string): boolean {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { format?: unknown };
    return parsed.format === PROVENANCE_FORMAT;
  } catch {
    return false;
  }
}

/** Refuses what is already at `path` unless it is an earlier provenance file (replaced whole). */
function assertReplaceable(path: string): void {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      throw new UsageError(
        `${FLAG} ${shellWord(path)} is a directory: give the file to write, e.g. ${EXAMPLE}`,
      );
    }
    size = stat.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return;
  }
  if (isProvenanceFile(path)) return;
  // The shell empties the file stdout goes to before the command starts: the rows' own file.
  const why =
    size === 0 ? 'an empty file (the one the rows are redirected to?)' : 'a file query did not write';
  throw new UsageError(
    `${FLAG} ${shellWord(path)} is ${why}: it would be overwritten; give a new file, or one an earlier query --provenance wrote, e.g. ${EXAMPLE}`,
  );
}

/**
 * `--provenance`'s file, checked before any lake or engine is opened, as `--out` is: not stdout
 * (`-`: the rows go there), not in the lake read (query only reads it; `--out`'s rule), not a
 * directory, not a file of something else (the rows' own, a shell redirect away), and writable.
 */
export function provenanceOption(values: EngineValues & { provenance?: string }): string | undefined {
  const path = values.provenance;
  if (path === undefined) return undefined;
  if (path.trim() === '') throw new UsageError(`${FLAG} is empty: give the file to write, e.g. ${EXAMPLE}`);
  if (path === '-') {
    throw new UsageError(
      `${FLAG} - : stdout carries the rows, and the provenance goes beside them: give a file, e.g. ${EXAMPLE}`,
    );
  }
  const lake = values.athena ? undefined : parseLakeOption(values.lake ?? DEFAULT_LAKE);
  if (lake?.spec.kind === 'fs' && within(realPath(path), realPath(lake.spec.dir))) {
    throw new UsageError(
      `${FLAG} ${shellWord(path)} is inside the lake (--lake ${lake.value}), which query only reads: give a file outside it, e.g. ${EXAMPLE}`,
    );
  }
  assertReplaceable(path);
  assertWritable(FLAG, path);
  return path;
}

/**
 * Writes the provenance of `run` to `path` (none asked: nothing), whole: a command killed midway
 * leaves the earlier file, never half of one.
 */
export function writeProvenance(path: string | undefined, run: ProvenanceRun): void {
  if (path === undefined) return;
  writeFileWhole(path, `${JSON.stringify(provenanceOf(run), null, 2)}\n`);
}
