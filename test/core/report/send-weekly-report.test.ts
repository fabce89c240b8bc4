import { describe, expect, it } from 'vitest';
import { Deadline } from '../../../functions/core/deadline.ts';
import { reportKey, reportSentKey } from '../../../functions/core/lake/layout.ts';
import { MailRejectedError } from '../../../functions/core/mail/mail-errors.ts';
import type { Mailer, MailMessage } from '../../../functions/core/ports.ts';
import { REPORT_QUERY_COUNT } from '../../../functions/core/report/build-report-model.ts';
import { ReportSendError, ReportTimeError } from '../../../functions/core/report/report-errors.ts';
import { MIN_TIME_TO_SEND_MS, sendWeeklyReport } from '../../../functions/core/report/send-weekly-report.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { textWords } from '../../support/text-part.ts';
import { CONTRACT_ROWS, FakeEngine } from './fake-engine.ts';

const NOW = Date.parse('2026-11-23T07:00:00Z');
const MARKER = reportSentKey('acme', '2026-W47');
const config = {
  instance: 'acme',
  timeZone: 'UTC',
  from: 'Domo activity <reports@example.com>',
  to: ['security@example.com'],
};

class FakeMailer implements Mailer {
  readonly sent: MailMessage[] = [];
  failures: Error[] = [];
  async send(message: MailMessage) {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push(message);
    return { messageId: `msg-${this.sent.length}` };
  }
}

const ARCHIVE_KEYS = (['html', 'txt', 'json'] as const).map((ext) => reportKey('acme', '2026-W47', ext));

function setup(engine = new FakeEngine()) {
  const store = new MemoryObjectStore();
  const mailer = new FakeMailer();
  const counts: Record<string, number> = {};
  const logs: string[] = [];
  let now = NOW;
  const deps = {
    engine,
    store,
    mailer,
    clock: { now: () => now },
    log: { debug() {}, info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error() {} },
    metrics: { count: (name: string, value: number) => (counts[name] = (counts[name] ?? 0) + value) },
  };
  const marker = async () => {
    const stored = await store.get(MARKER);
    return stored ? JSON.parse(new TextDecoder().decode(stored.body)) : undefined;
  };
  const setNow = (ms: number) => {
    now = ms;
  };
  return { store, mailer, engine, counts, logs, deps, marker, setNow };
}

