/**
 * Old hours an ingest run rewrote (older than the recheck window) that are still to be looked at
 * for late lockouts: kept in the alerts checkpoint (`late_hours`), written in the same write that
 * records the run's progress, with where the digest chain was read to (`late_digest_next`).
 * Kept in the login profile instead, or found by reading the same digests again, they were lost
 * when a run died between the profile's write and the checkpoint's, when the chain could not be
 * read in full, when the profile was lost or rebuilt, or when a release without the late pass ran
 * in between (review R-ALERTS2): the checkpoint keeps fields it does not know (releases from
 * 027518ad on; older ones drop these on their write, docs/alerts.md "Rolling back").
 *
 * Each hour is kept with the number of the last digest that said an ingest run wrote it. A run
 * that looked at the hour had read the chain up to that digest before reading the object, so it
 * saw that write; a later digest naming the hour again (another re-pull, found by an overlapping
 * run) keeps it for the next run.
 */
import { HOUR_MS } from '../time-units.ts';

/** Hour start (as a string, a JSON key) -> the last digest that listed it as pulled. */
export type LateHours = Record<string, number>;

/**
 * Most old rewritten hours the checkpoint keeps to look at (90 days of hours; ~60 KB of the
 * checkpoint every run reads and writes). A run looks at 48 of them (evaluate-hours.ts), so this
 * many take 45 runs. Past it the oldest are dropped, with a warning naming their span: their
 * lockouts are months old, and the archive and the lake still hold their events.
 */
export const MAX_KEPT_LATE_HOURS = 24 * 90;

/** What one run did with the late hours, for the checkpoint write to merge ({@link mergeLateHours}). */
export interface LatePass {
  /** The old hours this run found rewritten in the digest chain, with their digest numbers. */
  found: LateHours;
  /** The hours this run looked at, with the digest number it had read the chain up to for each. */
  looked: LateHours;
  /** The next digest to read (the chain's end, or where this run stopped reading). */
  digestNext: number;
  /** The chain could not be read from where it was asked (`digestNext` is then its end). */
  restarted: boolean;
}

/**
 * Digests the checkpoint's place in the chain may fall behind before a run writes it for that
 * alone: a run with nothing else to write leaves it (the next one reads the same digests and finds
 * the same), but past 500 unread digests the chain reads as incomplete and the login history is
 * folded again in full (lake-hours.ts), which a watermark held for days would reach.
 */
export const LATE_POSITION_SLACK = 100;

/** Whether the checkpoint's place in the chain, `stored`, is to be written as `pass` read it. */
export const positionDue = (stored: number | undefined, pass: LatePass): boolean => {
  const at = stored ?? 0;
  return (
    pass.digestNext !== at &&
    (pass.restarted || pass.digestNext < at || pass.digestNext - at >= LATE_POSITION_SLACK)
  );
};

/** The hours of `hours`, ascending. */
export const lateHoursOf = (hours: LateHours): number[] =>
  Object.keys(hours)
    .map(Number)
    .sort((a, b) => a - b);

/**
 * The late hours after `pass`, from those the checkpoint holds now (`current`, which an
 * overlapping run may have changed since this one read it): what it found added, what it looked
 * at removed unless a later digest named the hour again; the oldest beyond
 * {@link MAX_KEPT_LATE_HOURS} dropped (returned, to be warned of).
 */
export function mergeLateHours(
  current: LateHours | undefined,
  pass: LatePass,
): { hours: LateHours; dropped: number[] } {
  const hours: LateHours = { ...current };
  for (const [hour, digest] of Object.entries(pass.found)) hours[hour] = Math.max(hours[hour] ?? -1, digest);
  for (const [hour, digest] of Object.entries(pass.looked)) {
    const kept = hours[hour];
    if (kept !== undefined && kept <= digest) delete hours[hour];
  }
  const all = lateHoursOf(hours);
  const dropped = all.slice(0, Math.max(0, all.length - MAX_KEPT_LATE_HOURS));
  for (const hour of dropped) delete hours[String(hour)];
  return { hours, dropped };
}

/** The span of `dropped` hours, for the warning: first hour's start, last hour's end (ISO). */
export const droppedSpan = (dropped: readonly number[]): { from: string; to: string } => ({
  from: new Date(dropped[0] ?? 0).toISOString(),
  to: new Date((dropped[dropped.length - 1] ?? 0) + HOUR_MS).toISOString(),
});
