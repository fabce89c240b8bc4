/**
 * Whether the bundle's events are the rows of the user's timeline query: each line of
 * `events.ndjson` a row of `user_activity`, and each row a line, by event id (twins are rows of their
 * own, so counted). The lines are read from the hour objects by the bundle's own rule, the rows by
 * the engine from every file of the table: they part when the rule and the SQL differ, or when the
 * table holds a file of the period the bundle does not read (a second object in an hour's folder).
 */
export interface EventsAgreement {
  /** Rows of the query with no line in the bundle. */
  rowsNotInEvents: number;
  /** Lines of the bundle with no row in the query. */
  eventsNotInRows: number;
}

const eventIdOf = (line: string): string => String((JSON.parse(line) as { event_id?: unknown }).event_id);

/** The two counted against each other: both 0 when every line is a row and every row a line. */
export function eventsAgreement(events: readonly string[], rowIds: readonly unknown[]): EventsAgreement {
  const left = new Map<string, number>();
  for (const line of events) {
    const id = eventIdOf(line);
    left.set(id, (left.get(id) ?? 0) + 1);
  }
  let rowsNotInEvents = 0;
  for (const id of rowIds.map(String)) {
    const n = left.get(id) ?? 0;
    if (n === 0) rowsNotInEvents += 1;
    else left.set(id, n - 1);
  }
  let eventsNotInRows = 0;
  for (const n of left.values()) eventsNotInRows += n;
  return { rowsNotInEvents, eventsNotInRows };
}

/** Whether the two agree. */
export const agrees = (agreement: EventsAgreement): boolean =>
  agreement.rowsNotInEvents === 0 && agreement.eventsNotInRows === 0;

/** What a reader is told when they do not agree. */
export const disagreementText = (agreement: EventsAgreement): string =>
  `DISAGREE: ${agreement.rowsNotInEvents} row(s) of user_activity have no line in events.ndjson, ` +
  `${agreement.eventsNotInRows} line(s) of it no row (a file of the period the bundle does not read, ` +
  'which verify.txt names, or lines the two read otherwise)';
