/**
 * What a cell of the report's HTML shows of the rows' names and of lake times: escaped, clipped,
 * users and namesakes with their ids, times on the report's clock.
 */

import { clip } from '../mail/clip.ts';
import { esc } from '../mail/html-escape.ts';
import { escName } from '../mail/html-name.ts';
import { RENDER_LIMITS, type RenderLimits } from '../mail/render-limits.ts';
import { type NamedRow, rowNames } from './row-names.ts';
import { formatLocalTime } from './time-format.ts';

/** A row's name ({@link rowName}) escaped, its left-to-right mark kept (mail/html-name.ts). */

/** The escaped names of one list's rows, with their ids where {@link rowNames} gives them. */
export const names = (rows: readonly NamedRow[], kind: string, limits: RenderLimits): string[] =>
  rowNames(rows, kind, limits.name).map(escName);

/** A lake time on the report's clock; text that is not one is shown as it came, clipped like an id. */
export const localTime = (ts: string, zone: string) => clip(formatLocalTime(ts, zone), RENDER_LIMITS.id);

export const when = (ts: string | null, zone: string) => (ts ? esc(localTime(ts, zone)) : '-');
