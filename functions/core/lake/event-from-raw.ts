import { readAuditEntry } from '../domo/audit-entry.ts';
import { canonicalJsonSha256, ENTRY_LIMITS } from '../domo/canonical-json.ts';
import { exactValue } from '../domo/exact-numbers.ts';
import { wellFormedRecord } from './lone-surrogates.ts';

/** The `-n` an id carries for the n-th identical entry of its hour (normalise-window.ts). */
const TWIN_SUFFIX = /-\d+$/;

/**
 * The columns read from the entry that every event of every lake was stored with. Frozen: a column
 * added later is not listed, so an event stored before it (without the key) is not compared on it,
 * while one of these missing from an event is a row rewritten, not an older one.
 */
const COLUMNS_OF_EVERY_LAKE: ReadonlySet<string> = new Set([
  'action_type',
  'event_text',
  'object_type',
  'object_id',
  'object_name',
  'user_id',
  'user_name',
  'user_type',
  'actor_id',
  'actor_name',
  'actor_type',
  'additional_comment',
  'ip_address',
  'device',
  'browser_details',
  'time_raw',
]);

/**
 * What of a stored event disagrees with its `raw` entry, as the ingest makes an event of it
 * (normalise-window.ts): `id` when its id is not the SHA-256 of the canonical JSON of the parsed
 * entry (numbers JSON.parse loses digits of as served, then the twin suffix), else the first column
 * read straight from the entry (`action_type`, `user_name`, … `time_raw`) that holds something else;
 * undefined when it agrees. A row whose `raw` was rewritten keeps an id it no longer hashes to; one
 * padded in with a made-up id, or whose columns were rewritten under their `raw`, is found too. A
 * row made up whole, its id computed from its made-up `raw`, agrees: only the digest chain finds it.
 * Columns that depend on settings or later work (the time read in a zone, the category, the
 * geolocation) are not compared. Nor is a column added after the event was stored: its key is
 * absent (the value is in `raw`); each such column is pushed to `notStored` when given. A key
 * removed from a stored event reads the same here, so it is a disagreement for the columns every
 * lake has (`everyLake`, {@link COLUMNS_OF_EVERY_LAKE}), and the digest chain finds the changed bytes.
 */
export function disagreementWithRaw(
  record: Record<string, unknown>,
  {
    notStored,
    everyLake = COLUMNS_OF_EVERY_LAKE,
  }: { notStored?: string[]; everyLake?: ReadonlySet<string> } = {},
): string | undefined {
  const { event_id: eventId, raw } = record;
  if (typeof eventId !== 'string' || typeof raw !== 'string') return 'id';
  let value: unknown;
  try {
    value = JSON.parse(raw);
    if (
      canonicalJsonSha256(exactValue(value, raw, ENTRY_LIMITS.maxDepth), ENTRY_LIMITS) !==
      eventId.replace(TWIN_SUFFIX, '')
    )
      return 'id';
  } catch {
    return 'id';
  }
  const read = readAuditEntry(value, raw);
  if (!read.ok) return 'raw';
  const served = wellFormedRecord({
    ...read.fields,
    time_raw: typeof read.time === 'string' ? read.time : JSON.stringify(read.time),
  });
  for (const [column, expected] of Object.entries(served)) {
    if (!Object.hasOwn(record, column) && !everyLake.has(column)) notStored?.push(column);
    else if (record[column] !== expected) return column;
  }
  return undefined;
}
