import { describe, expect, it } from 'vitest';
import { reportKey, reportSentKey } from '../../../functions/core/lake/layout.ts';
import type { Mailer, MailMessage } from '../../../functions/core/ports.ts';
import { MailRejectedError } from '../../../functions/core/report/mail-errors.ts';
import { ReportSendError, sendWeeklyReport } from '../../../functions/core/report/send-weekly-report.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { FakeEngine } from './fake-engine.ts';

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

function setup() {
  const store = new MemoryObjectStore();
  const mailer = new FakeMailer();
  const engine = new FakeEngine();
  const counts: Record<string, number> = {};
  const logs: string[] = [];
  const deps = {
    engine,
    store,
    mailer,
    clock: { now: () => NOW },
    log: { debug() {}, info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error() {} },
    metrics: { count: (name: string, value: number) => (counts[name] = (counts[name] ?? 0) + value) },
  };
  const marker = async () => {
    const stored = await store.get(MARKER);
    return stored ? JSON.parse(new TextDecoder().decode(stored.body)) : undefined;
  };
  return { store, mailer, engine, counts, logs, deps, marker };
}

describe('sendWeeklyReport', () => {
  it('reports the last full week: archives HTML, text and JSON, claims the week, mails once, marks it sent', async () => {
    const { store, mailer, engine, counts, deps, marker } = setup();
    const outcome = await sendWeeklyReport(deps, config);
    expect(outcome).toMatchObject({
      status: 'sent',
      isoWeek: '2026-W47',
      messageId: 'msg-1',
      bytesScanned: 10_000,
    });
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({ from: config.from, to: config.to });
    expect(mailer.sent[0]?.subject).toBe(
      'Domo activity 2026-W47 (acme): 120 events (±0%), 1 suspicious login, 1 lockout',
    );
    for (const ext of ['html', 'txt', 'json'] as const)
      expect(store.objects.has(reportKey('acme', '2026-W47', ext))).toBe(true);
    const json = JSON.parse(
      new TextDecoder().decode(store.objects.get(reportKey('acme', '2026-W47', 'json'))?.body),
    );
    expect(json.week.isoWeek).toBe('2026-W47');
    // The claim is a create-only put, made after archiving and before mailing; the final update is conditional on it.
    const markerPuts = store.puts.filter((p) => p.key === MARKER);
    expect(markerPuts.map((p) => p.options.ifNoneMatch ?? (p.options.ifMatch ? 'if-match' : 'none'))).toEqual(
      ['*', 'if-match'],
    );
    expect(store.puts.findIndex((p) => p.key === MARKER)).toBeGreaterThan(
      store.puts.findIndex((p) => p.key === reportKey('acme', '2026-W47', 'json')),
    );
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

  it('lets the next run send after the mail service refused the mail (nothing was sent)', async () => {
    const { store, mailer, deps, marker } = setup();
    mailer.failures.push(new MailRejectedError('SES refused: MessageRejected', 'MessageRejected'));
    const first = sendWeeklyReport(deps, config);
    await expect(first).rejects.toThrow(ReportSendError);
    await expect(first).rejects.toThrow(/refused by the mail service and not sent .*the next run sends it/);
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
    await expect(first).rejects.toMatchObject({ markerState: 'unknown' });
    await expect(first).rejects.toThrow(/not resent automatically.*\{"week":"2026-W47","resend":true\}/);
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
