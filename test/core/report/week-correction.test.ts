import { describe, expect, it } from 'vitest';
import { Deadline } from '../../../functions/core/deadline.ts';
import {
  coverageKey,
  reportCorrectionKey,
  reportKey,
  reportSentKey,
} from '../../../functions/core/lake/layout.ts';
import { MailRejectedError } from '../../../functions/core/mail/mail-errors.ts';
import type { Mailer, MailMessage, QueryRow } from '../../../functions/core/ports.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { sendDueCorrections, sendWeeklyReports } from '../../../functions/core/report/send-weekly-reports.ts';
import { decodeMarker } from '../../../functions/core/report/sent-marker.ts';
import {
  CORRECTION_MIN_AGE_MS,
  ReportCorrectionError,
} from '../../../functions/core/report/week-correction.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { reportFailureMessage } from '../../../functions/report/failure-message.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { CONTRACT_ROWS, FakeEngine } from './fake-engine.ts';

const WEEK_MS = 7 * 24 * HOUR_MS;
/** Monday after 2026-W47 (UTC): the schedule's run reports W47. */
const NOW = Date.parse('2026-11-23T07:00:00Z');
const settings = { timeZone: 'UTC', from: 'reports@example.com', to: ['security@example.com'] };
const W47 = reportWeek('2026-W47', 'UTC');

class ListMailer implements Mailer {
  readonly sent: MailMessage[] = [];
  readonly failures: Error[] = [];
  async send(message: MailMessage) {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push(message);
    return { messageId: `m-${this.sent.length}` };
  }
}

const COMPLETE = CONTRACT_ROWS.data_health?.[0] as QueryRow;
/** W47 with its last 18 hours not in the lake: the ingest was down when the report ran. */
const PARTIAL: QueryRow = {
  ...COMPLETE,
  covered_hours: 150,
  missing_hours: 18,
  gap_count: 1,
  first_missing_hour: '2026-11-22 06:00:00.000',
  trailing_missing_hours: 18,
};

function lake(coveredHours = 150) {
  const store = new MemoryObjectStore();
  const rows: Record<string, QueryRow[]> = { ...CONTRACT_ROWS, data_health: [PARTIAL] };
  const engine = new FakeEngine(rows);
  const mailer = new ListMailer();
  const counts: Record<string, number> = {};
  const warnings: string[] = [];
  /** The ingest's coverage manifests of W47's first `hours` hours; and data_health saying as much. */
  const ingest = (hours: number) => {
    for (let h = 0; h < hours; h += 1)
      store.putNow(coverageKey('acme', W47.startMs + h * HOUR_MS), new TextEncoder().encode('{}'));
    rows.data_health = [
      hours >= 168 ? COMPLETE : { ...PARTIAL, covered_hours: hours, missing_hours: 168 - hours },
    ];
  };
  ingest(coveredHours);
  const at = (nowMs: number) => ({
    engine,
    store,
    mailer,
    clock: { now: () => nowMs },
    log: { ...silentLog, warn: (message: string) => warnings.push(message) },
    metricsFor: () => ({
      count: (name: string, value: number) => {
        counts[name] = (counts[name] ?? 0) + value;
      },
    }),
  });
  const run = (nowMs: number, extra: Record<string, unknown> = {}, instances = ['acme']) =>
    sendWeeklyReports(instances, new Deadline(), at(nowMs), { ...settings, ...extra });
  /** A corrections-only run (the corrections schedule's). */
  const correct = (nowMs: number) => sendDueCorrections(['acme'], new Deadline(), at(nowMs), settings);
  return { store, engine, mailer, counts, warnings, ingest, run, correct };
}

const correctionMarker = async (store: MemoryObjectStore) => {
  const stored = await store.get(reportCorrectionKey('acme', '2026-W47'));
  return stored && decodeMarker(stored.body, 'acme', '2026-W47');
};

