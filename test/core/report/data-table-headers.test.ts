/**
 * Screen readers: the report's tables of data (failed logins, the bar lists) name their columns with
 * `<th scope="col">` and are not marked `role="presentation"`, which would hide those headers; the
 * layout tables keep it; every row of data is headed by its label (a row header). The alerts mail
 * says its language and has a title.
 */
import { describe, expect, it } from 'vitest';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { alertOf } from '../alerts/support/alert-fixtures.ts';
import { sampleModel, signInAfterFailures } from './model-fixture.ts';

/** The opening tag of the innermost table open at `at` in `html`. */
function enclosingTable(html: string, at: number): string {
  const open: number[] = [];
  for (const match of html.slice(0, at).matchAll(/<table\b|<\/table>/g)) {
    if (match[0] === '</table>') open.pop();
    else open.push(match.index);
  }
  const start = open.at(-1) ?? -1;
  return html.slice(start, html.indexOf('>', start) + 1);
}

describe('the tables of the report', () => {
  const model = sampleModel();
  const html = renderHtml(model, reportSubject(model));
  const headers = [...html.matchAll(/<th scope="col"[^>]*>([^<]*)<\/th>/g)];

  it('head their columns with <th scope="col">, set to look as before', () => {
    const texts = headers.map((h) => h[1]);
    for (const column of [
      'User',
      'Failed',
      'Lockouts',
      'IPs',
      'Last',
      'events',
      'users',
      'views',
      'logins',
    ]) {
      expect(texts).toContain(column);
    }
    for (const [th] of headers) expect(th).toMatch(/font-weight:normal;text-align:(left|right);/);
    expect(html).not.toMatch(/<td[^>]*>(User|Failed|Lockouts|IPs)<\/td>/);
  });

  it('are data tables where they have headers, layout tables elsewhere', () => {
    expect(headers.length).toBeGreaterThan(0);
    for (const header of headers) {
      expect(enclosingTable(html, header.index)).not.toContain('role="presentation"');
    }
    expect(html).toContain('<table role="presentation"');
  });
});

/** Each table of data in `html` (not a layout table, not a bar's): its opening tag and its rows. */
function dataTables(html: string): { tag: string; rows: string[] }[] {
  // A bar's table, nested in its row, first: it holds rows of its own.
  const withoutBars = html.replace(
    /<table cellpadding="0" cellspacing="0" width="\d+%">[\s\S]*?<\/table>/g,
    '',
  );
  const tables = withoutBars.matchAll(
    /<table (?!role="presentation")[^>]*aria-labelledby="[^"]*"[^>]*>([\s\S]*?)<\/table>/g,
  );
  return [...tables].map((m) => ({
    tag: m[0].slice(0, m[0].indexOf('>') + 1),
    rows: (m[1] ?? '').split(/<tr[ >]/).slice(1),
  }));
}

describe('the rows of the tables of data', () => {
  // A week with every table the report draws: the days, the suspicious logins, the sign-ins after
  // failed logins, the countries, the spraying address and network, the users who failed, the top
  // users, cards and pages. The two security lists were rows of a layout table until 2026-12-06.
  const model = sampleModel({
    failedLoginAddresses: [
      {
        ipAddress: '13.237.239.32',
        users: 13,
        failedAttempts: 15,
        firstFailure: '2026-11-20 03:53:10.000',
        lastFailure: '2026-11-20 03:56:40.000',
        country: 'AU',
        asn: 16509,
        org: 'Amazon.com, Inc.',
      },
    ],
    loginsAfterFailures: [signInAfterFailures],
    loginsAfterFailuresTotal: 1,
    failedLoginNetworks: [
      {
        kind: 'owner',
        group: 'AS14061',
        org: 'DigitalOcean, LLC',
        users: 31,
        failedAttempts: 33,
        addresses: 31,
        signIns: 0,
        signedInUsers: 0,
        kindRows: 1,
      },
    ],
  });
  const tables = dataTables(renderHtml(model, reportSubject(model)));

  it('are each headed by a row header, after the row of column headers (review R-A11Y)', () => {
    expect(tables.map((t) => /aria-labelledby="report-([^"]*)"/.exec(t.tag)?.[1])).toEqual([
      'days',
      'suspicious',
      'afterfailures',
      'countries',
      'failed-addresses',
      'failed-networks',
      'failed-users',
      'users',
      'cards',
      'pages',
    ]);
    for (const { rows } of tables) {
      const [head, ...body] = rows;
      expect(head).toContain('<th scope="col"');
      expect(body.length).toBeGreaterThan(0);
      // A row of data, or a line under the rows across every column (how many more, the dig line).
      for (const row of body) expect(row).toMatch(/<th scope="row"|^<td colspan=/);
    }
  });
});

describe('the alerts mail', () => {
  it('says its language and has the subject as its title', () => {
    const nowMs = Date.parse('2026-11-02T09:00:00Z');
    const message = renderAlertMessage([alertOf({ instance: 'acme' })], {
      instance: 'acme',
      timeZone: 'UTC',
      nowMs,
      mailOlderThanHours: 24,
    });
    expect(message.html).toContain('<html lang="en">');
    expect(message.html).toContain(`<title>${message.subject}</title>`);
  });
});
