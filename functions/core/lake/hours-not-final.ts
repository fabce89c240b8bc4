import { HOUR_MS } from '../time-units.ts';
import type { RepullFields } from './checkpoint.ts';
import { DEFAULT_SETTLE_MINUTES } from './closed-hours.ts';
import { DEFAULT_LOOKBACK_HOURS, DEFAULT_REPULL_AFTER_HOURS, dueHours } from './later-pull-due.ts';
import { firstLookbackHourPulled, type LookbackSettings } from './lookback-read-late.ts';

/**
 * Covered hours a scheduled run still pulls again, so that late events may still be added to them
 * (docs/guarantees.md §2): those at or after the watermark and in the lookback before it (but the
 * leading ones a run read a day or more after they ended, which the next run's lookback passes:
 * lookback-read-late.ts), and those due their later pull as the checkpoint names them
 * (later-pull-due.ts). Expected, not a failure.
 */
export interface HoursNotFinal {
  hourCount: number;
  /** The first such hour's start, and the last one's end. */
  fromMs: number;
  toMs: number;
  /** When the last of them has been pulled for the last time: the end of the last + R (or the lookback). */
  finalAfterMs: number;
}

/** The ingest settings that say how long an hour is pulled again (defaults: the ingest's). */
export interface FinalitySettings {
  repullAfterHours?: number;
  lookbackHours?: number;
  settleMinutes?: number;
}

/** What verify knows of the checkpoint: without a watermark no scheduled run pulls any hour again. */
interface FinalityMarks {
  watermarkMs: number | null;
  repull?: RepullFields;
  /** The checkpoint's `retry_from_ms`: a run pulls it, and each hour after it, again. */
  heldFromMs?: number | null;
}

/** Tallies the covered hours that are not final yet, one at a time in any order. */
export class NotFinalTally {
  private readonly due: ReadonlySet<number>;
  private readonly settings: LookbackSettings;
  private readonly pulledAgainFromMs: number;
  private readonly watermarkMs: number;
  private readonly lastPullAfterHours: number;
  /** The lookback's hours noted, not due a later pull, with their manifest's last pull. */
  private readonly lookback = new Map<number, string | undefined>();
  private readonly hours: number[] = [];

  constructor(
    private readonly marks: FinalityMarks,
    settings: FinalitySettings = {},
  ) {
    const repullAfterHours = settings.repullAfterHours ?? DEFAULT_REPULL_AFTER_HOURS;
    const lookbackHours = settings.lookbackHours ?? DEFAULT_LOOKBACK_HOURS;
    this.settings = {
      repullAfterHours,
      lookbackHours,
      settleMinutes: settings.settleMinutes ?? DEFAULT_SETTLE_MINUTES,
    };
    this.watermarkMs = marks.watermarkMs ?? Number.POSITIVE_INFINITY;
    this.due =
      marks.watermarkMs === null || repullAfterHours === 0
        ? new Set()
        : dueHours(marks.repull ?? {}, marks.watermarkMs, repullAfterHours);
    this.pulledAgainFromMs = this.watermarkMs - lookbackHours * HOUR_MS;
    // With the later pull off, the lookback is an hour's last pull.
    this.lastPullAfterHours = repullAfterHours === 0 ? lookbackHours : repullAfterHours;
  }

  /** Notes a covered hour, with its manifest's `fetched_at` (undefined: unreadable). */
  note(hourMs: number, fetchedAt?: string): void {
    if (this.marks.watermarkMs === null) return;
    if (hourMs < this.pulledAgainFromMs && !this.due.has(hourMs)) return;
    // Judged once every hour is noted: whether the lookback passes it depends on those before it.
    if (hourMs < this.watermarkMs && !this.due.has(hourMs)) this.lookback.set(hourMs, fetchedAt);
    else this.hours.push(hourMs);
  }

  /** The hours noted that are not final; undefined: none. */
  async result(): Promise<HoursNotFinal | undefined> {
    const untilMs = Math.min(this.watermarkMs, this.marks.heldFromMs ?? Number.POSITIVE_INFINITY);
    const pulledFromMs = await firstLookbackHourPulled(
      this.pulledAgainFromMs,
      untilMs,
      this.due,
      this.settings,
      (hourMs) => this.lookback.get(hourMs),
    );
    const hours = [...this.hours, ...[...this.lookback.keys()].filter((hourMs) => hourMs >= pulledFromMs)];
    if (hours.length === 0) return undefined;
    const toMs = hours.reduce((last, hourMs) => Math.max(last, hourMs)) + HOUR_MS;
    return {
      hourCount: hours.length,
      fromMs: hours.reduce((first, hourMs) => Math.min(first, hourMs)),
      toMs,
      finalAfterMs: toMs + this.lastPullAfterHours * HOUR_MS,
    };
  }

  /** {@link result} as the report's optional field: absent when every hour noted is final. */
  async field(): Promise<{ notFinal?: HoursNotFinal }> {
    const notFinal = await this.result();
    return notFinal ? { notFinal } : {};
  }
}