describe('corrections of weeks mailed with hours missing', () => {
  // Review STATUS4: an error no step of the correction worded (a query of its report) read as the
  // week's report failing, with the invocation that sends the week, which finds it sent.
  it("words a corrections run's failure before its mail as the correction's", async () => {
    const { engine, ingest, run, correct } = lake();
    await run(NOW);
    ingest(168);
    engine.run = async () => {
      throw new Error('Athena refused the query: TooManyRequestsException');
    };
    const { failures } = await correct(NOW + 7 * HOUR_MS);
    const message = failures[0] && reportFailureMessage(failures[0]);
    expect(message).toBe(
      'the correction of 2026-W47 of acme (a week mailed with hours missing) failed before it was mailed: Athena refused the query: TooManyRequestsException; nothing was mailed, so the next report run tries it again (status names a correction marker left sending, which blocks it)',
    );
    expect(message).not.toContain('invoke the report function');
  });

  it('mails the completed week once, marked as a correction in the subject and first line', async () => {
    const { store, mailer, counts, ingest, run } = lake();
    await run(NOW);
    expect(mailer.sent[0]?.subject).toMatch(/^Domo activity 2026-W47 \(acme\) \[partial/);

    // The ingest catches up during the week; the next Monday's run reports W48 and corrects W47.
    ingest(168);
    const next = await run(NOW + WEEK_MS);
    expect(next.failures).toEqual([]);
    const correction = mailer.sent.find((m) => m.subject.startsWith('Correction: '));
    expect(correction?.subject).toMatch(/^Correction: Domo activity 2026-W47 \(acme\): /);
    expect(correction?.subject).not.toContain('partial');
    expect(correction?.text.split('\n')[0]).toBe('Correction: Domo activity 2026-W47, instance acme');
    expect(correction?.html).toContain('>Correction: Domo activity, 2026-W47');
    expect(correction?.text.replace(/\s+/g, ' ')).toContain(
      "NOTE: This corrects the report of 2026-W47 mailed Mon 23 Nov 07:00, which covered 150 of 168 hours: the lake now holds 168 of them (100%), so the figures, findings and notes below replace that mail's.",
    );
    expect(next.outcomes.find((o) => o.status === 'sent' && o.corrects)).toMatchObject({
      isoWeek: '2026-W47',
      corrects: { coveredHours: 150 },
    });
    expect(counts.ReportCorrectionSent).toBe(1);
    expect(await correctionMarker(store)).toMatchObject({ state: 'sent', coveredHours: 168 });
    // The archive holds the week's most complete report, the one the mail's links name.
    const archived = await store.get(reportKey('acme', '2026-W47', 'json'));
    expect(JSON.parse(new TextDecoder().decode(archived?.body)).health.coveredHours).toBe(168);

    // Later runs (a retry, the week after) send nothing more for W47.
    const sentBefore = mailer.sent.length;
    await run(NOW + WEEK_MS);
    await run(NOW + 2 * WEEK_MS);
    expect(mailer.sent.slice(sentBefore).map((m) => m.subject)).not.toContainEqual(
      expect.stringMatching(/^Correction: .*2026-W47/),
    );
  });

  it("reads what a marker written before it held the hours covered from the week's archive", async () => {
    const { store, mailer, ingest, run } = lake();
    await run(NOW);
    const key = reportSentKey('acme', '2026-W47');
    const stored = await store.get(key);
    const {
      coveredHours: _c,
      expectedHours: _e,
      ...older
    } = decodeMarker(stored?.body ?? new Uint8Array(), 'acme', '2026-W47');
    store.putNow(key, new TextEncoder().encode(JSON.stringify(older)));
    ingest(168);
    await run(NOW + WEEK_MS);
    const correction = mailer.sent.find((m) => m.subject.startsWith('Correction: '));
    expect(correction?.text.replace(/\s+/g, ' ')).toContain('which covered 150 of 168 hours');
  });

  it("comes after every instance's own week, so it never takes another instance's time", async () => {
    const { mailer, ingest, run } = lake();
    await run(NOW, {}, ['acme', 'globex']);
    ingest(168);
    const sentBefore = mailer.sent.length;
    await run(NOW + WEEK_MS, {}, ['acme', 'globex']);
    expect(mailer.sent.slice(sentBefore).map((m) => m.subject.replace(/\): .*/, ')'))).toEqual([
      'Domo activity 2026-W48 (acme)',
      'Domo activity 2026-W48 (globex)',
      'Correction: Domo activity 2026-W47 (acme)',
    ]);
  });

  it('leaves the week this run has just mailed alone, though the ingest wrote more meanwhile', async () => {
    const { store, mailer, ingest, run } = lake();
    // The ingest adds hours after the report's queries and before its look for corrections.
    store.beforePut = (key) => {
      if (key.endsWith('2026-W47.json')) ingest(168);
    };
    await run(NOW);
    expect(mailer.sent.map((m) => m.subject)).toEqual([expect.stringMatching(/^Domo activity 2026-W47/)]);
    store.beforePut = undefined;
    // An invocation for the week later on corrects it.
    await run(NOW + CORRECTION_MIN_AGE_MS);
    expect(mailer.sent.map((m) => m.subject)[1]).toMatch(/^Correction: Domo activity 2026-W47/);
  });

  it('a second delivery of the invocation that mailed the week does not correct it minutes later', async () => {
    const { mailer, ingest, run } = lake();
    await run(NOW);
    // Lambda delivers the same event again; the ingest has caught up meanwhile.
    ingest(168);
    const again = await run(NOW + 5 * 60_000);
    expect(again.outcomes).toEqual([expect.objectContaining({ status: 'skipped', isoWeek: '2026-W47' })]);
    expect(mailer.sent).toHaveLength(1);
    // Hours later an invocation for the week corrects it.
    await run(NOW + CORRECTION_MIN_AGE_MS);
    expect(mailer.sent.map((m) => m.subject)[1]).toMatch(/^Correction: Domo activity 2026-W47/);
  });

  it('mails the correction once when runs overlap', async () => {
    const { mailer, ingest, run } = lake();
    await run(NOW);
    ingest(168);
    await Promise.all([run(NOW + WEEK_MS), run(NOW + WEEK_MS)]);
    expect(mailer.sent.filter((m) => m.subject.startsWith('Correction: '))).toHaveLength(1);
  });

  it('queries nothing again for a week whose hours the lake holds no more of', async () => {
    const { engine, mailer, run } = lake();
    await run(NOW);
    const oneReport = engine.calls.length;
    // W48's report alone: as many queries as W47's.
    await run(NOW + WEEK_MS);
    expect(engine.calls.length).toBe(2 * oneReport);
    expect(mailer.sent.some((m) => m.subject.startsWith('Correction: '))).toBe(false);
  });

  it('corrects a week again only when the lake holds still more of it', async () => {
    const { store, mailer, ingest, run } = lake(100);
    await run(NOW);
    ingest(150);
    await run(NOW + WEEK_MS);
    expect(await correctionMarker(store)).toMatchObject({ state: 'sent', coveredHours: 150 });
    await run(NOW + WEEK_MS);
    ingest(168);
    await run(NOW + 2 * WEEK_MS);
    const corrections = mailer.sent.filter((m) => m.subject.startsWith('Correction: Domo activity 2026-W47'));
    expect(corrections.map((m) => m.text.match(/which covered (\d+) of/)?.[1])).toEqual(['100', '150']);
  });

  it('sends no correction for a week mailed complete, nor on a resend or from the command line', async () => {
    const complete = lake(168);
    await complete.run(NOW);
    await complete.run(NOW + WEEK_MS);
    expect(complete.mailer.sent.some((m) => m.subject.startsWith('Correction: '))).toBe(false);

    const resent = lake();
    await resent.run(NOW);
    resent.ingest(168);
    await resent.run(NOW + WEEK_MS, { resend: true, week: '2026-W48' });
    expect(resent.mailer.sent.some((m) => m.subject.startsWith('Correction: '))).toBe(false);
  });

  it('leaves the week older than the look-back alone', async () => {
    const { mailer, ingest, run } = lake();
    await run(NOW);
    ingest(168);
    await run(NOW + 5 * WEEK_MS);
    expect(mailer.sent.some((m) => m.subject.startsWith('Correction: '))).toBe(false);
  });

  it('a correction the mail service refused fails the run and is sent by the next run', async () => {
    const { store, mailer, ingest, run } = lake();
    await run(NOW);
    // W48 goes out the week after: its marker is written first, so the refusal is the correction's.
    await run(NOW + WEEK_MS);
    ingest(168);
    mailer.failures.push(new MailRejectedError('SES refused: MessageRejected', 'MessageRejected'));
    const refused = await run(NOW + WEEK_MS);
    const failure = refused.failures[0];
    expect(failure?.error).toBeInstanceOf(ReportCorrectionError);
    expect(failure && reportFailureMessage(failure)).toContain(
      'the correction of 2026-W47 of acme was refused by the mail service and not sent',
    );
    expect(failure && reportFailureMessage(failure)).toContain('the next report run sends it');
    expect(await correctionMarker(store)).toMatchObject({ state: 'failed', corrects: { coveredHours: 150 } });

    const sentFirst = mailer.sent.length;
    await run(NOW + WEEK_MS);
    expect(mailer.sent.slice(sentFirst).map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Correction: Domo activity 2026-W47/),
    ]);
    expect(await correctionMarker(store)).toMatchObject({ state: 'sent', coveredHours: 168 });
  });

  it("a correction the mail service refused leaves the week's archive as its mail had it", async () => {
    const { store, mailer, ingest, run } = lake();
    await run(NOW);
    const archived = async () =>
      Promise.all(
        (['html', 'txt', 'json'] as const).map(
          async (ext) => (await store.get(reportKey('acme', '2026-W47', ext)))?.body,
        ),
      );
    const mailed = await archived();
    await run(NOW + WEEK_MS);
    ingest(168);
    mailer.failures.push(new MailRejectedError('SES refused: MessageRejected', 'MessageRejected'));
    const refused = await run(NOW + WEEK_MS);
    expect(refused.failures[0]?.error).toBeInstanceOf(ReportCorrectionError);
    // Recipients hold the mail of 150 hours: the archive is that one, not the correction nobody got.
    const held = await archived();
    expect(JSON.parse(new TextDecoder().decode(held[2])).health.coveredHours).toBe(150);
    expect(held).toEqual(mailed);

    // The correction delivered replaces it.
    await run(NOW + WEEK_MS);
    const corrected = await archived();
    expect(JSON.parse(new TextDecoder().decode(corrected[2])).health.coveredHours).toBe(168);
    expect(new TextDecoder().decode(corrected[1])).toMatch(/^Correction: /);
  });

  it('a correction the mail service refused keeps a later write of the archive', async () => {
    const { store, mailer, ingest, run } = lake();
    await run(NOW);
    await run(NOW + WEEK_MS);
    ingest(168);
    const json = reportKey('acme', '2026-W47', 'json');
    const later = new TextEncoder().encode('{"later":true}\n');
    // Another writer (a resend of the week) archives the week between the correction's write and its refusal.
    mailer.failures.push(new MailRejectedError('SES refused: MessageRejected', 'MessageRejected'));
    const send = mailer.send.bind(mailer);
    mailer.send = async (message) => {
      if (message.subject.startsWith('Correction: ')) store.putNow(json, later);
      return send(message);
    };
    await run(NOW + WEEK_MS);
    expect((await store.get(json))?.body).toEqual(later);
  });

  it('a correction whose mail may have gone out leaves its own archive, which recipients may hold', async () => {
    const { store, mailer, ingest, run } = lake();
    await run(NOW);
    await run(NOW + WEEK_MS);
    ingest(168);
    mailer.failures.push(new Error('socket hang up'));
    await run(NOW + WEEK_MS);
    const archived = await store.get(reportKey('acme', '2026-W47', 'json'));
    expect(JSON.parse(new TextDecoder().decode(archived?.body)).health.coveredHours).toBe(168);
  });

  it('a correction that may have gone out is not sent again by itself', async () => {
    const { store, mailer, ingest, run } = lake();
    await run(NOW);
    await run(NOW + WEEK_MS);
    ingest(168);
    mailer.failures.push(new Error('socket hang up'));
    const lost = await run(NOW + WEEK_MS);
    expect(lost.failures[0] && reportFailureMessage(lost.failures[0])).toContain('check the inbox');
    expect(await correctionMarker(store)).toMatchObject({ state: 'unknown' });
    const sentBefore = mailer.sent.length;
    const after = await run(NOW + WEEK_MS);
    expect(after.failures).toEqual([]);
    expect(mailer.sent.length).toBe(sentBefore);
  });

  it('a correction marker a run left sending warns each run how to clear it, and sends nothing', async () => {
    const { store, mailer, warnings, counts, ingest, run } = lake();
    await run(NOW);
    ingest(168);
    // A run claimed the correction and timed out before recording its outcome.
    const claimedAt = new Date(NOW + WEEK_MS).toISOString();
    const stuck = {
      ...{ state: 'sending', instance: 'acme', isoWeek: '2026-W47', attemptId: 'a-1' },
      ...{ claimedAt, updatedAt: claimedAt, subject: 'Correction: …', recipients: 1 },
    };
    store.putNow(reportCorrectionKey('acme', '2026-W47'), new TextEncoder().encode(JSON.stringify(stuck)));
    const sentBefore = mailer.sent.length;
    // Minutes after the claim: a run still at work, not a warning.
    await run(NOW + WEEK_MS + 10 * 60_000);
    expect(warnings).toEqual([]);
    expect(counts.ReportCorrectionStuck).toBeUndefined();
    await run(NOW + WEEK_MS + 2 * HOUR_MS);
    // Counted as well as logged: the ReportCorrectionStuck alarm fires on it.
    expect(counts.ReportCorrectionStuck).toBe(1);
    expect(warnings).toEqual([
      expect.stringMatching(
        /its marker is sending.*check the inbox, and if it did not arrive remove .*instance=acme\/2026-W47\.correction\.json/,
      ),
    ]);
    expect(mailer.sent.slice(sentBefore).map((m) => m.subject)).not.toContainEqual(
      expect.stringMatching(/^Correction: /),
    );
  });

  it("goes to the instance's own recipients, with the week of its own zone", async () => {
    const { mailer, ingest, store, engine } = lake();
    const own = (instance: string) =>
      instance === 'acme'
        ? { ...settings, timeZone: 'Europe/Berlin', to: ['acme-sec@example.com'] }
        : { ...settings, to: ['globex-sec@example.com'] };
    const at = (nowMs: number) => ({ engine, store, mailer, clock: { now: () => nowMs }, log: silentLog });
    await sendWeeklyReports(['acme', 'globex'], new Deadline(), at(NOW), own);
    ingest(168);
    const sentBefore = mailer.sent.length;
    await sendWeeklyReports(['acme', 'globex'], new Deadline(), at(NOW + WEEK_MS), own);
    const corrections = mailer.sent.slice(sentBefore).filter((m) => m.subject.startsWith('Correction: '));
    expect(corrections.map((m) => [m.subject.replace(/: [^:]*$/, ''), m.to])).toEqual([
      ['Correction: Domo activity 2026-W47 (acme)', ['acme-sec@example.com']],
    ]);
    // Berlin's week and clock: the mail it corrects went out at 08:00 there.
    expect(corrections[0]?.text).toContain('Mon 16 Nov to Sun 22 Nov 2026, times in Europe/Berlin');
    expect(corrections[0]?.text.replace(/\s+/g, ' ')).toContain('mailed Mon 23 Nov 08:00');
  });

  it("starts no correction with less time left than the instance's own report took", async () => {
    const { store, engine, mailer, warnings, ingest } = lake();
    const at = (nowMs: number) => ({
      ...{ engine, store, mailer, clock: { now: () => nowMs } },
      log: { ...silentLog, warn: (message: string) => warnings.push(message) },
    });
    await sendWeeklyReports(['acme'], new Deadline(), at(NOW), settings);
    const queriesPerReport = engine.calls.length;
    ingest(168);
    // Each query takes 20 s of the function's time; the week's own report leaves 90 s, more than
    // the least a correction starts with, less than a report takes.
    const perQueryMs = 20_000;
    const start = engine.calls.length;
    const deadline = new Deadline(
      () => queriesPerReport * perQueryMs + 90_000 - (engine.calls.length - start) * perQueryMs,
    );
    const sentBefore = mailer.sent.length;
    const late = await sendWeeklyReports(['acme'], deadline, at(NOW + WEEK_MS), settings);
    expect(late.failures).toEqual([]);
    expect(mailer.sent.slice(sentBefore).map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Domo activity 2026-W48/),
    ]);
    expect(warnings).toContainEqual(expect.stringMatching(/^no time left to correct a week/));
  });
});

