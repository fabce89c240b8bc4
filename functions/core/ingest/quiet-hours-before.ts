import { readManifest } from '../lake/coverage.ts';
import type { CoverageManifest } from '../lake/coverage-manifest.ts';
import { type FieldGapTotals, SHAPE_EVIDENCE_ENTRIES } from '../lake/field-gap-tally.ts';
import { type HourBefore, judgedHoursLabel, lookBack, UNREAD } from '../lake/hour-shape-judgement.ts';
import { coverageKey, lakeTimestamp } from '../lake/layout.ts';
import type { ObjectStore, StoredObject } from '../ports.ts';
import { HOUR_MS } from '../time-units.ts';
import type { FieldGapCounts } from './field-gaps.ts';
import type { HourWindow } from './normalise-window.ts';

/**
 * Manifests one look back reads at once at most. Read one after another, an hourly run of an
 * instance of an entry an hour read 9 in a row for its lookback hour and 9 for its later pull.
 */
const MOST_READ_AT_ONCE = 8;

/** An hour's field gaps as judged, and the words that name the hours they sum. */
export interface JudgedGaps {
  label: string;
  windowStartMs: number;
  gaps: FieldGapCounts;
}

/**
 * What a look back learnt of an hour before, in the words of {@link lookBack}: its manifest;
 * undefined, an hour at which a sum stops (none stored, or stored by this run: summed in its
 * batches, drift-signals.ts, and alongside it may be half seen); null, an hour passed over (its
 * manifest unreadable).
 */
type Known = CoverageManifest | null | undefined;

/**
 * A quiet hour's gaps (fewer than {@link SHAPE_EVIDENCE_ENTRIES} entries) summed with the
 * manifests of the hours before it by the rule `status` and `verify` judge by too ({@link lookBack},
 * lake/hour-shape-judgement.ts). A scheduled run stores one new hour and its lookback: an instance
 * of a few entries an hour never held 10 in one run, so a change of shape was never judged and
 * ShapeChangedHours never fired. The sum stops at an hour stored by this run too.
 *
 * One for the run: what any look back of it read, or any of its hours stored, no other reads again
 * (the hour before a quiet one is most often the run's own), and the manifests still to read are
 * read several at once, as many as the entries summed so far say are needed.
 */
export class QuietHoursBefore {
  private readonly known = new Map<number, Known>();

  constructor(
    private readonly store: ObjectStore,
    private readonly instance: string,
    private readonly runId: string,
  ) {}

  /** The run stored the hour: a sum stops there without reading it. */
  stored(startMs: number): void {
    this.known.set(startMs, undefined);
  }

  /** A manifest the run read before it stored anything (the hour before its plan). */
  read(manifest: CoverageManifest): void {
    if (!this.known.has(manifest.window_start_ms))
      this.known.set(manifest.window_start_ms, known(manifest, this.runId));
  }

  /** The hour's gaps, or a quiet hour's summed with the hours before it (see the class). */
  async judged(window: HourWindow, gaps: FieldGapCounts): Promise<JudgedGaps> {
    const before = (back: number): HourBefore => {
      const startMs = window.startMs - back * HOUR_MS;
      return this.known.has(startMs) ? this.known.get(startMs) : UNREAD;
    };
    let look = lookBack(gaps, before);
    while (look.unread) {
      const { back, hoursLeft } = look.unread;
      await this.readFrom(window.startMs - back * HOUR_MS, hoursLeft, look.sums);
      look = lookBack(gaps, before);
    }
    const { sums } = look;
    const hour = lakeTimestamp(window.startMs).slice(0, 16);
    if (sums === null || sums.hours === 1) return { label: hour, windowStartMs: window.startMs, gaps };
    return {
      label: judgedHoursLabel(sums.hours, hour),
      windowStartMs: window.startMs,
      gaps: { entries_read: sums.entriesRead, missing_fields: sums.missing, unread_fields: sums.unread },
    };
  }

  /**
   * Reads the manifests from `startMs` back, at once: one when nothing before the quiet hour was
   * summed yet (a first run's backfill finds none there), else as many as the entries an hour so
   * far say the sum still needs, up to the first hour known and within the day's `hoursLeft`.
   */
  private async readFrom(startMs: number, hoursLeft: number, sums: FieldGapTotals | null): Promise<void> {
    const needed =
      sums === null || sums.hours === 1
        ? 1
        : Math.ceil((SHAPE_EVIDENCE_ENTRIES - sums.entriesRead) / (sums.entriesRead / sums.hours));
    const hours: number[] = [];
    const most = Math.min(needed, MOST_READ_AT_ONCE, hoursLeft);
    for (let ms = startMs; hours.length < most && !this.known.has(ms); ms -= HOUR_MS) hours.push(ms);
    const read = await Promise.all(hours.map((ms) => this.store.get(coverageKey(this.instance, ms))));
    for (const [i, ms] of hours.entries()) {
      // An hour the run stored while these were read stays its own.
      if (!this.known.has(ms)) this.known.set(ms, knownOf(read[i], ms, this.runId));
    }
  }
}

/** What a manifest read says to a sum: stop at the run's own hour, else its counts. */
const known = (manifest: CoverageManifest, runId: string): Known =>
  manifest.run_id === runId ? undefined : manifest;

/** What an hour's manifest as read says to a sum: none stored stops it, one unreadable is passed. */
function knownOf(stored: StoredObject | undefined, startMs: number, runId: string): Known {
  if (!stored) return undefined;
  const reading = readManifest(stored.body, startMs);
  return reading.ok ? known(reading.manifest, runId) : null;
}
