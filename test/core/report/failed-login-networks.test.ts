/**
 * The report's failed logins by network (failed_logins_by_network.sql): the networks, owners and
 * names of no user that failed for many users, with the sign-ins from there, under the addresses.
 */
import { describe, expect, it } from 'vitest';
import { encodedBytes, HTML_BUDGET_BYTES } from '../../../functions/core/mail/render-limits.ts';
import { buildReportModel } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type { FailedLoginNetwork } from '../../../functions/core/report/report-model.ts';
import { FAILED_NETWORK_ROWS } from '../../../functions/core/report/report-model.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { FakeEngine } from './fake-engine.ts';
import { hostile, hostileEscaped, longTopLists, sampleModel } from './model-fixture.ts';

const hosting: FailedLoginNetwork = {
  kind: 'owner',
  group: 'AS14061',
  org: 'DigitalOcean, LLC',
  users: 31,
  failedAttempts: 33,
  addresses: 31,
  signIns: 0,
  signedInUsers: 0,
  kindRows: 7,
};
const office: FailedLoginNetwork = {
  kind: 'network',
  group: '81.2.69.0/24',
  org: null,
  users: 6,
  failedAttempts: 9,
  addresses: 3,
  signIns: 212,
  signedInUsers: 14,
  kindRows: 1,
};
const noUser: FailedLoginNetwork = {
  kind: 'no_user',
  group: 'any address',
  org: null,
  users: 32,
  failedAttempts: 32,
  addresses: 32,
  signIns: 0,
  signedInUsers: 0,
  kindRows: 1,
};

describe('failed logins by network in the weekly report', () => {
  it('are read from failed_logins_by_network into the model, the first of each kind', async () => {
    const engine = new FakeEngine();
    const model = await buildReportModel(engine, {
      instance: 'acme',
      run: runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z')),
    });
    expect(model.failedLoginNetworks?.map((n) => [n.kind, n.group, n.users, n.kindRows])).toEqual([
      ['network', '178.62.10.0/24', 31, 1],
      ['owner', 'AS14061', 31, 7],
    ]);
    expect(engine.calls.find((c) => c.name === 'failed_logins_by_network')?.params).toMatchObject({
      from_ts: '2026-11-16 00:00:00.000',
      limit: String(FAILED_NETWORK_ROWS),
    });
  });

  it('are listed under the addresses with users tried and sign-ins, in HTML and text', () => {
    const model = sampleModel({ failedLoginNetworks: [office, hosting, noUser] });
    const html = renderHtml(model, 'subject');
    expect(html).toContain('By network');
    expect(html).toContain('<b>network 81.2.69.0/24</b>');
    expect(html).toContain('6 users, 9 failed logins from 3 IPs; 212 sign-ins by 14 users');
    expect(html).toContain('<b>AS14061 DigitalOcean, LLC</b>');
    expect(html).toContain('31 users, 33 failed logins from 31 IPs; no sign-in');
    expect(html).toContain('and 6 more network owners (query failed_logins_by_network lists them)');
    // Each network a row header, its figures beside it, in a table named by "By network" (review R-A11Y).
    expect(html).toMatch(/<h3 id="report-failed-networks"[^>]*>By network<\/h3>/);
    const table = html.split('aria-labelledby="report-failed-networks"')[1]?.split('</table>')[0] ?? '';
    const rows = [
      ...table.matchAll(/<th scope="row"[^>]*>([^<]*<b>[^<]*<\/b>)<\/th>\n<td [^>]*>([^<]*)<\/td>/g),
    ];
    expect(rows.map((m) => m[1])).toEqual([
      '<b>network 81.2.69.0/24</b>',
      '<b>AS14061 DigitalOcean, LLC</b>',
      '<b>unknown user names, any address</b>',
    ]);
    expect(rows[1]?.[2]).toBe('31 users, 33 failed logins from 31 IPs; no sign-in');
    expect(table).toContain('>Network or owner</th>');
    // Wrapped at the text part's width: read as one line.
    const text = renderText(model).replace(/\s+/g, ' ');
    // Names that are no user's are counted as names, under a label that reads on its own.
    expect(text).toContain('- unknown user names, any address: 32 names, 32 failed logins from 32 IPs');
    expect(text).toContain("under 5 or more names that are no Domo user's, from any address");
    expect(text).toContain('- AS14061 DigitalOcean, LLC: 31 users, 33 failed logins from 31 IPs; no sign-in');
    expect(text.indexOf('By network')).toBeGreaterThan(text.indexOf('Failed logins'));
  });

  it('escape an owner name from the geo data', () => {
    const html = renderHtml(sampleModel({ failedLoginNetworks: [{ ...hosting, org: hostile('org') }] }), 's');
    expect(html).toContain(hostileEscaped('org'));
    expect(html).not.toContain(hostile('org'));
  });

  // 11 rows at most (5 networks, 5 owners, the names of no user), bounded by the query's limit, not
  // by the report's shortening: on the budget tests' longest lists they still fit the budget.
  it('fit the HTML budget beside the longest lists, at most 11 rows of long owner names', () => {
    const long = longTopLists(200, (_, i) => `User number ${i} of a long list`);
    const most = (['network', 'owner'] as const).flatMap((kind) =>
      Array.from({ length: FAILED_NETWORK_ROWS }, (_, i) => ({
        ...hosting,
        kind,
        group: kind === 'network' ? `178.62.${100 + i}.0/24` : `AS${14061 + i}`,
        org: kind === 'owner' ? `DigitalOcean Hosting Services International, LLC ${i}` : null,
        kindRows: 1234,
      })),
    );
    const without = renderReport(long);
    const withNetworks = renderReport({ ...long, failedLoginNetworks: [...most, noUser] });
    expect(encodedBytes(withNetworks.html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
    // What they cost: about 670 bytes a row as the mail carries it (7,419 for 11), each a row
    // header and a cell of figures in a table of data with its column headers (review R-A11Y;
    // 5,727 as lines of text).
    expect(encodedBytes(withNetworks.html) - encodedBytes(without.html)).toBeLessThan(7_700);
  });

  it('are not there in a model archived before them', () => {
    expect(renderHtml(sampleModel(), 'subject')).not.toContain('By network');
  });
});
