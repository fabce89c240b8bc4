import type { ObjectStore, StoredObject } from '../ports.ts';
import { HOUR_MS } from '../time-units.ts';
import { readManifest } from './coverage.ts';
import type { CoverageManifest } from './coverage-manifest.ts';
import {
  FieldGapTally,
  type FieldGapTotals,
  mostlyMissing,
  SHAPE_EVIDENCE_ENTRIES,
} from './field-gap-tally.ts';
import { coverageKey } from './layout.ts';

/** An hour's counts, as its coverage manifest (and the ingest's FieldGaps) hold them. */
export type GapCounts = Pick<CoverageManifest, 'entries_read' | 'missing_fields' | 'unread_fields'>;

/** The hours a quiet hour's gaps are summed over at most, itself included: a day. */
const QUIET_HOURS_SUMMED = 24;

/** An hour a look back has not read yet: its caller reads it, then looks back again. */
export const UNREAD = Symbol('unread');

/**
 * What a look back knows of an hour before the judged one: its counts (to the ingest, those it
 * stored for an hour of its own); null, stored but its manifest does not read (passed); undefined,
 * where the sum stops (not stored); {@link UNREAD}, not read yet.
 */
export type HourBefore = GapCounts | null | undefined | typeof UNREAD;

/** A look back's sums; `unread` when it met an hour not read yet, and the day's hours left there. */
export interface LookBack {
  sums: FieldGapTotals | null;
  unread?: { back: number; hoursLeft: number };
}

/**
 * The rule both the ingest (ingest/quiet-hours-before.ts, as it stores an hour) and `status` and
 * `verify` (below, over the lake) judge an hour's entry shape by: its own counts; a quiet hour's
 * (1 to 9 entries) summed with the hours before it, newest first, until they hold
 * {@link SHAPE_EVIDENCE_ENTRIES}, a day back at most. `before(back)` tells of the hour `back` hours
 * earlier ({@link HourBefore}); at one not read yet the look back ends with the sums so far, and the
 * caller, having read from there, calls again. Null sums: the hour has no counts (a manifest
 * written before 2026-12-06).
 */
export function lookBack(hour: GapCounts, before: (back: number) => HourBefore): LookBack {
  const tally = new FieldGapTally();
  tally.add(hour);
  const read = hour.entries_read;
  if (typeof read !== 'number' || read === 0 || read >= SHAPE_EVIDENCE_ENTRIES)
    return { sums: tally.result() };
  for (let back = 1; back < QUIET_HOURS_SUMMED; back++) {
    if ((tally.result()?.entriesRead ?? 0) >= SHAPE_EVIDENCE_ENTRIES) break;
    const counts = before(back);
    if (counts === UNREAD)
      return { sums: tally.result(), unread: { back, hoursLeft: QUIET_HOURS_SUMMED - back } };
    if (counts === undefined) break;
    if (counts !== null) tally.add(counts);
  }
  return { sums: tally.result() };
}

/** The words for the hours a judgement summed: the hour's label, or "4 quiet hours up to" it. */
export function judgedHoursLabel(hours: number, hourLabel: string): string {
  return hours > 1 ? `${hours} quiet hours up to ${hourLabel}` : hourLabel;
}

/**
 * Judges the hours of a walk through the lake in time order (`verify`'s range, `status`'s week) as
 * the ingest judged each when it stored it ({@link lookBack}), keeping the last day's counts
 * for the quiet hours' look back. An hour before the walk began reads as not stored, unless the
 * walk read it first ({@link judgeFromDayBefore}).
 */
export class HourShapeJudge {
  private readonly held = new Map<number, GapCounts | null>();

  /** An hour before the walk, oldest first: its counts, or null when its manifest does not read. */
  before(windowStartMs: number, counts: GapCounts | null): void {
    this.held.set(windowStartMs, counts);
  }

  /**
   * The sums the hour at `windowStartMs` is judged on when they mostly lack a watched field (the
   * ingest's "entry shape may have changed"); undefined otherwise. `counts`: null for an hour
   * stored whose manifest does not read.
   */
  changed(windowStartMs: number, counts: GapCounts | null): FieldGapTotals | undefined {
    for (const start of this.held.keys()) {
      if (start > windowStartMs - QUIET_HOURS_SUMMED * HOUR_MS) break;
      this.held.delete(start);
    }
    this.held.set(windowStartMs, counts);
    if (counts === null) return undefined;
    // Every hour before is known here (held, or where the sum stops): the look back ends whole.
    const { sums } = lookBack(counts, (back) => this.held.get(windowStartMs - back * HOUR_MS));
    return sums !== null && mostlyMissing(sums.entriesRead, sums.missing).length > 0 ? sums : undefined;
  }
}

/**
 * A judge for a walk from `fromMs` that knows the day's hours before it (23 manifests, read at
 * once): a quiet hour early in `verify`'s range is summed with them, as the ingest and `status`
 * sum it, not judged on the range's hours alone. None read for the whole lake: nothing is before.
 * `onRead` hears each read.
 */
export async function judgeFromDayBefore(
  store: ObjectStore,
  instance: string,
  { fromMs, wholeLake }: { fromMs: number; wholeLake?: boolean },
  onRead?: (key: string, found: StoredObject | undefined) => void,
): Promise<HourShapeJudge> {
  const judge = new HourShapeJudge();
  if (wholeLake === true) return judge;
  const hours = Array.from(
    { length: QUIET_HOURS_SUMMED - 1 },
    (_, i) => fromMs - (QUIET_HOURS_SUMMED - 1 - i) * HOUR_MS,
  );
  const read = await Promise.all(hours.map((ms) => store.get(coverageKey(instance, ms))));
  for (const [i, ms] of hours.entries()) {
    const stored = read[i];
    // Told as verify's other reads: `--integrity` checks the bytes read, not read again.
    onRead?.(coverageKey(instance, ms), stored);
    const counts = countsOf(stored, ms);
    if (counts !== undefined) judge.before(ms, counts);
  }
  return judge;
}

/**
 * What an hour's manifest as read says to a look back: undefined, none stored (a sum stops there);
 * null, one that does not read (passed over); else its counts.
 */
export function countsOf(
  stored: StoredObject | undefined,
  windowStartMs: number,
): GapCounts | null | undefined {
  if (!stored) return undefined;
  const reading = readManifest(stored.body, windowStartMs);
  return reading.ok ? reading.manifest : null;
}
