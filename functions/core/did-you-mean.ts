/**
 * The one candidate a mistyped word most likely meant, or undefined when none is close or two are
 * equally close: a guess between two would send the user to the wrong one half the time.
 * The one candidate the word begins (of 3 letters or more), else the nearest by an edit distance
 * (insert, delete, replace, swap of neighbours) of at most a third of the longer word, and at least
 * 1: `--form` → `--format`, `qeury` → `query`, `--lsit` → `--list`.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  // A word cut short is what was meant: `--form` is `--format` cut, though a swap makes `--from`.
  const lower = word.toLowerCase();
  const extended = candidates.filter(
    (candidate) => lower.length >= 3 && candidate.toLowerCase().startsWith(lower),
  );
  if (extended.length === 1) return extended[0];
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  let tied = false;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    const allowed = Math.max(1, Math.floor(Math.max(word.length, candidate.length) / 3));
    if (distance > allowed) continue;
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
      tied = false;
    } else if (distance === bestDistance) tied = true;
  }
  return tied ? undefined : best;
}

/** Edits from `a` to `b`, a swap of two neighbouring letters counting as one (the commonest slip). */
function editDistance(a: string, b: string): number {
  // Words of a command line are short: the whole table is a few hundred cells.
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const above = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        distance = Math.min(distance, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = distance;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}
