import { ENTRY_STRING_FIELDS, type EntryColumn } from '../domo/audit-entry.ts';
import type { EventRecord } from './event-record.ts';

const READ_COLUMNS: readonly EntryColumn[] = Object.values(ENTRY_STRING_FIELDS);

/** A column's value as the lake reads it: an empty string is a field left out. */
const readValue = (record: EventRecord, column: EntryColumn): string | null =>
  record[column] === '' ? null : record[column];

/**
 * What an event says, as far as the lake reads it: the columns read from the entry's known fields,
 * as one string. Not its id or `raw` (the bytes Domo serves, which a new field or a number sent as
 * a string changes), not `time_raw` (its format), nor what the lake adds (category, geo columns,
 * provenance). A renamed or nested field changes it. An empty string reads as a field left out
 * (Domo's own sample sends `actorName: ""`; a serializer that stops sending empty values is a shape
 * change like any other).
 */
export const columnsRead = (record: EventRecord): string =>
  JSON.stringify(READ_COLUMNS.map((column) => readValue(record, column)));

/** What an event says when it says nothing: every column read left out. */
const NOTHING_READ = JSON.stringify(READ_COLUMNS.map(() => null));

/**
 * Whether `columns` (a `columnsRead`) says nothing at all: such an event can be told from another
 * by its id alone, never by what it says.
 */
export const readsNothing = (columns: string): boolean => columns === NOTHING_READ;
