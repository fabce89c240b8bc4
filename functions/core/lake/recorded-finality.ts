import type { FinalitySettings } from './hours-not-final.ts';
import type { LastRun } from './last-run.ts';

/**
 * The lookback, later pull and settle time the instance's last scheduled run recorded, each one the ingest would
 * take (`accepts`), by which verify tells the hours not final yet and status the hours a run pulls
 * again; the defaults stand for any not recorded (records written before they were kept) or not
 * taken. The record is one any lake writer can edit, so a value no ingest runs with, or a record
 * of another instance, counts as none, as its settle time does (verify-range.ts `recordedSettle`).
 * A re-pull's record (mode `range`) holds its own settings, not the schedule's: those of the last
 * run before it that followed the checkpoint, which it carries (`checkpoint_run_settings`), count.
 */
export function recordedFinality(
  lastRun: LastRun | undefined,
  instance: string,
  accepts: (name: 'lookbackHours' | 'repullAfterHours' | 'settleMinutes', value: number) => boolean,
): FinalitySettings {
  if (lastRun === undefined || lastRun.instance !== instance) return {};
  const recorded = lastRun.mode === 'checkpoint' ? lastRun : lastRun.checkpoint_run_settings;
  if (recorded === undefined) return {};
  const {
    lookback_hours: lookbackHours,
    repull_after_hours: repullAfterHours,
    settle_minutes: settleMinutes,
  } = recorded;
  return {
    // Whether the later pull reaches past the lookback and settle: the lookback then passes hours read that late.
    ...(settleMinutes !== undefined && accepts('settleMinutes', settleMinutes) ? { settleMinutes } : {}),
    ...(lookbackHours !== undefined && accepts('lookbackHours', lookbackHours) ? { lookbackHours } : {}),
    ...(repullAfterHours !== undefined && accepts('repullAfterHours', repullAfterHours)
      ? { repullAfterHours }
      : {}),
  };
}
