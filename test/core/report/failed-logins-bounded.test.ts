/**
 * A credential-stuffing week (a new user name typed with each failed sign-in, no user id) made the
 * report hold one failed-logins row per name: 300,000 names took 655 MB and an 84 MB archive, more
 * than the report function's 512 MB (review R-REPORT H1). The query now returns the first
 * FAILED_LOGIN_ROWS rows, with the count of all of them and exact figures of the failures without a
 * user id, and the mail says what the week was.
 */
import { describe, expect, it } from 'vitest';
import { lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { QUERY_DEFAULTS, standardParams } from '../../../functions/core/queries/query-params.ts';
import { buildReportModel } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import { FAILED_ADDRESS_ROWS, FAILED_LOGIN_ROWS } from '../../../functions/core/report/report-model.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { loadQuery } from '../../../functions/queries/catalog.ts';
import { openFixtureEngine } from '../../queries/support/fixture-engine.ts';
import { event } from '../../queries/support/lake-fixture.ts';

const FROM = Date.parse('2026-11-16T00:00:00Z');
const TO = Date.parse('2026-11-23T00:00:00Z');
const NAMES = FAILED_LOGIN_ROWS + 500;

const failure = (ms: number, fields: Parameters<typeof event>[1]) =>
  event(lakeTimestamp(ms), { category: 'login_failed', action_type: 'LOGIN_FAILED', ...fields });

/** 1,500 typed names, one failure each from its own address, and one real user locked out. */
function stuffedWeek() {
  const stuffing = Array.from({ length: NAMES }, (_, i) =>
    failure(FROM + 3_600_000 + i * 60_000, {
      user_id: null,
      user_name: `victim${i}@corp.example`,
      ip_address: `45.0.${i >> 8}.${i & 255}`,
    }),
  );
  const real = [
    ...[0, 1, 2].map((m) => failure(FROM + 86_400_000 + m * 60_000, { user_id: '7', user_name: 'Omar' })),
    event(lakeTimestamp(FROM + 86_400_000 + 5 * 60_000), {
      category: 'lockout',
      action_type: 'LOCKED_OUT',
      user_id: '7',
      user_name: 'Omar',
    }),
  ];
  return { events: [...stuffing, ...real], stuffing };
}

describe('failed logins of a credential-stuffing week', () => {
  it('the query returns the first rows, with the count of all and the exact figures of the names typed', async () => {
    const { events, stuffing } = stuffedWeek();
    const lake = await openFixtureEngine('failed-logins-bounded-', { events });
    try {
      const { rows } = await lake.engine.run(
        'failed_logins_and_lockouts',
        standardParams({ instance: 'default', fromMs: FROM, toMs: TO }),
      );
      expect(rows).toHaveLength(FAILED_LOGIN_ROWS);
      // The locked-out user first, as before.
      expect(rows[0]).toMatchObject({ user_id: '7', failed_attempts: 3, lockouts: 1 });
      expect(rows[1]).toMatchObject({ user_id: null, failed_attempts: 1 });
      for (const row of [rows[0], rows.at(-1)]) {
        expect(row).toMatchObject({
          total_rows: NAMES + 1,
          no_user_names: NAMES,
          no_user_failures: NAMES,
          no_user_ips: NAMES,
          no_user_first_failure: stuffing[0]?.event_time,
          no_user_last_failure: stuffing.at(-1)?.event_time,
        });
      }
    } finally {
      await lake.close();
    }
  });

  it('the report holds those rows, says how many were left out and what the names typed were', async () => {
    const { events } = stuffedWeek();
    const lake = await openFixtureEngine('failed-logins-bounded-report-', { events });
    try {
      const model = await buildReportModel(lake.engine, {
        instance: 'default',
        run: runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z')),
      });
      expect(model.failedLogins).toHaveLength(FAILED_LOGIN_ROWS);
      expect(model.failedLoginUsers).toBe(NAMES + 1);
      expect(model.failedLoginsWithoutUser).toEqual({
        names: NAMES,
        failedAttempts: NAMES,
        addresses: NAMES,
        firstFailure: '2026-11-16 01:00:00.000',
        lastFailure: '2026-11-17 01:59:00.000',
      });
      const sentence =
        '1,500 failed logins named no user (Domo sent no user id, or one empty or 0): 1,500 names typed, from 1,500 addresses, Mon 16 Nov 01:00 to Tue 17 Nov 01:59.';
      const text = renderText(model).replace(/\s+/g, ' ');
      expect(text).toContain(sentence);
      expect(text).toContain('and 1,481 more users (the archived JSON lists the first 1,000)');
      const html = renderHtml(model, 'subject').replace(/\s+/g, ' ');
      expect(html).toContain(sentence);
      expect(html).toContain('and 1,481 more users (the archived report JSON lists the first 1,000)');
    } finally {
      await lake.close();
    }
  });

  it('a spray from many addresses: the first addresses, and how many there were in all', async () => {
    const ADDRESSES = FAILED_ADDRESS_ROWS + 5;
    const events = Array.from({ length: ADDRESSES * 5 }, (_, i) =>
      failure(FROM + 3_600_000 + i * 10_000, {
        user_id: null,
        user_name: `victim${i}@corp.example`,
        ip_address: `46.0.${(i / 5) >> 8}.${Math.floor(i / 5) & 255}`,
      }),
    );
    const lake = await openFixtureEngine('failed-addresses-bounded-', { events });
    try {
      const model = await buildReportModel(lake.engine, {
        instance: 'default',
        run: runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z')),
      });
      expect(model.failedLoginAddresses).toHaveLength(FAILED_ADDRESS_ROWS);
      expect(model.failedLoginAddressCount).toBe(ADDRESSES);
      expect(renderText(model).replace(/\s+/g, ' ')).toContain(
        'and 995 more addresses (see the archived JSON)',
      );
    } finally {
      await lake.close();
    }
  });

  it('the query and the model agree on the number of rows', () => {
    expect(loadQuery('failed_logins_by_ip').sql).toContain(`WHERE row_rank <= ${FAILED_ADDRESS_ROWS}\n`);
    expect(loadQuery('failed_logins_and_lockouts').sql).toContain(
      'WHERE no_user IS NULL AND row_rank <= CAST(? /* max_rows */ AS bigint)\n',
    );
    expect(QUERY_DEFAULTS.maxRows).toBe(FAILED_LOGIN_ROWS);
  });
});
