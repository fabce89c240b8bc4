import { utcHourLabel } from './utc-hour-label.ts';

/**
 * Who pulls hours below the watermark without a manifest again, and by when (core/lake/
 * hours-repulled.ts): `status`'s note and `verify`'s gap line say it in the same words, as they
 * judge the hours by the same rule. `lastFromMs`: the first run from then on pulls the last of
 * them; `nowMs`: when the lake was read.
 */
export function repulledByText(lastFromMs: number, nowMs: number): string {
  const when =
    lastFromMs <= nowMs
      ? 'the next run that follows the checkpoint pulls them again'
      : `the runs that follow the checkpoint pull them again (their lookback or later pull), the last by the first run after ${utcHourLabel(lastFromMs)}`;
  return `${when}, storing them with a manifest`;
}

/** How such hours come about, and how a removed manifest is told from a watermark moved on. */
export const REPULLED_CAUSES =
  'A watermark moved on by hand leaves such hours; if a manifest was removed, verify --integrity finds it in the digest chain (keep a copy of the lake as it is before that run)';

/** What both commands say of hours below the watermark without a manifest that no run pulls again. */
export const NO_RUN_GOES_BACK = 'no scheduled run goes back for them';

/**
 * The hours the operator's note of hours skipped names that have a manifest now (skipped-hours.ts
 * `skippedButCovered`), as status and verify both say it. Told, not a failure.
 */
export const skippedButCoveredText = (
  instance: string,
  c: { hourCount: number; fromMs: number; toMs: number },
): string =>
  `state/instance=${instance}/skipped-hours.json names ${c.hourCount} hour(s) that have a manifest now (from ${utcHourLabel(c.fromMs)} to ${utcHourLabel(c.toMs)}): the skip is stale or wider than the hours lost, and a later loss in its span would be taken for it; narrow the note to the hours still missing, or remove it`;

/**
 * Hours a span of the operator's note names that the digest chain says were stored once
 * (core/lake/skipped-hours-stored.ts): a deletion, not the skip. `hours`: some of them, as labels.
 */
export const skippedButStoredText = (instance: string, count: number, hours: string): string =>
  `${count} of the hours without a manifest (${hours}) lie in a span of state/instance=${instance}/skipped-hours.json but were stored once (the digest chain lists their manifest): lost since, by a deletion, so not the skip it records; verify --integrity names what is gone`;

/**
 * Hours a span of the operator's note names that had not ended when it says it was written
 * (core/lake/skipped-hours.ts): lost after it. `hours`: some of them, as labels.
 */
export const skippedAfterWrittenText = (instance: string, count: number, hours: string): string =>
  `${count} of the hours without a manifest (${hours}) lie in a span of state/instance=${instance}/skipped-hours.json but had not ended when it says it was written ("written_at"): lost since, so not the skip it records`;
