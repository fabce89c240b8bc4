/**
 * The bulk exports already raised, by who did them (export-events.ts, exportDoer: the id as
 * written): when each raising export happened. The alerts checkpoint keeps them for the hours a
 * recheck may evaluate again, so that a bulk export a late export shifts (its raising export, and
 * so its id, moves) is recognised as one already sent (detect-bulk-exports.ts), as sprays are
 * (raised-sprays.ts). Compact: the user id and 14 bytes per alert.
 */
import type { Alert } from './alert.ts';
import { addRaisedTime, type RaisedTimes } from './raised-times.ts';

/**
 * Raise times (the raising export's, which is the alert's time) by the doer's id as
 * {@link raisedExportKey} writes it.
 */
export type RaisedExports = RaisedTimes;

/** `id:<the id as written>`: never an object's own key (`__proto__`), whatever the id. */
export const raisedExportKey = (doerId: string): string => `id:${doerId}`;

/** Records `alert` in `exports` when it is a `bulk_export` (once per user and time). */
export function addRaisedExport(exports: RaisedExports, alert: Alert): void {
  if (alert.kind !== 'bulk_export' || alert.user_id === null) return;
  addRaisedTime(exports, raisedExportKey(alert.user_id), alert.event_time_ms);
}
