import type { CoverageManifest } from '../lake/coverage-manifest.ts';
import { type FieldGapTotals, SHAPE_EVIDENCE_ENTRIES } from '../lake/field-gap-tally.ts';
import {
  countsOf,
  type GapCounts,
  type HourBefore,
  judgedHoursLabel,
  lookBack,
  UNREAD,
} from '../lake/hour-shape-judgement.ts';
import { coverageKey, lakeTimestamp } from '../lake/layout.ts';
import type { ObjectStore } from '../ports.ts';
import { HOUR_MS } from '../time-units.ts';
import type { FieldGapCounts } from './field-gaps.ts';
import type { Span } from './span-plan.ts';

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
 * What a look back learnt of an hour before, in the words of {@link lookBack}: its counts (an hour
 * the run stored, or a manifest read); undefined, an hour at which a sum stops (none stored); null,
 * an hour passed over (its manifest unreadable, or its read failed).
 */
type Known = GapCounts | null | undefined;

/** A stored hour whose judgement waits, and what is told of it once judged. */
interface Waiting {
  gaps: FieldGapCounts;
  tell: (judged: JudgedGaps) => void;
}

/**
 * Judges each hour a run stores by the rule `status` and `verify` judge by too ({@link lookBack},
 * lake/hour-shape-judgement.ts): a quiet hour's gaps (fewer than {@link SHAPE_EVIDENCE_ENTRIES}
 * entries) summed with the hours before it. A scheduled run stores one new hour and its lookback:
 * an instance of a few entries an hour never held 10 in one run, so the sum reads the manifests of
 * earlier runs' hours; a run's own hours it sums by the counts it stored (no read).
 *
 * The sum is over the hours as the lake will hold them once the run ends, as status and verify
 * read them: an hour of a span still being pulled (spans store at once, a too full one newest
 * part first) is waited for, and the hour after it judged once it is stored, or its span ended
 * without it (then as stored before the run). Waiting holds nothing: the hour is stored, and its
 * judgement told later in the run.
 *
 * One for the run: what any look back of it read, or any of its hours stored, no other reads again
 * (the hour before a quiet one is most often the run's own), and the manifests still to read are
 * read several at once, as many as the entries summed so far say are needed.
 */
export class QuietHoursBefore {
  private readonly known = new Map<number, Known>();
  /** Hours of the spans being pulled and not stored yet. */
  private readonly pulling = new Set<number>();
  private readonly waiting = new Map<number, Waiting>();
  /** Judgements one after another: two stored hours' look backs would tell a waiting hour twice. */
  private judging: Promise<void> = Promise.resolve();

  /** A run's own hours are known as it stores them ({@link stored}), not by their manifest. */
  constructor(
    private readonly store: ObjectStore,
    private readonly instance: string,
  ) {}

  /** A span's hours: a sum that reaches one waits until it is stored or the span ends. */
  pulls(span: Span): void {
    for (let ms = span.startMs; ms < span.endMs; ms += HOUR_MS) this.pulling.add(ms);
  }

  /**
   * The span ended: its hours not stored stay as the lake held them before the run. Never throws
   * (the span's own error stands).
   */
  async ended(span: Span): Promise<void> {
    for (let ms = span.startMs; ms < span.endMs; ms += HOUR_MS) this.pulling.delete(ms);
    await this.judgeWaiting().catch(() => undefined);
  }

  /**
   * The run stored the hour with these gaps: `tell` hears its judgement, the hour's gaps or a
   * quiet hour's summed with the hours before it, now or once the hours it waits on are stored.
   */
  async stored(startMs: number, gaps: FieldGapCounts, tell: (judged: JudgedGaps) => void): Promise<void> {
    this.known.set(startMs, gaps);
    this.pulling.delete(startMs);
    this.waiting.set(startMs, { gaps, tell });
    await this.judgeWaiting();
  }

  /** A manifest the run read before it stored anything (the hour before its plan). */
  read(manifest: CoverageManifest): void {
    this.known.set(manifest.window_start_ms, manifest);
  }

  /** Judges every waiting hour whose look back no longer reaches an hour being pulled, oldest first. */
  private judgeWaiting(): Promise<void> {
    // A pass that failed (a metric or log told that threw) leaves its hours to the next pass.
    this.judging = this.judging
      .catch(() => undefined)
      .then(async () => {
        for (const startMs of [...this.waiting.keys()].sort((a, b) => a - b)) {
          const wait = this.waiting.get(startMs) as Waiting;
          const judged = await this.judged(startMs, wait.gaps);
          if (judged === undefined) continue;
          this.waiting.delete(startMs);
          wait.tell(judged);
        }
      });
    return this.judging;
  }

  /** The hour's gaps, or a quiet hour's summed with the hours before it; undefined while it waits. */
  private async judged(startMs: number, gaps: FieldGapCounts): Promise<JudgedGaps | undefined> {
    const before = (back: number): HourBefore => {
      const ms = startMs - back * HOUR_MS;
      return this.pulling.has(ms) || !this.known.has(ms) ? UNREAD : this.known.get(ms);
    };
    let look = lookBack(gaps, before);
    while (look.unread) {
      const { back, hoursLeft } = look.unread;
      if (this.pulling.has(startMs - back * HOUR_MS)) return undefined;
      await this.readFrom(startMs - back * HOUR_MS, hoursLeft, look.sums);
      look = lookBack(gaps, before);
    }
    const { sums } = look;
    const hour = lakeTimestamp(startMs).slice(0, 16);
    if (sums === null || sums.hours === 1) return { label: hour, windowStartMs: startMs, gaps };
    return {
      label: judgedHoursLabel(sums.hours, hour),
      windowStartMs: startMs,
      gaps: { entries_read: sums.entriesRead, missing_fields: sums.missing, unread_fields: sums.unread },
    };
  }

  /**
   * Reads the manifests from `startMs` back, at once: one when nothing before the quiet hour was
   * summed yet (a first run's backfill finds none there), else as many as the entries an hour so
   * far say the sum still needs, up to the first hour known or being pulled, within `hoursLeft`.
   */
  private async readFrom(startMs: number, hoursLeft: number, sums: FieldGapTotals | null): Promise<void> {
    const needed =
      sums === null || sums.hours === 1
        ? 1
        : Math.ceil((SHAPE_EVIDENCE_ENTRIES - sums.entriesRead) / (sums.entriesRead / sums.hours));
    const hours: number[] = [];
    const most = Math.min(needed, MOST_READ_AT_ONCE, hoursLeft);
    for (let ms = startMs; hours.length < most && !this.known.has(ms) && !this.pulling.has(ms); ms -= HOUR_MS)
      hours.push(ms);
    // A read that fails is passed over, as a manifest that does not parse: the judgement only
    // warns, and failing here failed hours the run had stored, and every hour judged after them.
    const read = await Promise.all(
      hours.map((ms) =>
        this.store.get(coverageKey(this.instance, ms)).then(
          (stored) => countsOf(stored, ms),
          () => null,
        ),
      ),
    );
    for (const [i, ms] of hours.entries()) {
      // An hour the run stored while these were read stays its own.
      if (!this.known.has(ms)) this.known.set(ms, read[i]);
    }
  }
}
