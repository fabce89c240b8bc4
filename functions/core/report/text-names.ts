/** Domo names cut to a column of the text part, with their ids where a name alone would mislead. */

import { clipToWidth, displayWidth } from '../display-width.ts';
import { oneLine } from './flat-text.ts';
import { type NamedRow, rowName, rowNames } from './row-names.ts';
import type { Ruler } from './text-ruler.ts';

export const NAME_WIDTH = 32;

/** Columns of a fixed-width font: what the text part's names are cut to, so the columns stay aligned. */
const COLUMNS: Ruler = { width: displayWidth, clip: clipToWidth };

/**
 * A Domo name for a column of `width` columns of a fixed-width font, on one line; one cut short,
 * or any when `withId`, keeps its id ({@link rowName}). The alerts command's table names users
 * with it too, each with its id, as the alerts mail does.
 */
export const columnName = (
  name: string | null,
  id: string | null,
  kind: string,
  width = NAME_WIDTH,
  withId = false,
) =>
  rowName(
    name === null ? null : oneLine(name),
    id === null ? null : oneLine(id),
    kind,
    width,
    COLUMNS,
    withId,
  );

/** {@link columnName} for every row of one list: users and namesakes get their ids ({@link rowNames}). */
export const columnNames = (rows: readonly NamedRow[], kind: string, width = NAME_WIDTH): string[] => {
  const flat = (r: NamedRow) => ({
    name: r.name === null ? null : oneLine(r.name),
    id: r.id === null ? null : oneLine(r.id),
  });
  return rowNames(rows.map(flat), kind, width, COLUMNS);
};
