/** What a message of alerts is rendered with beside its alerts (render-alerts.ts). */
import type { FoldedAlerts, UnknownNotice } from './alert-checkpoint.ts';
import type { DigFurther } from './dig-further.ts';
import type { UnlistedAlerts } from './unlisted-alerts.ts';

export interface AlertMessageOptions {
  instance: string;
  timeZone: string;
  nowMs: number;
  mailOlderThanHours: number;
  /** What the message says of the alerts it only counts; {@link ARCHIVED_ALERTS} by default. */
  unlisted?: UnlistedAlerts;
  /** Where the query to dig further runs; {@link IN_ATHENA} by default. */
  digFurther?: DigFurther;
  /** Days of history the suspicious-login alerts were judged against; the settings' default if absent. */
  historyDays?: number;
  /**
   * History sign-ins and the fastest journey the suspicious-login alerts were judged by; the
   * settings' defaults if absent. The next steps' suspicious_logins takes them (next-steps.ts).
   */
  minHistoryLogins?: number;
  maxSpeedKmh?: number;
  /**
   * Alerts folded out of a long outbox (alert-checkpoint.ts, MAX_OUTBOX): counted with those not
   * listed, as older than every one listed; the archive holds them like the others.
   */
  folded?: FoldedAlerts;
  /**
   * The channel's refused delivery attempts in a row before this message, the last error, the
   * oldest event of the alerts the last refusal put back, when the first of them was claimed, and
   * whether that oldest alert was on time when first refused (each of the last two absent in a
   * checkpoint written before it): why alerts sent late waited ({@link heldNote}); absent when the
   * last attempt worked or its outcome is unknown (its alerts go again marked as a possible repeat,
   * {@link repeatNote}, which says why they came again).
   */
  channelRefused?: {
    refusals: number;
    lastError: string | null;
    oldestMs: number;
    sinceMs?: number;
    oldestOnTime?: boolean;
  };
  /**
   * Whether the message's oldest alert was taken in on time (within {@link SENT_LATE_AFTER_MS} of
   * its event), when each alert of that event says when it was taken in: a late message of such
   * an alert, no refusal holding it, waited for a later run to deliver it (a run out of time,
   * another run delivering), which "found late" would misname (review R-LAST3 M1).
   */
  oldestTakenInOnTime?: boolean;
  /**
   * Whether alerts sent past {@link SENT_LATE_AFTER_MS} are marked so (true by default): a run over
   * a lake after the fact (a local one) writes its message when asked, not when they could go out.
   */
  marksLate?: boolean;
  /**
   * True when the checkpoint has no `alerting_since_ms` (a stack whose alerts ran before it, its
   * first runs long past): every alert is taken as raised after alerting began, those without the
   * `since_alerting` mark too, which a release before the mark took in (render-alerts.ts
   * `HeldRows`). Absent: only the marked are.
   */
  allSinceAlerting?: boolean;
  /** Earlier messages of the channel whose delivery may not have arrived, to tell of ({@link unknownNote}). */
  unknownNotices?: readonly UnknownNotice[];
  /** Alerts here that went out before in a delivery not confirmed ({@link repeatNote}). */
  possibleRepeat?: PossibleRepeat;
}

/** The alerts of a message sent again after deliveries whose outcome is unknown. */
export interface PossibleRepeat {
  /** Ids of those carried whole. */
  alertIds: readonly string[];
  /** How many of those only counted (folded) were. */
  counted: number;
  /** The most deliveries of unknown outcome any of them went out in. */
  attempts: number;
}
