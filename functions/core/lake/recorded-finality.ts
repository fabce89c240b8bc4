import type { FinalitySettings } from './hours-not-final.ts';
import type { LastRun } from './last-run.ts';

/**
 * The lookback and later pull the instance's last scheduled run recorded, each one the ingest would
 * take (`accepts`), by which verify tells the hours not final yet; the defaults stand for any not
 * recorded (records written before they were kept) or not taken. The record is one any lake writer
 * can edit, so a value no ingest runs with, or a record of another instance or of a re-pull, counts
 * as none, as its settle time does (verify-range.ts `recordedSettle`).
 */
export function recordedFinality(
  lastRun: LastRun | undefined,
  instance: string,
  accepts: (name: 'lookbackHours' | 'repullAfterHours', value: number) => boolean,
): FinalitySettings {
  if (lastRun === undefined || lastRun.instance !== instance || lastRun.mode !== 'checkpoint') return {};
  const { lookback_hours: lookbackHours, repull_after_hours: repullAfterHours } = lastRun;
  return {
    ...(lookbackHours !== undefined && accepts('lookbackHours', lookbackHours) ? { lookbackHours } : {}),
    ...(repullAfterHours !== undefined && accepts('repullAfterHours', repullAfterHours)
      ? { repullAfterHours }
      : {}),
  };
}
