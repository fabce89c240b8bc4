/**
 * One account signing in from two countries by turns all week (a stolen credential scripted
 * through two exits) is an impossible-travel finding per sign-in: 52,000 rows failed the report at
 * its 50,000-row ceiling (review R-REPORT2 H1). The query now returns the first
 * SUSPICIOUS_LOGIN_ROWS rows, each user's first row of each reason before any second one, with the
 * counts of all of them, and the mail says how many it left out.
 */
import { describe, expect, it } from 'vitest';
import { lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { QUERY_DEFAULTS, standardParams } from '../../../functions/core/queries/query-params.ts';
import { buildReportModel } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import { SUSPICIOUS_LOGIN_ROWS } from '../../../functions/core/report/report-model.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { DAY_MS } from '../../../functions/core/time-units.ts';
import { loadQuery } from '../../../functions/queries/catalog.ts';
import { openFixtureEngine } from '../../queries/support/fixture-engine.ts';
import { login } from '../../queries/support/lake-fixture.ts';

const FROM = Date.parse('2026-11-16T00:00:00Z');
const TO = FROM + 7 * DAY_MS;
const SIGN_INS = SUSPICIOUS_LOGIN_ROWS + 200;

const us = {
  ip_country: 'US',
  ip_asn: 7922,
  ip_org: 'Comcast Cable Communications, LLC',
  geo_db_version: 'g',
};
const de = { ip_country: 'DE', ip_asn: 3320, ip_org: 'Deutsche Telekom AG', geo_db_version: 'g' };
const svc = { user_id: '900000001', user_name: 'svc-integration' };
const grace = { user_id: '103', user_name: 'Grace Hopper' };

const at = (ms: number) => lakeTimestamp(ms);

/** Twelve days of sign-ins at 09:00 from home in the US: history enough for every check. */
const history = (user: typeof svc) =>
  Array.from({ length: 12 }, (_, d) =>
    login(at(FROM - (12 - d) * DAY_MS + 9 * 3_600_000), 'login', { ...user, ...us, ip_address: '73.9.9.9' }),
  );

/**
 * The service account signs in every 10 seconds from 08:00 on Monday, from the US and Germany by
 * turns (each a journey no one makes in 10 seconds); Grace signs in once from Germany on Friday,
 * after every one of them.
 */
function travelWeek() {
  const travel = Array.from({ length: SIGN_INS }, (_, i) =>
    login(at(FROM + 8 * 3_600_000 + i * 10_000), 'login', {
      ...svc,
      ...(i % 2 === 0 ? us : de),
      ip_address: i % 2 === 0 ? `73.1.${i >> 8}.${i & 255}` : `88.64.${i >> 8}.${i & 255}`,
    }),
  );
  const friday = login(at(FROM + 4 * DAY_MS + 9 * 3_600_000), 'login', {
    ...grace,
    ...de,
    ip_address: '88.65.0.1',
  });
  return [...history(svc), ...history(grace), ...travel, friday];
}

/**
 * The service account: an impossible journey at each sign-in but the first (1,199), and its
 * first from Germany a new country and a new network owner too; Grace: a new country and owner.
 */
const FINDINGS = SIGN_INS - 1 + 2 + 2;
const LOGINS = SIGN_INS - 1 + 1;

describe('suspicious logins of an account signing in from two countries by turns', () => {
  it('the query returns the first rows, every user and reason among them, with the exact counts of all', async () => {
    const lake = await openFixtureEngine('suspicious-bounded-', { events: travelWeek() });
    try {
      const params = standardParams({ instance: 'default', fromMs: FROM, toMs: TO });
      const { rows } = await lake.engine.run('suspicious_logins', params);
      // Every row, the cut lifted as `--param max_rows=` does (review R-SUSP2 M1): what the counts must say.
      const all = (await lake.engine.run('suspicious_logins', { ...params, max_rows: '1000000' })).rows;
      expect(all).toHaveLength(FINDINGS);
      expect(rows).toHaveLength(SUSPICIOUS_LOGIN_ROWS);
      for (const row of [rows[0], rows.at(-1)]) {
        expect(row).toMatchObject({ total_rows: FINDINGS, total_logins: LOGINS });
      }
      // The first of each user's rows of each reason, in time; Grace's on Friday among them.
      expect(rows.slice(0, 5).map((r) => [r.user_name, r.reason, r.user_reason_rows])).toEqual([
        ['svc-integration', 'impossible_travel', SIGN_INS - 1],
        ['svc-integration', 'new_country', 1],
        ['svc-integration', 'new_network', 1],
        ['Grace Hopper', 'new_country', 1],
        ['Grace Hopper', 'new_network', 1],
      ]);
      // Then the account's further journeys, in time: the first 995 of them.
      const journeys = all.filter((r) => r.user_id === svc.user_id && r.reason === 'impossible_travel');
      expect(rows.slice(5).map((r) => r.event_time)).toEqual(
        journeys.slice(1, SUSPICIOUS_LOGIN_ROWS - 4).map((r) => r.event_time),
      );
    } finally {
      await lake.close();
    }
  });

  it('the report holds those rows, counts all of them and says how many it left out', async () => {
    const lake = await openFixtureEngine('suspicious-bounded-report-', { events: travelWeek() });
    try {
      const model = await buildReportModel(lake.engine, {
        instance: 'default',
        run: runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z')),
      });
      expect(model.suspiciousLogins).toHaveLength(SUSPICIOUS_LOGIN_ROWS);
      expect(model.suspiciousTotals).toEqual({ findings: FINDINGS, logins: LOGINS });
      expect(reportSubject(model)).toContain('1,200 suspicious logins (1,203 findings)');
      const text = renderText(model).replace(/\s+/g, ' ');
      expect(text).toContain('SUSPICIOUS LOGINS (1,200 LOGINS, 1,203 FINDINGS)');
      expect(text).toContain(
        "and 1,183 more findings (the report's archive, reports/instance=default/2026-W47.json, lists the first 1,000)",
      );
      // Once, on the account's first row, with the order said above the rows.
      expect(text.split('1,199 impossible travel findings of this user this week')).toHaveLength(2);
      expect(text).toContain(
        "Each user's first finding of each kind comes first, in time, then their further ones.",
      );
      expect(text).toContain('Grace Hopper (103) new country');
      const html = renderHtml(model, 'subject').replace(/\s+/g, ' ');
      expect(html).toContain('Suspicious logins (1,200 logins, 1,203 findings)');
      expect(html).toContain(
        'and 1,183 more findings (the report&#39;s archive, reports/instance=default/2026-W47.json, lists the first 1,000)',
      );
      expect(html.split('1,199 impossible travel findings of this user this week')).toHaveLength(2);
      expect(html).toContain(
        'Each user&#39;s first finding of each kind comes first, in time, then their further ones.',
      );
      expect(html).toContain('Grace Hopper');
    } finally {
      await lake.close();
    }
  });

  it('the query and the model agree on the number of rows', () => {
    expect(loadQuery('suspicious_logins').sql).toContain(
      'WHERE row_rank <= CAST(? /* max_rows */ AS bigint)\n',
    );
    expect(QUERY_DEFAULTS.maxRows).toBe(SUSPICIOUS_LOGIN_ROWS);
    expect(standardParams({ instance: 'default', fromMs: FROM, toMs: TO }).max_rows).toBe(
      String(SUSPICIOUS_LOGIN_ROWS),
    );
  });
});
