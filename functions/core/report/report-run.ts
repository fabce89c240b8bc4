import { lastFullWeek, type ReportWeek, reportWeek } from './iso-week.ts';

/**
 * What one instance's report run is, decided once where the run's inputs are read
 * ({@link reportRun}) and handed down to everything that acts on it: the send (a preview is mailed,
 * never claimed, marked or archived), the failures (worded as a preview's), the query time check,
 * the week's status and notes. Decided in one place, no two parts of a run can disagree on it, nor
 * read the clock at different instants around the week's end.
 */
export interface ReportRun {
  week: ReportWeek;
  /** Epoch ms the report is made at: the one clock reading of the run. */
  nowMs: number;
  /** The week is not over at `nowMs`: the run makes a labelled preview, not the week's report. */
  preview: boolean;
}

/** A run's inputs as the report function's event and the `report` command give them. */
export interface ReportRunInputs {
  /** IANA zone whose Monday-to-Monday weeks are reported. */
  timeZone: string;
  /** `YYYY-Www`; default the last full week before now. */
  week?: string;
}

/**
 * The run for `inputs` at `nowMs`. Preview or not, by the week asked for (a resend's too: a
 * resend does not enter into it) and the time:
 *
 * | week asked              | now                                  | preview |
 * | ----------------------- | ------------------------------------ | ------- |
 * | none (last full week)   | any (that week is over by definition) | no      |
 * | one that has not ended  | before its end (or before its start) | yes     |
 * | one that has ended      | at or after its end                  | no      |
 *
 * A week that has not started is a preview too, which the report then refuses to make.
 *
 * @throws Error when the week asked for is no ISO week (the reason and the form it needs).
 */
export function reportRun(inputs: ReportRunInputs, nowMs: number): ReportRun {
  const week = inputs.week ? reportWeek(inputs.week, inputs.timeZone) : lastFullWeek(nowMs, inputs.timeZone);
  return runOfWeek(week, nowMs);
}

/** Why no report of `week` can be made at `nowMs`, before the week's start: it holds nothing yet. */
export const weekNotStarted = (week: ReportWeek): Error =>
  new Error(
    `week ${week.isoWeek} (${week.timeZone}) has not started yet; pick a week that has begun, or leave the week out for the last full one`,
  );

/** The run reporting `week` at `nowMs`: a preview exactly while the week is not over. */
export const runOfWeek = (week: ReportWeek, nowMs: number): ReportRun => ({
  week,
  nowMs,
  preview: nowMs < week.endMs,
});
