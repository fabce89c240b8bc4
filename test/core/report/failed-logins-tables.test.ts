/**
 * Review R-A11Y M2: the failed logins were one table of data of 27 rows: the prose, the `h3`
 * headings, the spraying address and the networks were rows of it, and its header row came in row
 * 12. The users now have a table of their own that starts with its header row, named by "By user".
 */
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { sampleModel } from './model-fixture.ts';

const spray = {
  ipAddress: '13.237.239.32',
  users: 13,
  failedAttempts: 15,
  firstFailure: '2026-11-20 03:53:10.000',
  lastFailure: '2026-11-20 03:56:40.000',
  country: 'AU',
  asn: 16509,
  org: 'Amazon.com, Inc.',
};

/** The tables of the failed-logins section, each as its opening tag and what it holds. */
function failedTables(html: string): { open: string; inner: string }[] {
  const from = html.slice(html.indexOf('<h2 id="report-failed"'));
  const section = from.slice(0, from.indexOf('<h2 id=', 1));
  return [...section.matchAll(/(<table [^>]*>)([\s\S]*?)<\/table>/g)].map((m) => ({
    open: m[1] ?? '',
    inner: m[2] ?? '',
  }));
}

describe('the failed logins for a screen reader', () => {
  it('give the users a table of data of their own, its header row first, named by "By user"', () => {
    const html = renderHtml(sampleModel({ failedLoginAddresses: [spray] }), 'subject');
    expect(html).toContain('<h3 id="report-failed-users"');
    const tables = failedTables(html);
    const data = tables.filter((t) => t.open.includes('aria-labelledby'));
    expect(data).toHaveLength(1);
    expect(data[0]?.open).toContain('aria-labelledby="report-failed-users"');
    expect(data[0]?.inner.trim()).toMatch(/^<tr><th scope="col"[^>]*>User<\/th>/);
    expect(data[0]?.inner).not.toMatch(/<h3|colspan|13\.237\.239\.32<\/b>/);
    // The address and the headings are in a layout table.
    const layout = tables.find((t) => t.inner.includes('<b>IP 13.237.239.32</b>'));
    expect(layout?.open).toContain('role="presentation"');
  });

  it('name the users table by the section title when nothing comes before the users', () => {
    const data = failedTables(renderHtml(sampleModel(), 'subject')).filter((t) =>
      t.open.includes('aria-labelledby'),
    );
    expect(data).toHaveLength(1);
    expect(data[0]?.open).toContain('aria-labelledby="report-failed"');
    expect(data[0]?.inner.trim()).toMatch(/^<tr><th scope="col"[^>]*>User<\/th>/);
  });
});
