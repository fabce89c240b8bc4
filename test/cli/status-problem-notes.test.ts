import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatLag, statusCommand } from '../../functions/cli/commands/status.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';
import { silentLog } from '../../functions/core/ports.ts';
import type { InstanceStatus } from '../../functions/core/status/instance-status.ts';
import { captureIo } from '../support/capture-io.ts';
import { healthyInstance, statusTableOf } from '../support/instance-status-fixture.ts';

const NOW = Date.UTC(2026, 10, 30, 10);

const healthy = healthyInstance(NOW);

const table = (instance: InstanceStatus) =>
  statusTableOf([instance], NOW, {
    geoDatabase: { version: null, releasedAt: null, ageDays: null, error: 'x' },
  });

describe('the notes under the status table', () => {
  it('points at verify for a single missing hour of the last 7 days', () => {
    expect(table({ ...healthy, missingHours: 1 })).toContain(
      'main: 1 hour(s) of the last 7 days are not covered: run verify for the gaps',
    );
  });

  // CFGSTATUS (2026-12-07): past 1,000 coverage keys status no longer lists them all to count.
  it("says a range-only lake's gaps are for verify when its hours were not counted", () => {
    const range = { ...healthy, watermarkMs: null, behindMs: null, late: false, lastRun: null };
    const span = { fromMs: Date.UTC(2025, 0, 1), toMs: Date.UTC(2026, 0, 1) };
    expect(table({ ...range, rangeOnly: span })).toContain(
      'main: range-only lake: hours 2025-01-01 00:00 to 2026-01-01 00:00 UTC ingested with --from/--to (its hours not counted: it has over 1,000 coverage keys, more than status lists: run verify for any gaps); no scheduled ingest',
    );
    // The upgrading note quotes it as printed (FINALREVIEW: it quoted a wording never released).
    const upgrading = readFileSync('docs/upgrading.md', 'utf8').replace(/\s+/g, ' ');
    expect(upgrading).toContain(
      '`its hours not counted: it has over 1,000 coverage keys, more than status lists: run verify for any gaps`',
    );
    expect(upgrading).not.toContain('too many hours to count here');
    expect(table({ ...range, rangeOnly: { ...span, hours: 8758 } })).toContain(
      'UTC ingested with --from/--to (2 hours of it not covered: run verify for the gaps); no scheduled',
    );
  });

  it('says why the last run failed', () => {
    const lastRun = {
      finished_at_ms: NOW - 3_600_000,
      outcome: 'failed',
      events_written: 0,
      first_failure: 'Domo answered 401',
    } as unknown as InstanceStatus['lastRun'];
    expect(table({ ...healthy, lastRun })).toContain('main: last run failed: Domo answered 401');
  });

  it('sends a run that stopped early to run again, any other lateness to the lag runbook', () => {
    const late = { ...healthy, watermarkMs: NOW - 9 * 3_600_000, behindMs: 9 * 3_600_000, late: true };
    const run = (outcome: string) =>
      ({ finished_at_ms: NOW - 600_000, outcome, events_written: 5 }) as unknown as InstanceStatus['lastRun'];
    const stopped = table({ ...late, lastRun: run('stopped-early') });
    expect(stopped).toContain(
      'main: 9h 00m behind, over the 3 h threshold: the last run stopped early (interrupted, or out of its --max-duration or time budget): run the same ingest again to catch up (on a deployed schedule, its next run does)',
    );
    expect(stopped).not.toContain('-Lag');
    // At the last run's pace: 8 closed hours left (the newest is never closed), 3 a run.
    const paced = table({
      ...late,
      lastRun: run('stopped-early'),
      catchUp: { lastRunMovedMs: 3 * 3_600_000, runsLeft: 3 },
    });
    expect(paced).toContain(
      "main: 9h 00m behind, over the 3 h threshold, about 3 more run(s) at the last run's pace (it moved the watermark 3 h): the last run stopped early",
    );
    for (const outcome of ['ok', 'failed']) {
      expect(table({ ...late, lastRun: run(outcome) })).toContain(
        'main: 9h 00m behind, over the 3 h threshold: see docs/operations.md, section "<instance>-Lag"',
      );
    }
  });

  // STATUS10 (2026-12-07): a run failed on a Domo that was down pointed to the Lag runbook, which
  // looks for a fault in the deployment, not to the outage's runbook; credentials refused likewise.
  describe("the runbook named by the last run's failure", () => {
    const late = { ...healthy, watermarkMs: NOW - 9 * 3_600_000, behindMs: 9 * 3_600_000, late: true };
    const failedWith = (first_failure: string) =>
      ({
        finished_at_ms: NOW - 600_000,
        outcome: 'failed',
        events_written: 0,
        first_failure,
        trigger: 'schedule',
      }) as unknown as InstanceStatus['lastRun'];
    const notesOf = (failure: string) => {
      const text = table({ ...late, lastRun: failedWith(failure), failing: true });
      const lines = text.split('\n');
      return {
        lag: lines.find((line) => line.startsWith('main: 9h 00m behind')),
        failed: lines.find((line) => line.startsWith('main: last run failed:')),
      };
    };
    const page = 'GET /v1/audit failed after 6 of its 6 attempts; last: ';
    const cases: [kind: string, failure: string, lag: string, failed: string][] = [
      [
        'Domo down (5xx)',
        `${page}HTTP 503. Domo is unavailable: try again later.`,
        'Known Domo outage',
        'Known Domo outage',
      ],
      [
        'Domo down (a hang)',
        `${page}no answer within 30000 ms. Domo did not answer in time: it is down or overloaded, try again later.`,
        'Known Domo outage',
        'Known Domo outage',
      ],
      [
        'Domo down (429 to every request)',
        `${page}HTTP 429. Domo is throttling this client, answering every request with 429 for 150 s: a slower pace would not help, try again later.`,
        'Known Domo outage',
        'Known Domo outage',
      ],
      [
        'credentials refused (401)',
        'Domo rejected the credentials of API client \'c\' (POST /oauth/token: HTTP 401 Unauthorized): check the Secrets Manager secret "s/domo/main".',
        "One instance's credentials broken for a while",
        "One instance's credentials broken for a while",
      ],
      [
        'credentials refused (invalid_client)',
        "POST /oauth/token failed: HTTP 400. Domo answered OAuth error invalid_client. Domo did not accept the id or secret of the API client 'c': check the secret.",
        "One instance's credentials broken for a while",
        "One instance's credentials broken for a while",
      ],
      [
        'throttled',
        `GET /v1/audit gave up after 9 attempts: the wait of 30 s would end past the 780 s one GET /v1/audit request may take; last: HTTP 429. Domo is throttling this client: try again later.`,
        'NoProgress',
        'NoProgress',
      ],
      ['none of those', 'answer shape changed: …', '<instance>-Lag', '<instance>-IngestErrors'],
    ];
    it.each(cases)('%s', (_kind, failure, lag, failed) => {
      const notes = notesOf(failure);
      expect(notes.lag).toBe(
        `main: 9h 00m behind, over the 3 h threshold: see docs/operations.md, section "${lag}"`,
      );
      expect(notes.failed).toBe(
        `main: last run failed: ${failure}; see docs/operations.md, section "${failed}"`,
      );
    });

    it('names sections docs/operations.md has', async () => {
      const { readFile } = await import('node:fs/promises');
      const headings = (await readFile('docs/operations.md', 'utf8'))
        .split('\n')
        .filter((line) => line.startsWith('#'))
        .map((line) => line.replace(/^#+ /, '').replaceAll('`', ''));
      for (const [, , lag, failed] of cases)
        for (const section of [lag, failed]) expect(headings.some((h) => h.startsWith(section))).toBe(true);
    });
  });

  it('tells state a newer version wrote from corrupt state, and says why it reads as none', () => {
    const text = table({
      ...healthy,
      watermarkMs: null,
      behindMs: null,
      checkpointProblem: 'checkpoint … was written by a newer version',
      checkpointNewer: true,
      lastRunProblem: 'last run record … was written by a newer version',
    });
    expect(text).toMatch(/\nmain +NEWER +none +- +newer version +/);
    expect(text).toContain('\nmain: last run record … was written by a newer version\n');
    expect(table({ ...healthy, checkpointProblem: 'corrupt' })).toMatch(/\nmain +CORRUPT +/);
  });

  it('names each week nothing will send by itself, with the invocation that sends it', () => {
    const text = table({
      ...healthy,
      unsentReports: [
        { isoWeek: '2026-W45', state: 'failed', updatedAt: '2026-11-09T07:00:02.000Z' },
        { isoWeek: '2026-W46', state: 'sending', updatedAt: '2026-11-16T07:00:00.000Z' },
      ],
    });
    expect(text).toContain(
      'main: weekly report 2026-W45 was not sent (marker failed): invoke the report function with {"week":"2026-W45","instance":"main"}',
    );
    expect(text).toContain(
      'main: weekly report 2026-W46 may not have been sent (marker sending since 2026-11-16 07:00 UTC: its run stopped before recording the outcome): check the inbox, then invoke the report function with {"week":"2026-W46","instance":"main","resend":true} if it did not arrive',
    );
  });

  it('lists the corrections: a marker that blocks one with the object to remove, those due, those sent', () => {
    const address = 's3://lake-bucket/reports/instance=main/2026-W46.correction.json';
    const text = table({
      ...healthy,
      corrections: {
        awaiting: [
          { isoWeek: '2026-W45', mailedHours: 150, expectedHours: 168, heldHours: 150, refused: true },
          { isoWeek: '2026-W47', mailedHours: 150, expectedHours: 168, heldHours: 150, refused: false },
          { isoWeek: '2026-W48', mailedHours: 150, expectedHours: 168, heldHours: 160, refused: false },
        ],
        sent: [
          { isoWeek: '2026-W44', coveredHours: 168, expectedHours: 168, sentAt: '2026-11-16T07:02:00.000Z' },
        ],
        stuck: [{ isoWeek: '2026-W46', state: 'sending', since: '2026-11-28T07:01:00.000Z', address }],
      },
    });
    const notes = text.split('\n').filter((line) => line.startsWith('main: '));
    expect(notes).toEqual([
      `main: the correction of weekly report 2026-W46 may have been mailed (its marker is sending since 2026-11-28 07:01 UTC) and is not sent again by itself: check the inbox, and if it did not arrive remove ${address}; the next report run sends it: see docs/operations.md, section "ReportCorrectionStuck"`,
      "main: weekly report 2026-W45 was mailed with 150 of 168 hours; its correction was refused by the mail service (marker failed): fix the cause (the report function's log says it), and the next report run sends it",
      'main: weekly report 2026-W47 was mailed with 150 of 168 hours; the lake holds no more of them yet: a report run mails a correction once it does (runs look back 4 weeks)',
      "main: weekly report 2026-W48 was mailed with 150 of 168 hours; the lake now holds 160: the next report run mails a correction (6 hours or more after the week's last mail)",
      'main: weekly report 2026-W44 was corrected: mailed again 2026-11-16 07:02 UTC with 168 of 168 hours',
    ]);
    // The report never changes the exit code: only notes.
    expect(text).toMatch(/\nmain +ok +/);
  });
});

describe('status --format', () => {
  it('refuses a format other than table or json, naming the flag', async () => {
    const { io } = captureIo();
    const error = await statusCommand(['--lake', '/nonexistent/lake', '--format', 'csv'], {
      ...io,
      log: silentLog,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('--format "csv": must be table or json');
  });
});

describe('the status table row', () => {
  it('reads LATE in the state column of an instance over its lag threshold', () => {
    const late = { ...healthy, watermarkMs: NOW - 9 * 3_600_000, behindMs: 9 * 3_600_000, late: true };
    const row = table(late)
      .split('\n')
      .find((line) => line.startsWith('main '));
    expect(row).toMatch(/^main\s+LATE\s/);
  });

  // Review STATUS5: at 20 instances (a provider's customers) one failing customer's row looked
  // like the 19 others'; a line above the table names those that make the exit 1.
  it('names, above the table of many instances, those not ok with their state', () => {
    const customers = Array.from({ length: 20 }, (_, i) => ({
      ...healthy,
      instance: `customer-${String(i + 1).padStart(2, '0')}`,
    }));
    const late = { watermarkMs: NOW - 9 * 3_600_000, behindMs: 9 * 3_600_000, late: true };
    const many = customers.map((c, i) =>
      i === 6 ? { ...c, ...late } : i === 13 ? { ...c, silent: true } : c,
    );
    const text = statusTableOf(many, NOW, { maxWidth: 80 });
    const lines = text.split('\n');
    expect(lines.slice(0, 4).join(' ').replace(/\s+/g, ' ')).toContain(
      'not ok: 2 of 20 instances: customer-07 (LATE), customer-14 (SILENT); see their notes below',
    );
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(statusTableOf(customers, NOW)).not.toContain('not ok:');
    expect(table({ ...healthy, ...late })).not.toContain('not ok:');
  });

  // Review STATUS5 (FIRSTHOUR): right after the demo printed its report's path, status on its lake
  // said `none` and `not enabled`, as if no report had been made. The demo writes it into its out
  // folder and mails nothing; status reads the weeks mailed.
  it("says of a demo lake's report that none was mailed and none is due by mail", () => {
    const row = (text: string) => text.split('\n').find((line) => line.startsWith('main '));
    const demo = row(statusTableOf([healthy], NOW, { demoNote: 'the demo is building it' }));
    expect(demo).toMatch(/none mailed\s+demo: no mail$/);
    expect(row(table(healthy))).toMatch(/\snone\s+not enabled$/);
  });

  it('keeps hours and minutes behind up to 48 hours, days from there', () => {
    expect(formatLag(30 * 3_600_000)).toBe('30h 00m');
    expect(formatLag(47 * 3_600_000 + 59 * 60_000)).toBe('47h 59m');
    expect(formatLag(48 * 3_600_000)).toBe('2d 00h');
  });

  it('says what the last run left of the later pulls: hours given up, hours due (R-REPULL F5)', () => {
    const lastRun = {
      finished_at_ms: NOW - 600_000,
      outcome: 'ok',
      events_written: 5,
      later_pulls: { done: 3, given_up: 1, left: 20, due_from_ms: NOW - 40 * 3_600_000 },
    } as unknown as InstanceStatus['lastRun'];
    const text = table({ ...healthy, lastRun });
    expect(text).toContain(
      'main: the last run gave up the later pull of 1 hour(s) after 3 tries; what their earlier pulls stored stands: see docs/operations.md, section "Later pulls"',
    );
    expect(text).toContain(
      'main: later pulls due from 2026-11-28 18:00 UTC: the next run with a new hour pulls them (not if the later pull is off: see docs/operations.md, section "Later pulls")',
    );
    const narrow = statusTableOf([{ ...healthy, lastRun }], NOW, { maxWidth: 80 });
    expect(narrow).toContain('later pulls due from');
    for (const line of narrow.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    const none = { ...lastRun, later_pulls: { done: 24, given_up: 0, left: 0, due_from_ms: null } };
    expect(table({ ...healthy, lastRun: none } as InstanceStatus)).not.toContain('later pull');
  });
});
