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

/**
 * Whether two events may say the same in two shapes of one entry: every column read is equal or
 * left out on one side (a field Domo renamed or nested reads as left out in the shape that has it
 * so), and at least one column says something on both. Two values of one column tell them apart.
 */
export function columnsAgree(a: EventRecord, b: EventRecord): boolean {
  let shared = 0;
  for (const column of READ_COLUMNS) {
    const x = readValue(a, column);
    const y = readValue(b, column);
    if (x === null || y === null) continue;
    if (x !== y) return false;
    shared++;
  }
  return shared > 0;
}
