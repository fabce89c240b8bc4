/**
 * What an alert message says of the alerts it counts without listing them (about events older than
 * `mailOlderThanHours`, or older than the rows listed): where they are and how to list them. Only the
 * caller knows: the deployed function archives every alert in the `alerts` table, which Athena
 * reads; a run that writes nothing to the lake (the CLI's) must say something else.
 */
import { utcDate } from '../lake/layout.ts';
import type { Alert } from './alert.ts';
import { type AthenaCatalog, athenaTable } from './athena-catalog.ts';
import { eventSpan } from './event-span.ts';

export interface UnlistedAlerts {
  /** What the subject calls them: `archived` in "…: 1 lockout; 3 more archived". */
  subject: string;
  /** What the summary says they are, before which ones: `archived and not listed here`. */
  state: string;
  /**
   * The summary's last sentence: how to list them. Given their event times only: those folded out
   * of a long outbox are known by their span, not one by one.
   */
  howToList(counted: readonly Pick<Alert, 'event_time_ms'>[], instance: string): ListingHint;
  /**
   * How to find the alerts of these ids, about events from `fromMs` to `toMs` (a message that may
   * not have arrived); absent where they cannot be looked up by id: {@link howToList} of the span.
   */
  howToFind?(ids: readonly string[], span: { fromMs: number; toMs: number }, instance: string): ListingHint;
}

/**
 * How to list the alerts not listed: a sentence, and the query or command line it ends with, if
 * any. Apart, so the mail's text part can wrap the sentence and give the copy a line of its own,
 * whole: broken between its words, a command line would no longer paste as one.
 */
interface ListingHint {
  sentence: string;
  copy?: string;
}

/**
 * The alerts are in the archive, and Athena lists them: with the stack's `catalog` (the deployed
 * function's) the query names the table in its database and the sentence the workgroup; without
 * (the CLI over a lake in S3) the reader chooses both in the console.
 */
export function archivedAlerts(catalog?: AthenaCatalog): UnlistedAlerts {
  const where = catalog
    ? { athena: `Athena (workgroup ${catalog.workGroup})`, table: athenaTable(catalog, 'alerts') }
    : { athena: "Athena (this stack's workgroup and Glue database)", table: 'alerts' };
  return {
    subject: 'archived',
    state: 'archived and not listed here',
    howToList(counted, instance) {
      const { oldestMs: oldest, newestMs: newest } = eventSpan(counted);
      // The partition filter keeps Athena from scanning every day of the alerts table. The id breaks
      // ties of time (an attack locks many users out at once): Athena reads the archive's objects in
      // parallel, so the same query would otherwise list them in another order each time.
      const days = `dt BETWEEN '${utcDate(oldest)}' AND '${utcDate(newest)}'`;
      return {
        sentence: `Query them in ${where.athena}:`,
        copy: `SELECT * FROM ${where.table} WHERE instance = '${instance}' AND ${days} ORDER BY event_time DESC, id`,
      };
    },
    howToFind(ids, span, instance) {
      const days = `dt BETWEEN '${utcDate(span.fromMs)}' AND '${utcDate(span.toMs)}'`;
      // Ids are hex (alert.ts): quoted as they are.
      const listed = ids.map((id) => `'${id}'`).join(', ');
      return {
        sentence: `Query them in ${where.athena}:`,
        copy: `SELECT * FROM ${where.table} WHERE instance = '${instance}' AND ${days} AND id IN (${listed}) ORDER BY event_time DESC, id`,
      };
    },
  };
}

/** {@link archivedAlerts} where the stack's database and workgroup are not known. */
export const ARCHIVED_ALERTS: UnlistedAlerts = archivedAlerts();