// Helper CORRTRIG: a correction went out only with a report run, the weekly schedule's next (a
// week later) or one invoked by hand, so recipients read a partial week for 7 days after the
// ingest caught up. The corrections schedule's run ({"correctionsOnly":true}) mails it within a day.
describe('a corrections-only run', () => {
  it('mails the correction of a week mailed partial once its hours arrive, once', async () => {
    const { mailer, counts, ingest, run, correct } = lake();
    await run(NOW);
    expect(mailer.sent.map((m) => m.subject)).toEqual([expect.stringMatching(/\[partial/)]);
    ingest(168);
    // Within 6 hours of the mail: too recent, nothing sent.
    expect((await correct(NOW + 3 * HOUR_MS)).outcomes).toEqual([]);
    const later = await correct(NOW + 7 * HOUR_MS);
    expect(later.failures).toEqual([]);
    expect(later.outcomes).toEqual([
      expect.objectContaining({ status: 'sent', isoWeek: '2026-W47', corrects: { coveredHours: 150 } }),
    ]);
    expect(mailer.sent.map((m) => m.subject)).toEqual([
      expect.stringMatching(/\[partial/),
      expect.stringMatching(/^Correction: Domo activity 2026-W47 \(acme\): /),
    ]);
    // The weekly run's report alone counts as sent: a correction is not the week's report.
    expect(counts).toEqual({ ReportSent: 1, ReportCorrectionSent: 1 });
    // The next days' runs find the correction sent for these hours.
    await correct(NOW + 31 * HOUR_MS);
    await correct(NOW + 55 * HOUR_MS);
    expect(mailer.sent).toHaveLength(2);
  });

  it("never mails a week's first report: a week with no report sent is left to the weekly run", async () => {
    const { store, engine, mailer, counts, correct } = lake(168);
    const result = await correct(NOW + HOUR_MS);
    expect(result).toEqual({ outcomes: [], failures: [] });
    expect(mailer.sent).toEqual([]);
    expect(engine.calls).toEqual([]);
    expect(await store.get(reportSentKey('acme', '2026-W47'))).toBeUndefined();
    expect(counts).toEqual({});
  });

  it('with nothing due starts no query, mails nothing and counts no report sent or skipped', async () => {
    const { engine, mailer, counts, run, correct } = lake();
    await run(NOW);
    const queries = engine.calls.length;
    // The week stays partial: the listing of its coverage finds no more hours.
    const result = await correct(NOW + 7 * HOUR_MS);
    expect(result).toEqual({ outcomes: [], failures: [] });
    expect(engine.calls).toHaveLength(queries);
    expect(mailer.sent).toHaveLength(1);
    expect(counts).toEqual({ ReportSent: 1 });
  });
});

// Review R2CORR: a corrections run has no own report to time, so every correction after the
// first started with 60 s left: an outage across a week's end leaves two weeks due, and the
// second correction was cut off by the timeout and failed the run (ReportErrors) for nothing.
describe('a corrections-only run with two weeks due', () => {
  it('starts no second correction with less time left than the first took', async () => {
    const { store, engine, mailer, warnings, ingest, run } = lake();
    const W46 = reportWeek('2026-W46', 'UTC');
    await run(NOW - WEEK_MS);
    await run(NOW);
    expect(mailer.sent.map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Domo activity 2026-W46 \(acme\) \[partial/),
      expect.stringMatching(/^Domo activity 2026-W47 \(acme\) \[partial/),
    ]);
    // The ingest catches up on both weeks.
    for (let h = 0; h < 168; h += 1)
      store.putNow(coverageKey('acme', W46.startMs + h * HOUR_MS), new TextEncoder().encode('{}'));
    ingest(168);
    const queriesPerReport = engine.calls.length / 2;
    // Each query takes 20 s; the first correction leaves 90 s, more than the least a correction
    // starts with, less than a report takes.
    const perQueryMs = 20_000;
    const start = engine.calls.length;
    const deadline = new Deadline(
      () => queriesPerReport * perQueryMs + 90_000 - (engine.calls.length - start) * perQueryMs,
    );
    const at = {
      ...{ engine, store, mailer, clock: { now: () => NOW + 7 * HOUR_MS } },
      log: { ...silentLog, warn: (message: string) => warnings.push(message) },
    };
    const corrections = await sendDueCorrections(['acme'], deadline, at, settings);
    expect(corrections.failures).toEqual([]);
    expect(corrections.outcomes).toEqual([expect.objectContaining({ status: 'sent', isoWeek: '2026-W46' })]);
    expect(warnings).toContainEqual(expect.stringMatching(/^no time left to correct a week/));
  });
});
