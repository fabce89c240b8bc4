/**
 * A lake timestamp as ISO 8601 UTC with its zone, `Z`: `2026-11-30 14:03:00.000` becomes
 * `2026-11-30T14:03:00.000Z`. The lake's text has no zone, and JavaScript's `Date` reads a
 * zoneless time as the reader's local time: an hour or more off, silently, for anyone not on UTC
 * (review R-INVEST L2). So every JSON a person's script reads gives the lake's times this way
 * (cli/utc-instants.ts for `query` and `alerts`, report-model-json.ts for the report's model);
 * what a person reads (tables, the mails) and CSV, which a spreadsheet reads as a date only in the
 * zoneless form (review R-REPORTID M4), keep the wall time, UTC.
 */

/** The engines' text of a timestamp (ports.ts, `QueryColumnType`): date, a space, the time. */
const LAKE_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/;

/**
 * A lake timestamp as ISO 8601 UTC; a text that is not one, and null, as they are (so the type
 * given is the type returned: a field that may be null stays so, one that may not stays a string).
 */
export function utcInstant<T extends string | null>(text: T): T {
  if (text === null) return text;
  const match = LAKE_TIMESTAMP.exec(text);
  // A string given is a string returned: the cast only keeps the caller's (wider) type.
  return (match ? `${match[1]}T${match[2]}Z` : text) as T;
}
