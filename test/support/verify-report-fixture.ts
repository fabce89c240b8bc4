import type { VerifyReport } from '../../functions/core/lake/verify-report.ts';

export const H = 3_600_000;
export const FROM = Date.parse('2026-10-01T00:00:00Z');

/** A verify report of two days, two hours not covered: one below the watermark, one after it. */
export const report: VerifyReport = {
  instance: 'main',
  fromMs: FROM,
  toMs: FROM + 48 * H,
  windowsExpected: 48,
  windowsCovered: 46,
  gaps: [
    { fromMs: FROM + 5 * H, toMs: FROM + 6 * H },
    { fromMs: FROM + 40 * H, toMs: FROM + 41 * H },
  ],
  uncoveredBelowWatermark: 1,
  interruptedWindows: 0,
  events: 100,
  duplicateIds: 0,
  duplicateIdsAcrossHours: 0,
  duplicates: [],
  repeatedHourTwins: 0,
  copiesInAnotherShape: 0,
  misplacedRecords: 0,
  manifestMismatches: [],
  grownPastManifest: [],
  quarantined: 0,
  quarantineReasons: [],
  unreadable: [],
  unreadableCount: 0,
  foreignKeys: [],
  foreignKeyCount: 0,
  futureObjects: [],
  futureObjectCount: 0,
  outOfWindow: 0,
  lateEventsTotal: 0,
  watermarkMs: FROM + 30 * H,
  heldFromMs: null,
  ok: false,
};
