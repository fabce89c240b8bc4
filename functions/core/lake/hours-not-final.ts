import { HOUR_MS } from '../time-units.ts';
import type { RepullFields } from './checkpoint.ts';
import { DEFAULT_LOOKBACK_HOURS, DEFAULT_REPULL_AFTER_HOURS, dueHours } from './later-pull-due.ts';

/**
 * Covered hours a scheduled run still pulls again, so that late events may still be added to them
 * (docs/guarantees.md §2): those at or after the watermark and in the lookback before it, and those
 * due their later pull as the checkpoint names them (later-pull-due.ts). Expected, not a failure.
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
}

/** What verify knows of the checkpoint: without a watermark no scheduled run pulls any hour again. */
interface FinalityMarks {
  watermarkMs: number | null;
  repull?: RepullFields;
}

/** Tallies the covered hours that are not final yet, one at a time in any order. */
export class NotFinalTally {
  private readonly due: ReadonlySet<number>;
  private readonly pulledAgainFromMs: number;
  private readonly lastPullAfterHours: number;
  private count = 0;
  private fromMs = Number.POSITIVE_INFINITY;
  private toMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly marks: FinalityMarks,
    settings: FinalitySettings = {},
  ) {
    const repullAfterHours = settings.repullAfterHours ?? DEFAULT_REPULL_AFTER_HOURS;
    const lookbackHours = settings.lookbackHours ?? DEFAULT_LOOKBACK_HOURS;
    const watermarkMs = marks.watermarkMs ?? Number.POSITIVE_INFINITY;
    this.due =
      marks.watermarkMs === null || repullAfterHours === 0
        ? new Set()
        : dueHours(marks.repull ?? {}, marks.watermarkMs, repullAfterHours);
    this.pulledAgainFromMs = watermarkMs - lookbackHours * HOUR_MS;
    // With the later pull off, the lookback is an hour's last pull.
    this.lastPullAfterHours = repullAfterHours === 0 ? lookbackHours : repullAfterHours;
  }

  /** Notes a covered hour. */
  note(hourMs: number): void {
    if (this.marks.watermarkMs === null) return;
    if (hourMs < this.pulledAgainFromMs && !this.due.has(hourMs)) return;
    this.count++;
    this.fromMs = Math.min(this.fromMs, hourMs);
    this.toMs = Math.max(this.toMs, hourMs + HOUR_MS);
  }

  /** The hours noted that are not final; undefined: none. */
  result(): HoursNotFinal | undefined {
    if (this.count === 0) return undefined;
    return {
      hourCount: this.count,
      fromMs: this.fromMs,
      toMs: this.toMs,
      finalAfterMs: this.toMs + this.lastPullAfterHours * HOUR_MS,
    };
  }

  /** {@link result} as the report's optional field: absent when every hour noted is final. */
  field(): { notFinal?: HoursNotFinal } {
    const notFinal = this.result();
    return notFinal ? { notFinal } : {};
  }
}
