/**
 * The table of a security list of the report's HTML (the suspicious logins, the sign-ins after
 * failed logins): a table of data, two columns under headers, each row headed by its time (a
 * `<th scope="row">`) with the login and its evidence stacked beside it. As one cell a row of a
 * layout table, a screen reader heard the findings as lines of text, no header naming any.
 * Two columns, not one a figure: a phone's 351 px holds the time on two lines and the rest in
 * the remaining width; Outlook and Gmail lay it out as any table.
 */

import { columnHeader, rowHeader, sectionBody } from './html-section.ts';
import { FONT, INK, MUTED, RULE, WRAP } from './html-style.ts';

export interface FindingRow {
  /** The row's time as its report-clock text, escaped (`Tue 24 Nov 03:08`, or `-`). */
  timeHtml: string;
  /** The cell beside it: who, what and the evidence, escaped. */
  html: string;
}

/**
 * The time wraps only between its date and its clock time: wrapped anywhere, `Tue 24` over `Nov
 * 03:08` took the column's width at 375 px.
 */
function timeHtml(text: string): string {
  const at = text.lastIndexOf(' ');
  if (at < 0) return text;
  const keep = (part: string) => `<span style="white-space:nowrap;">${part}</span>`;
  return `${keep(text.slice(0, at))} ${keep(text.slice(at + 1))}`;
}

/** The rows under their column headers (`heads`), named by the section title of id `titleId`. */
export function findingTable(
  titleId: string,
  heads: readonly [string, string],
  rows: readonly FindingRow[],
): string {
  const look = `${FONT}font-size:12px;color:${MUTED};border-bottom:1px solid ${RULE};`;
  // The time column as narrow as its date (1%, which Outlook honours too): left to the table's
  // layout, it took a third more in one list than in the other, the evidence the less room.
  const head = `<tr>${columnHeader(heads[0], 'left', `width:1%;${look}padding:0 8px 4px 0;`, ' width="1%"')}\n${columnHeader(heads[1], 'left', `${look}padding:0 0 4px;`)}</tr>`;
  const cell = `${FONT}font-size:13px;color:${INK};padding:6px 0;border-bottom:1px solid ${RULE};vertical-align:top;`;
  const body = rows.map(
    (r) =>
      `<tr valign="top">${rowHeader(`<b>${timeHtml(r.timeHtml)}</b>`, `${cell}padding-right:8px;`)}\n<td style="${cell}${WRAP}">${r.html}</td></tr>`,
  );
  return sectionBody(`${head}\n${body.join('\n')}`, titleId);
}
