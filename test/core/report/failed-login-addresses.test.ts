import { describe, expect, it } from 'vitest';
import { RENDER_LIMITS, shrinkListCaps } from '../../../functions/core/mail/render-limits.ts';
import { buildReportModel } from '../../../functions/core/report/build-report-model.ts';
import { failedAddressFigures } from '../../../functions/core/report/failed-login-figures.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import {
  type FailedLoginAddress,
  MANY_USERS_FROM_ONE_ADDRESS,
} from '../../../functions/core/report/report-model.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { loadQuery } from '../../../functions/queries/catalog.ts';
import { FakeEngine } from './fake-engine.ts';
import { hostile, hostileEscaped, sampleModel } from './model-fixture.ts';

// A password spray fails once or twice on each of many accounts from one address: the users' rows
// show a failure or two each, so the section lists the addresses that failed for many users.
const spray: FailedLoginAddress = {
  ipAddress: '13.237.239.32',
  users: 13,
  failedAttempts: 15,
  firstFailure: '2026-11-20 03:53:10.000',
  lastFailure: '2026-11-20 03:56:40.000',
  country: 'AU',
  asn: 16509,
  org: 'Amazon.com, Inc.',
};
const unplaced: FailedLoginAddress = {
  ...spray,
  ipAddress: '2001:db8::7',
  users: 6,
  failedAttempts: 6,
  lastFailure: '2026-11-21 01:10:00.000',
  country: null,
  asn: null,
  org: null,
};

