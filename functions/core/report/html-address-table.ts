/**
 * The addresses and the networks that failed to sign in for many users, under "By address" and "By
 * network": a table of data, each row headed by its address or network (a `<th scope="row">`), so
 * a screen reader names the spraying address with its figures. As lines of a layout table, the
 * week's most important row was "row 4, column 1 through 5" without a header (review R-A11Y M2).
 */

import { esc } from '../mail/html-escape.ts';
import { columnHeader, rowHeader } from './html-section.ts';
import { BAD, DATA_TABLE, FONT, INK, MUTED, RULE, WRAP } from './html-style.ts';

/** A row: `headHtml` (escaped) names what failed, `figuresHtml` (escaped) its users and failures. */
export interface AddressRow {
  headHtml: string;
  figuresHtml: string;
}

/** A cell's rule and padding; the wrapping of long strings is the table's, which its cells inherit. */
const CELL = `border-bottom:1px solid ${RULE};`;

/**
 * The table, in a row of the section's layout table (`columns` wide), named by the heading of id
 * `headingId` (prefixed, as {@link sectionTitle}'s), its two columns headed `heads`. The address
 * takes half the row: an IPv6 address and its owner wrap in it, the figures beside them.
 */
export function addressTable(
  headingId: string,
  heads: readonly [string, string],
  rows: readonly AddressRow[],
  columns = 5,
): string {
  const look = `${FONT}font-size:12px;color:${MUTED};${CELL}`;
  const head = `<tr>${columnHeader(heads[0], 'left', `width:50%;${look}padding:0 8px 4px 0;`, ' width="50%"')}${columnHeader(heads[1], 'left', `${look}padding:0 0 4px;`)}</tr>`;
  const body = rows.map(
    (r) =>
      `<tr valign="top">${rowHeader(r.headHtml, `${FONT}font-size:13px;color:${INK};${CELL}padding:5px 8px 5px 0;`)}\n<td style="${FONT}font-size:12px;color:${BAD};${CELL}padding:5px 0;">${r.figuresHtml}</td></tr>`,
  );
  return `\n<tr><td colspan="${columns}" style="padding:0;"><table ${DATA_TABLE} aria-labelledby="report-${esc(headingId)}" width="100%" style="width:100%;${WRAP}">\n${head}\n${body.join('\n')}\n</table></td></tr>`;
}
