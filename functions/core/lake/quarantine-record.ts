import type { Column } from './column.ts';

/** One line of `quarantine/…/*.ndjson.gz`: an entry that could not be turned into an {@link EventRecord}. */
export interface QuarantineRecord {
  /** sha256 of the canonical raw entry, -n for the n-th identical twin in the window. */
  quarantine_id: string;
  reason: string;
  raw: string;
  window_start_ms: number;
  window_end_ms: number;
  ingested_at: string;
  run_id: string;
}

export const QUARANTINE_COLUMNS: readonly Column[] = [
  { name: 'quarantine_id', glue: 'string', comment: 'sha256 of the canonical raw entry, -n for twins' },
  { name: 'reason', glue: 'string', comment: 'why the entry could not be parsed' },
  { name: 'raw', glue: 'string', comment: 'the entry exactly as received, as JSON text' },
  { name: 'window_start_ms', glue: 'bigint', comment: 'start of the hour window it came in' },
  { name: 'window_end_ms', glue: 'bigint', comment: 'end (exclusive) of that window' },
  { name: 'ingested_at', glue: 'string', comment: 'ISO time it was first quarantined' },
  { name: 'run_id', glue: 'string', comment: 'ingest run that first quarantined it' },
];