describe('addresses that failed to sign in for many users', () => {
  it('are read from failed_logins_by_ip into the model (and so the report JSON)', async () => {
    const week = reportWeek('2026-W47', 'UTC');
    const engine = new FakeEngine();
    const model = await buildReportModel(engine, {
      instance: 'acme',
      run: runOfWeek(week, Date.parse('2026-11-23T07:00:00Z')),
    });
    expect(model.failedLoginAddresses).toEqual([
      {
        ipAddress: '198.51.100.9',
        users: 5,
        failedAttempts: 6,
        firstFailure: '2026-11-18 03:53:10.000',
        lastFailure: '2026-11-18 03:56:40.000',
        country: 'DE',
        asn: 16509,
        org: 'Amazon.com, Inc.',
      },
    ]);
    // The week itself, not the history: its period's parameters.
    expect(engine.calls.find((c) => c.name === 'failed_logins_by_ip')?.params).toMatchObject({
      from_ts: '2026-11-16 00:00:00.000',
      to_ts: '2026-11-23 00:00:00.000',
    });
  });

  it('have the threshold the query has', () => {
    const sql = loadQuery('failed_logins_by_ip').sql;
    expect(sql).toContain(`HAVING count(DISTINCT user_key) >= ${MANY_USERS_FROM_ONE_ADDRESS}\n`);
  });

  it('are listed above the users in the HTML, with place, users, failures and minutes on the report clock', () => {
    const html = renderHtml(
      sampleModel({ timeZone: 'Europe/Paris', failedLoginAddresses: [spray, unplaced] }),
      'subject',
    );
    const section = html.slice(html.indexOf('id="report-failed"'));
    expect(section).toContain(
      'Addresses that failed to sign in for 5 or more users this week: a password spray tries a password or two on many accounts from one address',
    );
    expect(section).toContain(
      '<b>IP 13.237.239.32</b>\n&middot; AU (Australia) · AS16509 Amazon.com, Inc.</th>',
    );
    expect(section).toContain('13 users, 15 failed logins, Fri 20 Nov 04:53 to 04:56');
    // No place known: none said; a last failure another day keeps its date.
    expect(section).toContain('<b>IP 2001:db8::7</b></th>');
    expect(section).toContain('6 users, 6 failed logins, Fri 20 Nov 04:53 to Sat 21 Nov 02:10');
    expect(section.indexOf('13.237.239.32')).toBeLessThan(section.indexOf('2001:db8::7'));
    expect(section.indexOf('2001:db8::7')).toBeLessThan(section.indexOf('Alan Turing'));
  });

  it('are listed in the text part too', () => {
    const text = renderText(sampleModel({ failedLoginAddresses: [spray] }));
    const section = text.slice(text.indexOf('FAILED LOGINS AND LOCKOUTS'));
    expect(section).toContain('Addresses that failed to sign in for 5 or more users this week:');
    expect(section).toContain(
      '- IP 13.237.239.32 (AU (Australia) · AS16509 Amazon.com, Inc.): 13\n  users, 15 failed logins, Fri 20 Nov 03:53 to 03:56',
    );
    expect(section.indexOf('13.237.239.32')).toBeLessThan(section.indexOf('Alan Turing'));
  });

  it('head each row with its address, in a table named by its heading (review R-A11Y)', () => {
    const html = renderHtml(sampleModel({ failedLoginAddresses: [spray, unplaced] }), 'subject');
    const table = html.split('aria-labelledby="report-failed-addresses"')[1]?.split('</table>')[0] ?? '';
    expect(html).toMatch(/<h3 id="report-failed-addresses"[^>]*>By address<\/h3>/);
    const heads = [...table.matchAll(/<th scope="(col|row)"[^>]*>([\s\S]*?)<\/th>/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(heads).toEqual([
      ['col', 'Address'],
      ['col', 'Failed logins'],
      ['row', '<b>IP 13.237.239.32</b>\n&middot; AU (Australia) · AS16509 Amazon.com, Inc.'],
      ['row', '<b>IP 2001:db8::7</b>'],
    ]);
    // Each row: its header, then the figures in a cell of their own.
    expect(table).toMatch(/<\/th>\n<td [^>]*>13 users, 15 failed logins, /);
    // The table sits in the section's layout table, whose role does not take its headers away.
    expect(table.split('<tr')).toHaveLength(4);
  });

  it('say nothing when no address failed for many users, or the model predates them', () => {
    for (const model of [sampleModel({ failedLoginAddresses: [] }), sampleModel()]) {
      expect(renderHtml(model, 'subject')).not.toContain('Addresses that failed');
      expect(renderText(model)).not.toContain('Addresses that failed');
    }
  });

  it('escape and defang what the lake says of an address', () => {
    const evil = {
      ...spray,
      ipAddress: hostile('ip'),
      org: `${hostile('org')} https://evil.example/sso`,
    };
    const model = sampleModel({ failedLoginAddresses: [evil] });
    const html = renderHtml(model, 'subject');
    expect(html).toContain(`IP ${hostileEscaped('ip')}`);
    expect(html).toContain(hostileEscaped('org'));
    expect(html).not.toContain('https://evil');
    expect(html).toContain('https[:]//evil');
    const text = renderText(model);
    expect(text).not.toContain('https://evil');
    expect(text).toContain('https[:]//evil');
    // The model (the JSON archive) keeps what the lake holds.
    expect(model.failedLoginAddresses?.[0]?.org).toContain('https://evil');
  });

  it('shrink with the other security lists when the mail is over its budget', () => {
    let limits = RENDER_LIMITS;
    const seen: number[] = [];
    for (let next = shrinkListCaps(limits); next; next = shrinkListCaps(limits)) {
      limits = next;
      seen.push(limits.failedAddresses);
    }
    expect(seen[0]).toBe(RENDER_LIMITS.failedAddresses);
    expect(limits.failedAddresses).toBe(0);
    const addresses = Array.from({ length: 12 }, (_, i) => ({ ...spray, ipAddress: `198.51.100.${i}` }));
    const html = renderHtml(sampleModel({ failedLoginAddresses: addresses }), 'subject');
    expect(html).toContain('198.51.100.9<');
    expect(html).not.toContain('198.51.100.10<');
    expect(html).toContain('and 2 more addresses');
    expect(renderText(sampleModel({ failedLoginAddresses: addresses }))).toContain('and 2 more addresses');
  });
});

describe('an address span across a clock change', () => {
  const failures = (firstFailure: string, lastFailure: string): FailedLoginAddress => ({
    ...spray,
    firstFailure,
    lastFailure,
  });

  it('shows each end with its offset when the clocks went back between them', () => {
    // 05:50 UTC is 01:50 EDT, 06:10 UTC is 01:10 EST: without offsets it read `01:50 to 01:10`.
    expect(
      failedAddressFigures(
        failures('2026-11-01 05:50:00.000', '2026-11-01 06:10:00.000'),
        'America/New_York',
      ),
    ).toBe('13 users, 15 failed logins, Sun 1 Nov 01:50 -04:00 to 01:10 -05:00');
    // The same wall time twice, an hour apart: two ends, not one.
    expect(
      failedAddressFigures(
        failures('2026-11-01 05:30:00.000', '2026-11-01 06:30:00.000'),
        'America/New_York',
      ),
    ).toBe('13 users, 15 failed logins, Sun 1 Nov 01:30 -04:00 to 01:30 -05:00');
    expect(
      failedAddressFigures(
        failures('2026-10-31 05:50:00.000', '2026-11-02 06:10:00.000'),
        'America/New_York',
      ),
    ).toBe('13 users, 15 failed logins, Sat 31 Oct 01:50 -04:00 to Mon 2 Nov 01:10 -05:00');
  });

  it('shows no offset when both ends share one', () => {
    expect(
      failedAddressFigures(
        failures('2026-11-01 07:50:00.000', '2026-11-01 08:10:00.000'),
        'America/New_York',
      ),
    ).toBe('13 users, 15 failed logins, Sun 1 Nov 02:50 to 03:10');
    expect(failedAddressFigures(failures('2026-11-01 05:50:00.000', '2026-11-01 06:10:00.000'), 'UTC')).toBe(
      '13 users, 15 failed logins, Sun 1 Nov 05:50 to 06:10',
    );
  });
});
