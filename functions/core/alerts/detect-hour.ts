import type { Alert } from './alert.ts';
import { detectActivityAfterDeactivation } from './detect-activity-after-deactivation.ts';
import { detectBulkExports } from './detect-bulk-exports.ts';
import { detectFailedLoginBursts, detectLockouts } from './detect-failed-logins.ts';
import { detectLoginsAfterFailures } from './detect-login-after-failures.ts';
import { detectLoginsAfterSprays } from './detect-login-after-spray.ts';
import { detectPasswordSprays } from './detect-password-spray.ts';
import { detectPrivilegedChanges } from './detect-privileged-changes.ts';
import { detectSuspiciousLogins } from './detect-suspicious-logins.ts';
import type { DeclaredDetector, DetectionInput, Detector } from './detection.ts';

/**
 * Every detector an alerts run applies. New kinds go here, each detector declared with what it
 * raises and reads (detection.ts, `declaredDetector`).
 */
export const DETECTORS: readonly DeclaredDetector[] = [
  detectLockouts,
  detectFailedLoginBursts,
  detectPasswordSprays,
  detectLoginsAfterFailures,
  detectLoginsAfterSprays,
  detectSuspiciousLogins,
  detectPrivilegedChanges,
  detectBulkExports,
  detectActivityAfterDeactivation,
];

/**
 * The detectors that never read the login profile (`readsProfile` false): a run rebuilding the
 * profile still applies them to the new hours (evaluate-hours.ts), so a lockout or a spray does
 * not wait for the whole history.
 */
export const PROFILE_FREE_DETECTORS: ReadonlySet<Detector> = new Set(
  DETECTORS.filter((detector) => !detector.readsProfile),
);

/**
 * The detectors applied to old hours an ingest rewrote, past the recheck window (`inOldHours`;
 * evaluate-hours.ts, `lookLate`).
 */
export const OLD_HOURS_DETECTORS: ReadonlySet<Detector> = new Set(
  DETECTORS.filter((detector) => detector.inOldHours),
);

/** The order alerts are listed in: by time, then kind, then id. */
export const byAlertOrder = (a: Alert, b: Alert): number =>
  a.event_time_ms - b.event_time_ms ||
  (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The alerts of one evaluated period, ordered by time, then kind, then id. */
export function detectAlerts(input: DetectionInput, detectors: readonly Detector[] = DETECTORS): Alert[] {
  return detectors.flatMap((detect) => detect(input)).sort(byAlertOrder);
}
