import type { ObjectStore } from '../ports.ts';
import { floorHour } from '../time-units.ts';
import { type RepullFields, readCheckpoint } from './checkpoint.ts';
import { repullFieldsOf } from './checkpoint-marks.ts';
import { closedWindowsEnd } from './closed-hours.ts';
import { type LastRun, readLastRun } from './last-run.ts';

/** A range of whole UTC hours, `toMs` exclusive. */
export interface HourRange {
  fromMs: number;
  toMs: number;
}

/**
 * The end a verify was asked for when it reached past the newest hour that can be pulled, and the
 * settle time that hour is judged by: the check stopped at that hour's end instead, or at the
 * lake's watermark (`atWatermark`) when that was later.
 */
export interface VerifyClip {
  requestedToMs: number;
  settleMinutes: number;
  /** The range stops at the lake's watermark, which is later than the settled hours' end. */
  atWatermark?: true;
  /**
   * The range stops at the start of the current hour: the lake's watermark lies past it (edited
   * ahead of now, as `status` shows AHEAD), and vouches for no hour that has not ended.
   */
  watermarkAhead?: true;
  /** `settleMinutes` is the one the lake's last ingest run recorded (no `--settle-minutes` given). */
  settleFromLastRun?: true;
  /**
   * Set when none of the range's hours has closed (it begins at or after this end, not after now):
   * where the closed hours end, which the range's own start is not.
   */
  noneClosedBeforeMs?: number;
}

/**
 * What of an explicit range verify can check at `nowMs`: the hours an ingest can have pulled, those
 * that end `settleMinutes` before now, as ingest judges them, and every hour before the lake's
 * `watermarkMs`, which the lake records as complete. An hour not closed yet cannot be in the lake:
 * counted, it would be a gap that blames a run which is still to come. A range reaching past the
 * newest closed hour stops there (`clipped` says so); one that has begun with none of its hours
 * closed is checked as empty, clipped; one starting later than now holds nothing to check
 * (`closedEndMs` says where the closed hours end).
 */
export type VerifyRangeAt =
  | { kind: 'closed'; range: HourRange; clipped?: VerifyClip }
  | { kind: 'not-closed'; closedEndMs: number; settleMinutes: number };

export function verifyRangeAt(
  range: HourRange,
  nowMs: number,
  settleMinutes: number,
  watermarkMs?: number,
): VerifyRangeAt {
  const settledEndMs = closedWindowsEnd(nowMs, settleMinutes);
  const closedEndMs = Math.max(settledEndMs, recordedEnd(watermarkMs, nowMs));
  const clipped: VerifyClip = { requestedToMs: range.toMs, settleMinutes };
  // Begun but none of its hours closed yet ("today" just after midnight): nothing to check, which
  // passes; a cron job verifying today would otherwise fail its first hour of every day.
  if (range.fromMs >= closedEndMs && range.fromMs <= nowMs) {
    return {
      kind: 'closed',
      range: { fromMs: range.fromMs, toMs: range.fromMs },
      clipped: { ...clipped, noneClosedBeforeMs: closedEndMs },
    };
  }
  if (range.fromMs >= closedEndMs) return { kind: 'not-closed', closedEndMs, settleMinutes };
  if (range.toMs <= closedEndMs) return { kind: 'closed', range };
  // Said only of a range that ends there: the watermark, or the current hour it was capped at.
  if (closedEndMs > settledEndMs) {
    if (closedEndMs === watermarkMs) clipped.atWatermark = true;
    else clipped.watermarkAhead = true;
  }
  return { kind: 'closed', range: { fromMs: range.fromMs, toMs: closedEndMs }, clipped };
}

/**
 * Where the hours the lake records as complete end: its watermark, which the deployment's ingest
 * moved by its own settle time (verify's may be longer, and would stop short of hours the lake
 * holds). Never past the start of the current hour: a watermark edited ahead of now (`status`
 * shows it AHEAD) vouches for no hour that has not ended. A watermark is never taken to end the
 * closed hours earlier: settled hours past it are gaps a failed or stopped run left, which verify
 * is there to find.
 */
const recordedEnd = (watermarkMs: number | undefined, nowMs: number): number =>
  watermarkMs === undefined ? Number.NEGATIVE_INFINITY : Math.min(watermarkMs, floorHour(nowMs));

/** A range a verify was asked for, and the settle time to judge its hours by. */
export interface AskedRange {
  range: HourRange;
  settleMinutes: number;
  /** The caller was given the settle time: the lake's last run does not replace it. */
  settleGiven: boolean;
}

/** What of an asked range verify checks on a lake, and the checkpoint's marks it was judged by. */
interface LakeVerifyRange {
  at: VerifyRangeAt;
  watermarkMs: number | null;
  heldFromMs: number | null;
  /** The checkpoint's later-pull fields (absent: no checkpoint). */
  repull?: RepullFields;
}

/**
 * The hours of `asked` verify checks at `nowMs` on the instance's lake, its watermark read (see
 * {@link verifyRangeAt}): those settled by the settle time given (without one, by the settle time
 * the lake's last ingest run recorded, {@link recordedSettle}: a verify from a laptop then judges
 * hours as the deployment does), and every hour before the watermark, which the deployment's
 * ingest pulled by its own settle time (a verify from elsewhere, with a longer one, agrees with it
 * on those). `acceptsSettle` says whether the ingest takes a settle time: its limits are the
 * ingest's settings, which the lake does not import.
 */
export async function verifyRangeOfLake(
  store: ObjectStore,
  instance: string,
  asked: AskedRange,
  nowMs: number,
  acceptsSettle: (minutes: number) => boolean,
): Promise<LakeVerifyRange> {
  const [checkpoint, lastRun] = await Promise.all([
    readCheckpoint(store, instance),
    asked.settleGiven ? undefined : readLastRun(store, instance),
  ]);
  const recorded = recordedSettle(lastRun, instance, acceptsSettle);
  const watermarkMs = checkpoint?.checkpoint.watermark_ms ?? null;
  const at = verifyRangeAt(asked.range, nowMs, recorded ?? asked.settleMinutes, watermarkMs ?? undefined);
  if (at.kind === 'closed' && at.clipped && recorded !== undefined) at.clipped.settleFromLastRun = true;
  return {
    at,
    watermarkMs,
    heldFromMs: checkpoint?.checkpoint.retry_from_ms ?? null,
    ...(checkpoint === undefined ? {} : { repull: repullFieldsOf(checkpoint.checkpoint) }),
  };
}

/**
 * The settle time the instance's last scheduled run recorded, if the ingest would take it: the note
 * is one any lake writer can edit, and an absurd value (a billion minutes) would clip every hour
 * past the watermark out of the check, so a bad or foreign record counts as none. A re-pull's
 * record (mode `range`) holds its own settle time, not the schedule's: the one it carries from the
 * last run before it that followed the checkpoint (`checkpoint_run_settings`) counts, as its
 * lookback does (recorded-finality.ts).
 */
export function recordedSettle(
  lastRun: LastRun | undefined,
  instance: string,
  acceptsSettle: (minutes: number) => boolean,
): number | undefined {
  if (lastRun === undefined || lastRun.instance !== instance) return undefined;
  const recorded =
    lastRun.mode === 'checkpoint' ? lastRun.settle_minutes : lastRun.checkpoint_run_settings?.settle_minutes;
  if (recorded === undefined) return undefined;
  return acceptsSettle(recorded) ? recorded : undefined;
}
