import { describe, expect, it } from 'vitest';
import { Deadline } from '../../../functions/core/deadline.ts';
import { reportSentKey } from '../../../functions/core/lake/layout.ts';
import { type MailMessage, silentLog } from '../../../functions/core/ports.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { ReportPreviewError, ReportTimeError } from '../../../functions/core/report/report-errors.ts';
import { reportRun } from '../../../functions/core/report/report-run.ts';
import { sendWeeklyReports } from '../../../functions/core/report/send-weekly-reports.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { FakeEngine } from './fake-engine.ts';

// 2026-W48 in Berlin: Monday 2026-11-23 00:00 (+01:00) to Monday 2026-11-30 00:00 (+01:00).
const ZONE = 'Europe/Berlin';
const W48 = reportWeek('2026-W48', ZONE);
const at = (iso: string) => Date.parse(iso);

/**
 * The decision table: every kind of week asked for against every position of now, and what the
 * run is. The last full week (no week asked) is never a preview; a week asked for is one until the
 * instant it ends, a resend's too (`resend` is no input of the decision, and the send pins that).
 */
const TABLE: { asked: string | undefined; now: string; week: string; preview: boolean; note: string }[] = [
  { asked: undefined, now: '2026-11-22T23:00:00Z', week: '2026-W47', preview: false, note: 'W48 starts' },
  { asked: undefined, now: '2026-11-26T12:00:00Z', week: '2026-W47', preview: false, note: 'mid-W48' },
  {
    asked: undefined,
    now: '2026-11-29T22:59:59.999Z',
    week: '2026-W47',
    preview: false,
    note: 'W48 ends in 1 ms',
  },
  { asked: undefined, now: '2026-11-29T23:00:00Z', week: '2026-W48', preview: false, note: 'W48 just ended' },
  {
    asked: '2026-W48',
    now: '2026-11-22T22:59:59.999Z',
    week: '2026-W48',
    preview: true,
    note: 'not started',
  },
  {
    asked: '2026-W48',
    now: '2026-11-22T23:00:00Z',
    week: '2026-W48',
    preview: true,
    note: 'its first instant',
  },
  { asked: '2026-W48', now: '2026-11-26T12:00:00Z', week: '2026-W48', preview: true, note: 'under way' },
  {
    asked: '2026-W48',
    now: '2026-11-29T22:59:59.999Z',
    week: '2026-W48',
    preview: true,
    note: 'its last ms',
  },
  { asked: '2026-W48', now: '2026-11-29T23:00:00Z', week: '2026-W48', preview: false, note: 'its end' },
  { asked: '2026-W48', now: '2026-12-08T09:00:00Z', week: '2026-W48', preview: false, note: 'long over' },
  {
    asked: '2026-W47',
    now: '2026-11-26T12:00:00Z',
    week: '2026-W47',
    preview: false,
    note: 'the week before',
  },
];

describe('reportRun: whether a run is a preview, decided once', () => {
  it('follows the table for every week asked and every position of now', () => {
    expect(W48.startMs).toBe(at('2026-11-22T23:00:00Z'));
    expect(W48.endMs).toBe(at('2026-11-29T23:00:00Z'));
    for (const row of TABLE) {
      const run = reportRun({ timeZone: ZONE, ...(row.asked ? { week: row.asked } : {}) }, at(row.now));
      expect({ week: run.week.isoWeek, preview: run.preview, nowMs: run.nowMs }, row.note).toEqual({
        week: row.week,
        preview: row.preview,
        nowMs: at(row.now),
      });
    }
  });

  it('refuses a week asked for that is no week, saying how to write one', () => {
    expect(() => reportRun({ timeZone: ZONE, week: '2026-W60' }, at('2026-11-26T12:00:00Z'))).toThrow(
      'week "2026-W60" does not exist: 2026 has ISO weeks 01 to 53',
    );
  });
});

/** One instance's run of the table's row, as the report function and the `report` command run it. */
async function runRow(row: (typeof TABLE)[number], resend: boolean, remainingMs?: () => number) {
  const store = new MemoryObjectStore();
  const sent: MailMessage[] = [];
  const ports = {
    engine: new FakeEngine(),
    store,
    mailer: {
      send: async (message: MailMessage) => {
        sent.push(message);
        return { messageId: `m-${sent.length}` };
      },
    },
    clock: { now: () => at(row.now) },
    log: silentLog,
  };
  const settings = {
    timeZone: ZONE,
    from: 'r@example.com',
    to: ['s@example.com'],
    ...(row.asked ? { week: row.asked } : {}),
    ...(resend ? { resend: true } : {}),
  };
  const result = await sendWeeklyReports(['acme'], new Deadline(remainingMs), ports, settings);
  const marked = store.objects.has(reportSentKey('acme', row.week));
  return { result, sent, marked };
}

type Row = (typeof TABLE)[number];

/** The time error behind a failure: a preview's wraps it, a week's is it. */
function timeErrorOf(error: unknown, preview: boolean): ReportTimeError {
  expect(error instanceof ReportPreviewError).toBe(preview);
  const timeError = preview ? (error as Error).cause : error;
  expect(timeError).toBeInstanceOf(ReportTimeError);
  return timeError as ReportTimeError;
}

async function sendsAsDecided(row: Row, resend: boolean): Promise<void> {
  const { result, sent, marked } = await runRow(row, resend);
  if (row.note === 'not started') {
    // A preview the report refuses to make: failed as a preview, nothing mailed or marked.
    expect(result.failures[0]?.error).toBeInstanceOf(ReportPreviewError);
    expect(sent).toEqual([]);
  } else {
    expect(result.outcomes.map((o) => o.status)).toEqual([row.preview ? 'preview' : 'sent']);
    expect(sent.map((m) => m.subject.includes(') [preview: week in progress]: '))).toEqual([row.preview]);
  }
  expect(marked).toBe(!row.preview);
}

async function notStartedAsDecided(row: Row, resend: boolean): Promise<void> {
  const { result, sent } = await runRow(row, resend, () => 10_000);
  expect(timeErrorOf(result.failures[0]?.error, row.preview).stage).toBe('start');
  expect(sent).toEqual([]);
}

async function queriesStoppedAsDecided(row: Row, resend: boolean): Promise<void> {
  // Time to start the instance, then too little left for the queries.
  let reads = 0;
  const { result } = await runRow(row, resend, () => (++reads === 1 ? 120_000 : 10_000));
  const timeError = timeErrorOf(result.failures[0]?.error, row.preview);
  expect(timeError.stage).toBe('queries');
  // A preview's names no run that sends a week: it is never claimed.
  expect(timeError.message.startsWith(`the weekly report ${row.week} of acme was not sent`)).toBe(
    !row.preview,
  );
}

describe('the decision, acted on alike by every part of the run', () => {
  for (const row of TABLE) {
    for (const resend of [false, true]) {
      const name = `${row.asked ?? 'no week'} at ${row.now} (${row.note})${resend ? ', resend' : ''}`;
      const as = row.preview ? 'a preview' : 'the week';
      it(`${name}: sent as ${as}`, () => sendsAsDecided(row, resend));
      it(`${name}: not started for want of time, failed as ${as}`, () => notStartedAsDecided(row, resend));
      // A week not started stops before its queries.
      if (row.note !== 'not started') {
        it(`${name}: its queries stopped for want of time, worded as ${as}`, () =>
          queriesStoppedAsDecided(row, resend));
      }
    }
  }
});