describe('sendWeeklyReport', () => {
  it('reports the last full week: archives HTML, text and JSON, claims the week, mails once, marks it sent', async () => {
    const { store, mailer, engine, counts, deps, marker } = setup();
    const outcome = await sendWeeklyReport(deps, config);
    expect(outcome).toMatchObject({
      status: 'sent',
      isoWeek: '2026-W47',
      messageId: 'msg-1',
      bytesScanned: 18_000, // 18 queries: the report's 10, logins_by_country, login_history, uncounted_sign_ins, failed_logins_by_ip, failed_logins_by_network, login_after_failures, admin_changes, bulk_data_movement
    });
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({ from: config.from, to: config.to });
    expect(mailer.sent[0]?.subject).toBe(
      'Domo activity 2026-W47 (acme): 1 suspicious login, 1 lockout, 1 spraying address, 120 events (±0%)',
    );
    for (const ext of ['html', 'txt', 'json'] as const)
      expect(store.objects.has(reportKey('acme', '2026-W47', ext))).toBe(true);
    const json = JSON.parse(
      new TextDecoder().decode(store.objects.get(reportKey('acme', '2026-W47', 'json'))?.body),
    );
    expect(json.week.isoWeek).toBe('2026-W47');
    // Its lake times with their zone, and the version saying so (report-model-json.ts).
    expect(json.schemaVersion).toBe(2);
    expect(json.suspiciousLogins[0].eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    // The claim is a create-only put, made before archiving and mailing; the final update is conditional on it.
    const markerPuts = store.puts.filter((p) => p.key === MARKER);
    expect(markerPuts.map((p) => p.options.ifNoneMatch ?? (p.options.ifMatch ? 'if-match' : 'none'))).toEqual(
      ['*', 'if-match'],
    );
    expect(store.puts.map((p) => p.key)).toEqual([MARKER, ...ARCHIVE_KEYS, MARKER]);
    expect(await marker()).toMatchObject({
      state: 'sent',
      messageId: 'msg-1',
      isoWeek: '2026-W47',
      recipients: 1,
    });
    expect(counts).toEqual({ ReportSent: 1 });
    // Every query of the week ran for acme with the week's UTC bounds.
    expect(engine.calls.find((c) => c.name === 'data_health')?.params).toMatchObject({
      instance: 'acme',
      from_ts: '2026-11-16 00:00:00.000',
      to_ts: '2026-11-23 00:00:00.000',
    });
  });

  it('does nothing on a retry once the week was sent: no query, no mail', async () => {
    const { mailer, engine, counts, deps } = setup();
    await sendWeeklyReport(deps, config);
    const calls = engine.calls.length;
    const again = await sendWeeklyReport(deps, config);
    expect(again).toMatchObject({ status: 'skipped', reason: 'sent' });
    expect(mailer.sent).toHaveLength(1);
    expect(engine.calls).toHaveLength(calls);
    expect(counts).toEqual({ ReportSent: 1, ReportSkipped: 1 });
  });

  it('does not mail when another run wins the claim (the create-only put is answered 412)', async () => {
    const { store, mailer, counts, deps } = setup();
    store.beforePut = (key) => {
      // A concurrent invocation claims the week between our check and our claim.
      if (key === MARKER && !store.objects.has(MARKER)) store.putNow(MARKER, new TextEncoder().encode('{}'));
    };
    const outcome = await sendWeeklyReport(deps, config);
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'claimed' });
    expect(mailer.sent).toHaveLength(0);
    expect(counts).toEqual({ ReportSkipped: 1 });
    // The loser writes nothing but its refused claim.
    expect(store.puts.map((p) => p.key)).toEqual([MARKER]);
  });

  it("never overwrites the winner's archive when it loses the claim", async () => {
    const { store, mailer, deps } = setup();
    const winners = new Map(ARCHIVE_KEYS.map((key) => [key, new TextEncoder().encode(`winner's ${key}`)]));
    store.beforePut = (key) => {
      // The other run claimed the week, archived its report and mailed it while this one queried.
      if (key === MARKER && !store.objects.has(MARKER)) {
        store.putNow(MARKER, new TextEncoder().encode('{}'));
        for (const [archived, body] of winners) store.putNow(archived, body);
      }
    };
    await expect(sendWeeklyReport(deps, config)).resolves.toMatchObject({ reason: 'claimed' });
    expect(mailer.sent).toHaveLength(0);
    for (const [key, body] of winners) expect(store.objects.get(key)?.body, key).toEqual(body);
  });

  it('releases the claim as failed when archiving fails, so nothing is mailed and a run for the week sends', async () => {
    const { store, mailer, deps, marker } = setup();
    store.beforePut = (key) => {
      if (key.endsWith('.txt')) throw new Error('AccessDenied');
    };
    const first = sendWeeklyReport(deps, config);
    await expect(first).rejects.toMatchObject({ markerState: 'failed' });
    await expect(first).rejects.toThrow(
      /archiving it .* failed \(AccessDenied\); nothing was mailed, so a run for this week sends it/,
    );
    expect(mailer.sent).toHaveLength(0);
    expect(await marker()).toMatchObject({ state: 'failed', error: 'archiving failed: AccessDenied' });
    store.beforePut = undefined;
    await expect(sendWeeklyReport(deps, config)).resolves.toMatchObject({ status: 'sent' });
    expect(mailer.sent).toHaveLength(1);
  });

  it('does not claim the week with too little time left to send it, so a later run can', async () => {
    const { store, mailer, engine, deps } = setup();
    let remaining = MIN_TIME_TO_SEND_MS - 1;
    // Time runs short only once all the report's queries have run.
    const short = {
      ...deps,
      deadline: new Deadline(() => (engine.calls.length < REPORT_QUERY_COUNT ? 200_000 : remaining)),
    };
    const run = sendWeeklyReport(short, config);
    await expect(run).rejects.toThrow(
      /2026-W47 of acme was not sent: only 29 s were left after the queries, .*needs 30 s\. Nothing was claimed or mailed, so a run for this week sends it$/,
    );
    await expect(run).rejects.toMatchObject({
      stage: 'claim',
      remainingMs: remaining,
      neededMs: 30_000,
      week: { instance: 'acme', isoWeek: '2026-W47' },
    });
    await expect(run).rejects.toBeInstanceOf(ReportTimeError);
    expect(store.puts).toEqual([]);
    expect(mailer.sent).toHaveLength(0);
    remaining = MIN_TIME_TO_SEND_MS;
    await expect(sendWeeklyReport(short, config)).resolves.toMatchObject({ status: 'sent' });
    expect(mailer.sent).toHaveLength(1);
  });

  it('starts no query, and stops the running ones, with too little time left to send: nothing is claimed', async () => {
    const { store, mailer, engine, deps } = setup();
    let remaining = 200_000;
    const run = sendWeeklyReport(
      {
        ...deps,
        engine: {
          run: async (name, params) => {
            // The fifth query uses up all but less than the mail needs: no later one starts.
            if (engine.calls.length === 4) remaining = MIN_TIME_TO_SEND_MS - 1;
            return engine.run(name, params);
          },
        },
        deadline: new Deadline(() => remaining),
      },
      config,
    );
    await expect(run).rejects.toThrow(
      /^the weekly report 2026-W47 of acme was not sent: its queries were given up with only 29 s left .*needs 30 s\. Nothing was claimed or mailed, so a run for this week sends it$/,
    );
    await expect(run).rejects.toMatchObject({
      stage: 'queries',
      week: { instance: 'acme', isoWeek: '2026-W47' },
    });
    expect(engine.calls).toHaveLength(5);
    expect(store.puts).toEqual([]);
    expect(mailer.sent).toHaveLength(0);
  });

  it('mails a week that has not ended as a labelled preview: no marker, no archive, and the week is still reported once it ends', async () => {
    const { store, mailer, counts, deps, setNow } = setup();
    // Wednesday of W48: a manual test run names the current week.
    setNow(Date.parse('2026-11-25T10:00:00Z'));
    const preview = await sendWeeklyReport(deps, { ...config, week: '2026-W48' });
    expect(preview).toMatchObject({ status: 'preview', isoWeek: '2026-W48', messageId: 'msg-1' });
    expect(mailer.sent[0]?.subject).toMatch(
      /^Domo activity 2026-W48 \(acme\) \[preview: week in progress\]: /,
    );
    expect(mailer.sent[0]?.text).toMatch(
      /^Domo activity 2026-W48, instance acme \(preview: week in progress\)\n/,
    );
    expect(textWords(mailer.sent[0]?.text ?? '')).toContain(
      "NOTE: This is a preview, not the week's report: 2026-W48 is not over yet",
    );
    expect(textWords(mailer.sent[0]?.text ?? '')).toMatch(
      /of the week so far, so they fall short of the whole week before;/,
    );
    expect(mailer.sent[0]?.html).toContain('Domo activity, 2026-W48 (preview: week in progress)');
    expect(store.puts).toEqual([]);
    expect(counts).toEqual({});
    // Resending changes nothing about that: a week in progress is never claimed.
    await expect(
      sendWeeklyReport(deps, { ...config, week: '2026-W48', resend: true }),
    ).resolves.toMatchObject({
      status: 'preview',
    });
    expect(store.puts).toEqual([]);

    // The Monday after, the scheduled run reports W48 as usual, exactly once.
    setNow(Date.parse('2026-11-30T07:00:00Z'));
    await expect(sendWeeklyReport(deps, config)).resolves.toMatchObject({
      status: 'sent',
      isoWeek: '2026-W48',
    });
    await expect(sendWeeklyReport(deps, config)).resolves.toMatchObject({
      status: 'skipped',
      reason: 'sent',
    });
    expect(mailer.sent.map((m) => m.subject.includes('preview'))).toEqual([true, true, false]);
    expect(counts).toEqual({ ReportSent: 1, ReportSkipped: 1 });
  });

  it('labels a preview of a week in progress that has no data yet', async () => {
    const empty = new FakeEngine({
      ...CONTRACT_ROWS,
      data_health: [{ ...CONTRACT_ROWS.data_health?.[0], covered_hours: 0, events: 0 }],
    });
    const { mailer, deps, setNow } = setup(empty);
    setNow(Date.parse('2026-11-23T09:00:00Z'));
    await expect(sendWeeklyReport(deps, { ...config, week: '2026-W48' })).resolves.toMatchObject({
      status: 'preview',
    });
    expect(mailer.sent[0]?.subject).toBe(
      'Domo activity 2026-W48 (acme) [preview: week in progress]: no data for this week',
    );
    expect(mailer.sent[0]?.text).toContain("NOTE: This is a preview, not the week's report");
  });

  it('fails a preview the mail service refused without touching the marker', async () => {
    const { store, mailer, deps, setNow } = setup();
    setNow(Date.parse('2026-11-25T10:00:00Z'));
    mailer.failures.push(new MailRejectedError('SES refused: MessageRejected', 'MessageRejected'));
    await expect(sendWeeklyReport(deps, { ...config, week: '2026-W48' })).rejects.toThrow(
      /preview of the weekly report 2026-W48 of acme .*could not be mailed: SES refused/,
    );
    expect(store.puts).toEqual([]);
  });

  it('treats a crash mid-send (marker left at "sending") as possibly sent: at most once', async () => {
    const { store, mailer, deps } = setup();
    store.beforePut = (key) => {
      if (key === MARKER && store.objects.has(MARKER)) throw new Error('Lambda timed out');
    };
    // The claim succeeds, the mail goes, then the marker update never happens (the run dies).
    await expect(sendWeeklyReport(deps, config)).resolves.toMatchObject({ status: 'sent' });
    store.beforePut = undefined;
    const stuck = new FakeMailer();
    await expect(sendWeeklyReport({ ...deps, mailer: stuck }, config)).resolves.toMatchObject({
      status: 'skipped',
      reason: 'sending',
    });
    expect(mailer.sent).toHaveLength(1);
    expect(stuck.sent).toHaveLength(0);
  });

  it('lets a run for the week send after the mail service refused the mail (nothing was sent)', async () => {
    const { store, mailer, deps, marker } = setup();
    mailer.failures.push(new MailRejectedError('SES refused: MessageRejected', 'MessageRejected'));
    const first = sendWeeklyReport(deps, config);
    await expect(first).rejects.toThrow(ReportSendError);
    await expect(first).rejects.toThrow(
      /refused by the mail service and not sent .*fix the cause, then a run for this week sends it$/,
    );
    expect(await marker()).toMatchObject({ state: 'failed', error: 'SES refused: MessageRejected' });
    const failedEtag = store.objects.get(MARKER)?.etag;

    const retry = await sendWeeklyReport(deps, config);
    expect(retry).toMatchObject({ status: 'sent' });
    expect(mailer.sent).toHaveLength(1);
    // The retry took the failed marker over with If-Match on its ETag, not blindly.
    expect(store.puts.filter((p) => p.key === MARKER).map((p) => p.options.ifMatch)).toContain(failedEtag);
    expect(await marker()).toMatchObject({ state: 'sent' });
  });

  it('does not resend automatically when it is unknown whether the mail went out; resend: true does', async () => {
    const { mailer, deps, marker } = setup();
    mailer.failures.push(new Error('socket hang up'));
    const first = sendWeeklyReport(deps, config);
    await expect(first).rejects.toMatchObject({
      markerState: 'unknown',
      week: { instance: 'acme', isoWeek: '2026-W47' },
    });
    await expect(first).rejects.toThrow(
      /\(socket hang up\); it is not resent automatically: check the inbox$/,
    );
    expect(await marker()).toMatchObject({ state: 'unknown', error: 'socket hang up' });

    await expect(sendWeeklyReport(deps, config)).resolves.toMatchObject({
      status: 'skipped',
      reason: 'unknown',
    });
    expect(mailer.sent).toHaveLength(0);

    await expect(
      sendWeeklyReport(deps, { ...config, week: '2026-W47', resend: true }),
    ).resolves.toMatchObject({
      status: 'sent',
    });
    expect(mailer.sent).toHaveLength(1);
  });

  it('a resend the mail service refused puts back the archive of the mail recipients hold', async () => {
    const { store, mailer, deps } = setup();
    await sendWeeklyReport(deps, config);
    // The archive as the week's mail had it (made unlike the resend's, to tell them apart).
    const mailed = ARCHIVE_KEYS.map((key) => new TextEncoder().encode(`mailed ${key}`));
    for (const [i, key] of ARCHIVE_KEYS.entries()) store.putNow(key, mailed[i] as Uint8Array);
    mailer.failures.push(new MailRejectedError('SES refused: MessageRejected', 'MessageRejected'));
    await expect(sendWeeklyReport(deps, { ...config, week: '2026-W47', resend: true })).rejects.toThrow(
      /refused by the mail service.*a run for this week sends it$/,
    );
    expect(await Promise.all(ARCHIVE_KEYS.map(async (key) => (await store.get(key))?.body))).toEqual(mailed);
    // Put back as written: the same content type, and only over this run's own write.
    const restores = store.puts.filter(
      (p) => p.options.ifMatch !== undefined && ARCHIVE_KEYS.includes(p.key),
    );
    expect(restores.map((p) => p.options.contentType)).toEqual([
      'text/html; charset=utf-8',
      'text/plain; charset=utf-8',
      'application/json',
    ]);

    // A resend delivered replaces them.
    await sendWeeklyReport(deps, { ...config, week: '2026-W47', resend: true });
    expect(new TextDecoder().decode((await store.get(ARCHIVE_KEYS[1] as string))?.body)).toMatch(
      /^Domo activity/,
    );
  });

  it('says so when a refused mail could not put the archive back', async () => {
    const { store, mailer, deps } = setup();
    await sendWeeklyReport(deps, config);
    store.beforePut = (key) => {
      if (key === ARCHIVE_KEYS[0] && store.puts.at(-1)?.options.ifMatch) throw new Error('SlowDown');
    };
    mailer.failures.push(new MailRejectedError('SES refused: MessageRejected', 'MessageRejected'));
    await expect(sendWeeklyReport(deps, { ...config, week: '2026-W47', resend: true })).rejects.toThrow(
      /The archive could not be put back to the report its recipients hold, and holds the refused one: memory:\/\/lake\/reports\/.*2026-W47\.html \(SlowDown\); the bucket's earlier version of each is the one mailed$/,
    );
  });

  it('mails once when two deliberate resends race: the second loses the If-Match', async () => {
    const { store, mailer, deps } = setup();
    await sendWeeklyReport(deps, config);
    let raced = false;
    store.beforePut = (key) => {
      if (key === MARKER && !raced) {
        raced = true;
        // The other resend's claim lands first and changes the marker's ETag.
        store.putNow(MARKER, new TextEncoder().encode('{"other":"resend"}'));
      }
    };
    const outcome = await sendWeeklyReport(deps, { ...config, resend: true });
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'claimed' });
    expect(mailer.sent).toHaveLength(1);
  });

  it('treats an unreadable marker as blocking', async () => {
    const { store, mailer, deps } = setup();
    store.putNow(MARKER, new TextEncoder().encode('not json'));
    await expect(sendWeeklyReport(deps, config)).resolves.toMatchObject({
      status: 'skipped',
      reason: 'unknown',
    });
    expect(mailer.sent).toHaveLength(0);
  });

  it('reports a chosen week in the configured zone', async () => {
    const { engine, deps } = setup();
    const outcome = await sendWeeklyReport(deps, { ...config, timeZone: 'Asia/Tokyo', week: '2026-W45' });
    expect(outcome).toMatchObject({ status: 'sent', isoWeek: '2026-W45' });
    expect(engine.calls.find((c) => c.name === 'period_totals')?.params).toMatchObject({
      from_ts: '2026-11-01 15:00:00.000',
      to_ts: '2026-11-08 15:00:00.000',
      from_dt: '2026-11-01',
      to_dt: '2026-11-08',
    });
    expect(engine.calls.find((c) => c.name === 'daily_activity')?.params.time_zone).toBe('Asia/Tokyo');
  });
});
