/**
 * Screen readers (review R-A11Y): the report's title and its sections' titles are headings, to
 * jump between; each table of data is named by its section's title; each row is named by its label
 * (a day, a country, a user, a card, a page), a row header; a bar's cells are hidden, as the value
 * beside it says the same. The headings and row headers look as the `<div>`s and `<td>`s they
 * replaced: a client's own heading styles (margins, sizes) must not apply.
 */
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { modelWithMissingDay, sampleModel } from './model-fixture.ts';

// As a model is built now: with the week's sign-ins after failed logins, none of them.
const model = sampleModel({ loginsAfterFailures: [], loginsAfterFailuresTotal: 0 });
const html = renderHtml(model, reportSubject(model));

describe('the headings of the report', () => {
  it('has the title as its one <h1> and a <h2> per section, each styled in full', () => {
    expect(html.match(/<h1 /g)).toHaveLength(1);
    expect(html).toMatch(/<h1 [^>]*>Domo activity, 2026-W47<\/h1>/);
    const titles = [...html.matchAll(/<h2 id="report-[a-z]+" style="([^"]*)">([^<]*)<\/h2>/g)];
    expect(titles.map((t) => t[2]?.replace(/ \(.*/, ''))).toEqual([
      'Needs attention',
      'Activity per day',
      'Suspicious logins',
      'Sign-ins after failed logins',
      'Logins by country',
      'Failed logins and lockouts',
      'Most active users',
      'Top cards',
      'Top pages',
      'Data health',
    ]);
    for (const [heading] of [...html.matchAll(/<h[12] [^>]*>/g)]) {
      expect(heading).toMatch(/margin:0;/);
      expect(heading).toMatch(/font-size:\d+px;line-height:normal;font-weight:bold;/);
    }
  });

  it('names every table of data by its section title', () => {
    const ids = new Set([...html.matchAll(/<h2 id="([^"]+)"/g)].map((m) => m[1]));
    const named = [
      ...html.matchAll(/<table cellpadding="0" cellspacing="0" border="0" aria-labelledby="([^"]+)"/g),
    ];
    // The days, the suspicious logins, the countries, the failed logins, the top users, cards and pages.
    expect(named).toHaveLength(7);
    for (const [, id] of named) expect(ids).toContain(id);
    // A bar's table is in a cell hidden from screen readers (aria-hidden), so it needs no role.
    expect(html).not.toMatch(
      /(?<!<td aria-hidden="true" style="[^"]*">)<table (?!role="presentation")(?![^>]*aria-labelledby)[^>]*>/,
    );
  });
});

describe('the rows of its tables of data', () => {
  const rowHeaders = (page: string) => [...page.matchAll(/<th scope="row"[^>]*>([^<]*)/g)].map((m) => m[1]);

  it('are named by their label, a row header set to look as the cell it replaced', () => {
    const labels = rowHeaders(html);
    for (const label of [
      'Mon 16 Nov',
      'DE (Germany)',
      'Alan Turing (104)',
      'Ada Lovelace (101)',
      'Revenue by Region',
      'Sales Overview',
    ]) {
      expect(labels).toContain(label);
    }
    for (const [th] of html.matchAll(/<th scope="row"[^>]*>/g)) {
      expect(th).toMatch(/font-weight:normal;text-align:left;/);
    }
    expect(html).not.toMatch(/<td[^>]*>(Mon 16 Nov|Alan Turing \(104\))</);
  });

  it('of a day not in the lake is named too', () => {
    expect(rowHeaders(renderHtml(modelWithMissingDay(), 'subject'))).toContain('Wed 18 Nov');
  });

  it('hide the cells of their bars, so a row reads its label then its figures', () => {
    const bars = [...html.matchAll(/<td[^>]*><table [^>]*width="\d+%"><tr><td bgcolor=/g)];
    expect(bars.length).toBeGreaterThan(0);
    for (const [bar] of bars) expect(bar).toMatch(/^<td aria-hidden="true"/);
    // A bar of zero draws no table, and its cell is hidden all the same (review R-A11Y L3).
    const rows = [...html.matchAll(/<tr>\n<th scope="row"[\s\S]*?<\/tr>/g)].map((m) => m[0]);
    const cells = rows.flatMap((row) => [...row.matchAll(/<td[^>]*>/g)].slice(0, 1).map((m) => m[0]));
    expect(cells.length).toBeGreaterThan(0);
    for (const cell of cells.filter((c) => !c.includes('colspan')))
      expect(cell).toMatch(/^<td aria-hidden="true"/);
  });

  it("head every column with words, the rows' labels too, and no header is empty", () => {
    for (const page of [html, renderHtml(modelWithMissingDay(), 'subject')]) {
      expect(page).not.toMatch(/<th[^>]*>\s*<\/th>/);
      const labels = [...page.matchAll(/<th scope="col" width="38%"[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
      expect(labels).toEqual(['day', 'country', 'user', 'card', 'page']);
    }
  });
});
