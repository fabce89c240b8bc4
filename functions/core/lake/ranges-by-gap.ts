import { HOUR_MS } from '../time-units.ts';

/**
 * `hours` (each in one of `gaps`, which are in order and apart) as one range per gap holding any:
 * from its first such hour to the end of its last. An hour in no gap (none is: each is in the span,
 * not covered and not being written) is a range of its own rather than lost.
 */
export function rangesByGap(
  hours: ReadonlySet<number>,
  gaps: readonly { fromMs: number; toMs: number }[],
): { fromMs: number; toMs: number }[] {
  const ranges: { fromMs: number; toMs: number }[] = [];
  let gap = 0;
  // The gap the last range lies in (-1: none), so the next hour of that gap extends it.
  let rangeGap = -1;
  for (const hour of [...hours].sort((a, b) => a - b)) {
    while ((gaps[gap]?.toMs ?? Number.POSITIVE_INFINITY) <= hour) gap++;
    const inGap = (gaps[gap]?.fromMs ?? Number.POSITIVE_INFINITY) <= hour ? gap : -1;
    const last = ranges.at(-1);
    if (last && inGap !== -1 && inGap === rangeGap) last.toMs = hour + HOUR_MS;
    else ranges.push({ fromMs: hour, toMs: hour + HOUR_MS });
    rangeGap = inGap;
  }
  return ranges;
}
