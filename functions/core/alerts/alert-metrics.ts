/** Metric names of the alerts run, shared by the core, the handler and the CDK app's alarm. */
export const ALERT_METRICS = {
  /** Alerts found and taken in for delivery (each counted once, whatever the retries). */
  raised: 'AlertsRaised',
  /** Alerts in messages a channel accepted. */
  delivered: 'AlertsDelivered',
  /** Deliveries that failed (refused: retried next run; or unknown: never repeated). The alarm watches it. */
  deliveryFailed: 'AlertDeliveryFailed',
  /** Hours evaluated by the run (new and re-checked). */
  hoursEvaluated: 'AlertHoursEvaluated',
} as const;
