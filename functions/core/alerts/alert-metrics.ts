/** Metric names of the alerts run, shared by the core, the handler and the CDK app's alarm. */
export const ALERT_METRICS = {
  /** Alerts found and taken in for delivery (each counted once, whatever the retries). */
  raised: 'AlertsRaised',
  /** Alerts in messages a channel accepted. */
  delivered: 'AlertsDelivered',
  /** Deliveries that failed (refused: retried next run; unknown: sent again next run, marked as a possible repeat). The alarm watches it. */
  deliveryFailed: 'AlertDeliveryFailed',
  /**
   * Alerts folded out of a channel's outbox past its cap (MAX_OUTBOX): only counted in the message.
   * A catch-up folds too; a channel that keeps refusing already fires the delivery alarm.
   */
  outboxFolded: 'AlertsFoldedFromOutbox',
  /**
   * Alerts raised for events stored after their hour was evaluated, older than the recheck window
   * (Domo serving them hours late, a re-pull): sent late, each counted once.
   */
  raisedLate: 'AlertsRaisedLate',
  /**
   * Whole hours from where the alerts' evaluation stands after the run (the alerts checkpoint's
   * `next_hour_ms`) to the ingest watermark: 0 to 1 when caught up, more during a catch-up, a
   * login-profile rebuild, or runs that cannot finish (published by every run that evaluates).
   */
  lagHours: 'AlertsLagHours',
  /**
   * Alerts the expected-activity list quieted: taken in and archived, not sent (quiet-alerts.ts).
   * A count that jumps says a rule matches more than it was meant to.
   */
  quieted: 'AlertsQuieted',
  /** Hours evaluated by the run (new and re-checked). */
  hoursEvaluated: 'AlertHoursEvaluated',
} as const;
