import { HOUR_MS } from '../time-units.ts';

/** The lag alarm's threshold when the deploy config sets none (alarms.lagHours). */
export const DEFAULT_LAG_HOURS = 3;

/**
 * Whether a watermark `behindMs` behind the clock is late, as the lag alarm judges it (LagSeconds
 * over its threshold): `status` and `verify` say so by this one rule.
 */
export const overLagThreshold = (behindMs: number, lagHours: number): boolean =>
  behindMs > lagHours * HOUR_MS;
