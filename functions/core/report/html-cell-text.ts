/**
 * What a cell of the report's HTML shows of the rows' names and of lake times: escaped, clipped,
 * namesakes told apart by their ids, times on the report's clock.
 */

import { clip } from '../mail/clip.ts';
import { esc } from '../mail/html-escape.ts';
import { RENDER_LIMITS, type RenderLimits } from '../mail/render-limits.ts';
import { type NamedRow, rowNames } from './row-names.ts';
import { formatLocalTime } from './time-format.ts';

/** The escaped names of one list's rows; namesakes get their ids ({@link rowNames}). */
export const names = (
  rows: readonly NamedRow[],
  kind: string,
  limits: RenderLimits,
  others: readonly NamedRow[] = [],
): string[] => rowNames(rows, kind, limits.name, undefined, others).map(esc);

/** A lake time on the report's clock; text that is not one is shown as it came, clipped like an id. */
export const localTime = (ts: string, zone: string) => clip(formatLocalTime(ts, zone), RENDER_LIMITS.id);

export const when = (ts: string | null, zone: string) => (ts ? esc(localTime(ts, zone)) : '-');
