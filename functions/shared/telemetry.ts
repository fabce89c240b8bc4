/**
 * Names shared by the functions that emit metrics and the CDK app that alarms on them, so a renamed
 * metric cannot silently orphan an alarm. No Powertools import here: the CDK app loads this file.
 */

/** Powertools `service` (logs and the metrics' default dimension). */
export const SERVICE_NAME = 'domo-activity-lake';

/** CloudWatch namespace of every custom metric. */
export const METRIC_NAMESPACE = 'DomoActivityLake';

/** Dimension that tells instances apart; its value is the instance name. */
export const INSTANCE_DIMENSION = 'instance';

/**
 * Dimension that tells stacks apart; its value is the stack name, unique in an account and region.
 * Without it two stacks of one account and region (each with the default instance `main`) would
 * publish the same metrics, and one stack's runs would keep the other's silence alarms quiet.
 */
export const STACK_DIMENSION = 'stack';

/** Environment variable through which the stack tells each function its name (the stack dimension's value). */
export const STACK_ENV = 'LAKE_STACK';

/** Metrics the ingest handler adds around the core. */
export const HANDLER_METRICS = {
  /** now − watermark after a run, in seconds (how far behind the lake is). */
  lagSeconds: 'LagSeconds',
  /**
   * How late, at least, Domo served the latest late event a run found, in seconds after its hour's
   * end (IngestSummary.lateByAtLeastMs); only from scheduled runs that found late events (not
   * re-pulls, which find what the lookback missed by design).
   */
  lateEventDelaySeconds: 'LateEventDelaySeconds',
  /** 1 for every run that finished without failed windows. */
  runSucceeded: 'RunSucceeded',
  /** 1 for every run skipped because the secret still holds the deploy-time placeholder. */
  secretPlaceholder: 'SecretPlaceholder',
} as const;

/** The dimension a function sets as a default on all its metrics, from its stack's name. */
export const stackDimension = (stack: string): Record<string, string> => ({ [STACK_DIMENSION]: stack });

/**
 * The dimensions every metric of one instance of one stack carries: Powertools always adds
 * `service`, and CloudWatch only matches a metric whose dimension set is exactly equal.
 */
export const instanceDimensions = (stack: string, instance: string): Record<string, string> => ({
  service: SERVICE_NAME,
  ...stackDimension(stack),
  [INSTANCE_DIMENSION]: instance,
});
