/**
 * The report's bars (days, countries, top users, cards and pages) were most of its bytes: a row of
 * 40 characters of content took ~900 bytes as sent, its widths repeated on every row and its bar
 * drawn as a filled and a blank cell in a full-width table. The widths are set once, on the
 * list's header row, a bar is one cell in a table as wide as its share, and the wrapping of long
 * names is on the list's table, which every cell inherits.
 */
import { describe, expect, it } from 'vitest';
import { encodedBytes } from '../../../functions/core/mail/render-limits.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { longTopLists } from './model-fixture.ts';

const html = renderHtml(
  longTopLists(10, (_, i) => `User ${i}`),
  'subject',
);

/** The rows of one list's table: each `<tr>` with a row header. */
function barRowsOf(id: string): string[] {
  const table = html.split(`aria-labelledby="report-${id}"`)[1]?.split('</table></td></tr>')[0] ?? '';
  return table.split(/(?=<tr>\n<th scope="row")/).slice(1);
}

describe('a bar of the report', () => {
  it('takes under 720 bytes a row as sent (about 900 before)', () => {
    const rows = ['users', 'cards', 'pages'].flatMap(barRowsOf);
    expect(rows.length).toBeGreaterThanOrEqual(30);
    for (const row of rows) expect(encodedBytes(row)).toBeLessThan(720);
  });

  it('sets the columns once, on the header row, and wraps long names on the table', () => {
    const table = html.split('aria-labelledby="report-users"')[1]?.split('</table></td></tr>')[0] ?? '';
    expect(table).toMatch(/^[^>]*style="width:100%;word-break:break-word;overflow-wrap:anywhere;">/);
    expect(table).toMatch(/<tr><th scope="col" width="38%" align="left" style="width:38%;min-width:108px;/);
    expect(table).toMatch(/<th scope="col" width="64"[^>]*>events<\/th><th scope="col" width="56"/);
    for (const row of barRowsOf('users')) {
      expect(row).not.toMatch(/width="(38%|64|56)"|word-break/);
      expect(row).toMatch(/<td aria-hidden="true"[^>]*><table [^>]*width="\d+%"><tr><td bgcolor="#2f6fdf"/);
    }
  });
});
