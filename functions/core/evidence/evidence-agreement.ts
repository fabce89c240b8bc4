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

/**
 * The two counted against each other: both 0 when every line is a row and every row a line. The
 * rows' ids are held (the query's rows are held anyway), the lines only read past, one at a time:
 * a bundle of more lines than a heap holds is compared from its file.
 */
export async function eventsAgreement(
  events: Iterable<string> | AsyncIterable<string>,
  rowIds: readonly unknown[],
): Promise<EventsAgreement> {
  const rows = new Map<string, number>();
  for (const id of rowIds.map(String)) rows.set(id, (rows.get(id) ?? 0) + 1);
  let eventsNotInRows = 0;
  for await (const line of events) {
    const id = eventIdOf(line);
    const n = rows.get(id) ?? 0;
    if (n === 0) eventsNotInRows += 1;
    else rows.set(id, n - 1);
  }
  let rowsNotInEvents = 0;
  for (const n of rows.values()) rowsNotInEvents += n;
  return { rowsNotInEvents, eventsNotInRows };
}

/** Whether the two agree. */
export const agrees = (agreement: EventsAgreement): boolean =>
  agreement.rowsNotInEvents === 0 && agreement.eventsNotInRows === 0;

/**
 * The lines against a query's rows: which query, how they agree, and how many of its rows were
 * left out as of no line's case (address_activity finds an address as any entry of a list, a
 * proxy hop too, where the bundle keys an event by its client entry: evidence-hours.ts, rowOfAddress).
 */
export interface LinesCompared {
  query: string;
  agreement: EventsAgreement;
  rowsLeftOut: number;
}

/** What a reader is told when they do not agree. */
export const disagreementText = (agreement: EventsAgreement, query = 'user_activity'): string =>
  `DISAGREE: ${agreement.rowsNotInEvents} row(s) of ${query} have no line in events.ndjson, ` +
  `${agreement.eventsNotInRows} line(s) of it no row (a file of the period the bundle does not read, ` +
  'which verify.txt names, or lines the two read otherwise)';
