import { ENTRY_STRING_FIELDS, type EntryColumn } from '../domo/audit-entry.ts';
import type { EventRecord } from './event-record.ts';

export const READ_COLUMNS: readonly EntryColumn[] = Object.values(ENTRY_STRING_FIELDS);

/**
 * What an event says, as far as the lake reads it: the columns read from the entry's known fields,
 * as one string. Not its id or `raw` (the bytes Domo serves, which a new field or a number sent as
 * a string changes), not `time_raw` (its format), nor what the lake adds (category, geo columns,
 * provenance). A renamed or nested field changes it. An empty string reads as a field left out
 * (Domo's own sample sends `actorName: ""`; a serializer that stops sending empty values is a shape
 * change like any other).
 */
export const columnsRead = (record: EventRecord): string =>
  JSON.stringify(READ_COLUMNS.map((column) => (record[column] === '' ? null : record[column])));
