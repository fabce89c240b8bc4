/**
 * Review R-A11Y M4: a line saying part of the report could not be judged was marked by its red alone;
 * a screen reader, or forced colours, read it as one more line of description. It says `Note:` in
 * words, as the text part's `NOTE:`.
 */
import { describe, expect, it } from 'vitest';
import { BAD } from '../../../functions/core/report/html-style.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import type { WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { fullHealth, sampleModel } from './model-fixture.ts';

/** The lines of 13 px text in the colour of bad news, a whole row each: the caveats. */
function redCells(model: WeeklyReportModel): string[] {
  const html = renderHtml(model, 'subject');
  return [
    ...html.matchAll(
      new RegExp(
        `<td colspan="\\d+" style="[^"]*font-size:13px;color:${BAD};[^"]*">([^<]*(?:<(?!/td>)[^<]*)*)</td>`,
        'g',
      ),
    ),
  ].map((m) => m[1] ?? '');
}

describe("the report's caveat lines", () => {
  it('say Note: in words before what could not be judged', () => {
    const withCaveats = sampleModel({
      loginsByCountry: [{ country: null, logins: 4, users: 2 }],
      health: fullHealth({ logins: 10, loginsWithoutIp: 4, loginsWithoutUser: 2 }),
    });
    const none = sampleModel({ suspiciousLogins: [], health: fullHealth({ logins: 4, loginsWithoutIp: 4 }) });
    for (const model of [withCaveats, none]) {
      const cells = redCells(model);
      expect(cells.length).toBeGreaterThan(0);
      for (const cell of cells) expect(cell).toMatch(/^<b>Note:<\/b> \S/);
    }
  });
});
