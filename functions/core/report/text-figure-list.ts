/** The text part's ranked lists: a name, a count and what the count is of, a row each. */

import { displayWidth, padEndToWidth } from '../display-width.ts';
import { formatCount } from './number-format.ts';
import { columns } from './text-columns.ts';
import { prose } from './text-prose.ts';

/**
 * `1 user` and `22 users` of one column as ` 1 user ` and `22 users`: right-aligned whole, the
 * shorter word would put the 1 under the 2's place, so the counts are right-aligned and the words
 * after them left-aligned. Extras of another shape (`+50%`, `new`, none) are left as they are.
 */
function countedExtras(extras: readonly string[]): readonly string[] {
  const parts = extras.map((extra) => /^(\d\S*) (\S+)$/.exec(extra));
  if (parts.length === 0 || parts.some((part) => part === null)) return extras;
  const counts = parts.map((part) => part?.[1] ?? '');
  const words = parts.map((part) => part?.[2] ?? '');
  const countWidth = counts.reduce((widest, count) => Math.max(widest, count.length), 0);
  const wordWidth = words.reduce((widest, word) => Math.max(widest, displayWidth(word)), 0);
  return counts.map(
    (count, i) => `${count.padStart(countWidth)} ${padEndToWidth(words[i] ?? '', wordWidth)}`,
  );
}

export function figureList(
  rows: { name: string; value: number; extra: string; missing?: string | undefined; caveat?: string }[],
  empty: string,
  more = 0,
  what = '',
): string[] {
  const moreLines = more > 0 ? prose(`and ${formatCount(more)} more ${what} (see the archived JSON)`) : [];
  if (rows.length === 0) return more > 0 ? moreLines : prose(empty);
  const counted = rows.filter((r) => r.missing === undefined);
  const aligned = countedExtras(counted.map((r) => r.extra));
  const extras = new Map(counted.map((r, i) => [r, aligned[i] ?? r.extra]));
  // A count that is not the whole day (in progress, events gone) says so after its row.
  const lines = columns(
    rows.map((r) =>
      r.missing === undefined
        ? [r.name, formatCount(r.value), extras.get(r) ?? r.extra, r.caveat ?? '']
        : [r.name],
    ),
    'lrrl',
  );
  // A row without a figure (a day not in the lake) says why right after its name.
  const width = Math.max(...rows.map((r) => displayWidth(r.name)));
  return [
    ...lines.map((line, i) => {
      const missing = rows[i]?.missing;
      return missing === undefined ? line : `${padEndToWidth(line, width)}  ${missing}`;
    }),
    ...moreLines,
  ];
}
