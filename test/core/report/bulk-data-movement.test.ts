/**
 * The report's bulk data movement (bulk_data_movement.sql over the week): users who exported or
 * shared far beyond their own usual, or for the first time. Review R-CISO: a leaver's data theft
 * was nowhere in the weekly mail.
 */
import { describe, expect, it } from 'vitest';
import { Deadline } from '../../../functions/core/deadline.ts';
import { HOURS_HELD_SQL } from '../../../functions/core/lake/hours-held.ts';
import { encodedBytes, HTML_BUDGET_BYTES } from '../../../functions/core/mail/render-limits.ts';
import type { QueryResult } from '../../../functions/core/ports.ts';
import { buildReportModel, REPORT_QUERY_COUNT } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type { BulkDataMover, WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { reportModelJson } from '../../../functions/core/report/report-model-json.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { weekSummary } from '../../../functions/core/report/week-summary.ts';
import { firstTimer, leaver } from './bulk-mover-fixture.ts';
import { CONTRACT_ROWS, FakeEngine } from './fake-engine.ts';
import { hostile, hostileEscaped, sampleModel } from './model-fixture.ts';

const withRows = (rows: BulkDataMover[], total = rows.length): WeeklyReportModel => ({
  ...sampleModel(),
  bulkDataMovers: rows,
  bulkDataMoversTotal: total,
});

const run = runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z'));

describe('bulk data movement in the weekly report', () => {
  it('is read from bulk_data_movement over the week, against the history of the suspicious logins', async () => {
    const engine = new FakeEngine({
      ...CONTRACT_ROWS,
      bulk_data_movement: [
        {
          user_id: '1263963830',
          user_name: 'Yara Varga',
          finding: 'above_baseline',
          moves: 14,
          exports: 8,
          shares: 6,
          dataset_exports: 4,
          objects: 13,
          history_moves: 6,
          history_events: 1057,
          baseline_moves: 3,
          first_time: '2026-11-16 12:52:44.649',
          last_time: '2026-11-20 09:54:19.958',
        },
      ],
    });
    const model = await buildReportModel(engine, { instance: 'acme', run });
    expect(model.bulkDataMovers).toEqual([leaver]);
    expect(model.bulkDataMoversTotal).toBe(1);
    const call = engine.calls.find((c) => c.name === 'bulk_data_movement');
    const suspicious = engine.calls.find((c) => c.name === 'suspicious_logins');
    expect(call?.params).toMatchObject({
      from_ts: '2026-11-16 00:00:00.000',
      to_ts: '2026-11-23 00:00:00.000',
      history_from_ts: suspicious?.params.history_from_ts,
    });
    expect(engine.calls).toHaveLength(REPORT_QUERY_COUNT);
    expect(reportModelJson(model).bulkDataMovers?.[0]?.firstTime).toBe('2026-11-16T12:52:44.649Z');
  });

  it('is listed in both parts, and the users far above their usual are counted in the first line', () => {
    const model = withRows([leaver, firstTimer]);
    const html = renderHtml(model, 'subject');
    const text = renderText(model);
    expect(html).toContain('Bulk data movement (2)');
    expect(html).toContain('14 exports and shares against about 3 a week before');
    expect(html).toContain('8 exports (4 whole datasets), 6 shares');
    expect(html).toContain('first time: none among their 310 events before');
    expect(text).toContain('BULK DATA MOVEMENT (2)');
    expect(text).toMatch(/Mon 16 Nov 12:52 +Yara Varga \(1263963830\)/);
    expect(text).toContain('    14 exports and shares against about 3 a week before');
    expect(text).toContain('    8 exports (4 whole datasets), 6 shares; last Fri 20 Nov 09:54');
    // The first-time mover is listed, but only the one far above their usual makes the first line.
    expect(weekSummary(model)).toContain('1 user moving far more data than usual');
  });

  it('counts the users far above their usual in the subject, after the sign-ins and before the lockouts', () => {
    // Review R-INSIDER M2: the leaver's week had them in the first line and nowhere in the subject.
    expect(reportSubject(withRows([leaver, firstTimer]))).toBe(
      'Domo activity 2026-W47 (acme): 1 suspicious login, 1 bulk data mover, 1 lockout, 12,345 events (+8%)',
    );
    expect(reportSubject(withRows([firstTimer]))).not.toContain('mover');
  });

  it('says how many the mail lists when it cannot list them all, and stays in the budget', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({
      ...leaver,
      userId: String(1000 + i),
      userName: hostile('user'),
    }));
    const model = withRows(rows, 1234);
    const { html, text } = renderReport(model);
    expect(html).toContain('Listed: the first 10 of 1,234, most moves first');
    expect(text.replace(/\s+/g, ' ')).toContain('Listed: the first 10 of 1,234, most moves first');
    expect(html).toContain(hostileEscaped('user').slice(0, 20));
    expect(encodedBytes(html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
  });

  it('says nobody was judged, not that nobody moved much, when the lake holds none of the history', async () => {
    const sql: unknown[][] = [];
    const asking = (coveredHours: number) =>
      Object.assign(new FakeEngine(), {
        runSql: async (text: string, params: readonly string[]) => {
          sql.push([text, ...params]);
          return { columns: [], rows: [{ covered_hours: coveredHours }], elapsedMs: 1 };
        },
      });
    const fresh = await buildReportModel(asking(0), { instance: 'acme', run });
    // The 30 days before the week, from the coverage manifests, as `query bulk_data_movement` asks.
    expect(sql[0]).toEqual([
      HOURS_HELD_SQL,
      'acme',
      '2026-10-17',
      '2026-11-16',
      '2026-10-17 00:00:00.000',
      '2026-11-16 00:00:00.000',
    ]);
    expect(fresh.bulkDataNoHistory).toBe(true);
    const judged = 'Nobody could be judged: the lake holds none of the 30 days before Mon 16 Nov';
    for (const part of [renderHtml(fresh, 's'), renderText(fresh)]) {
      expect(part.replace(/\s+/g, ' ')).toContain(judged);
      expect(part).not.toContain('No user exported or shared');
    }
    const held = await buildReportModel(asking(3), { instance: 'acme', run });
    expect(held.bulkDataNoHistory).toBeUndefined();
    expect(renderText(held)).toContain('No user exported or shared far beyond their own usual');
  });

  it("counts the history check's scan in what the report says it scanned", async () => {
    const engine = Object.assign(new FakeEngine(), {
      runSql: async () => ({ columns: [], rows: [{ covered_hours: 0 }], bytesScanned: 777, elapsedMs: 1 }),
    });
    const model = await buildReportModel(engine, { instance: 'acme', run });
    expect(model.bulkDataNoHistory).toBe(true);
    // The catalog's queries at the fake's 1,000 bytes each, and the check's 777.
    expect(model.bytesScanned).toBe(REPORT_QUERY_COUNT * 1000 + 777);
  });

  it('gives the history check up, noting nothing, once only the time kept to mail the report is left', async () => {
    let leftMs = 600_000;
    const reserveMs = 30_000;
    const ended: string[] = [];
    // Answers "none held" only if nothing stops it first: the check ran on into the mail's time.
    const engine = Object.assign(new FakeEngine(), {
      runSql: (
        _sql: string,
        _params: readonly string[],
        _label?: string,
        options?: { signal?: AbortSignal },
      ) =>
        new Promise<QueryResult>((resolve, reject) => {
          leftMs = reserveMs - 1_000;
          options?.signal?.addEventListener('abort', () => {
            ended.push('aborted');
            reject(options.signal?.reason);
          });
          setTimeout(() => resolve({ columns: [], rows: [{ covered_hours: 0 }], elapsedMs: 1 }), 1_500);
        }),
    });
    const deadline = new Deadline(() => leftMs);
    const model = await buildReportModel(engine, { instance: 'acme', run, deadline, reserveMs });
    expect(ended).toEqual(['aborted']);
    expect(model.bulkDataNoHistory).toBeUndefined();
  });

  it('says there was none, and shows no section for a model archived before it was read', () => {
    const none = withRows([], 0);
    expect(renderHtml(none, 's')).toContain('No user exported or shared far beyond their own usual');
    expect(renderText(none)).toContain('No user exported or shared far beyond their own usual');
    expect(weekSummary(none)).not.toContain('moving');
    const archived = sampleModel();
    expect(archived.bulkDataMovers).toBeUndefined();
    expect(renderHtml(archived, 's')).not.toContain('Bulk data movement');
    expect(renderText(archived)).not.toContain('BULK DATA MOVEMENT');
  });
});
