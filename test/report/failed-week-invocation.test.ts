import { describe, expect, it } from 'vitest';
import { Deadline } from '../../functions/core/deadline.ts';
import { reportSentKey } from '../../functions/core/lake/layout.ts';
import { MailRejectedError } from '../../functions/core/mail/mail-errors.ts';
import { type Mailer, type MailMessage, silentLog } from '../../functions/core/ports.ts';
import { sendWeeklyReports } from '../../functions/core/report/send-weekly-reports.ts';
import { reportEventSchema } from '../../functions/report/config.ts';
import { reportFailureMessage } from '../../functions/report/failure-message.ts';
import { FakeEngine } from '../core/report/fake-engine.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';

/** Refuses the first mail the way SES throttling does, then accepts. */
class ThrottledOnceMailer implements Mailer {
  sent: MailMessage[] = [];
  private refused = false;
  async send(message: MailMessage) {
    if (!this.refused) {
      this.refused = true;
      throw new MailRejectedError(
        'SES refused the mail: TooManyRequestsException (SES sending quota or rate exceeded)',
        'TooManyRequestsException',
      );
    }
    this.sent.push(message);
    return { messageId: `m${this.sent.length}` };
  }
}

const DAY_MS = 86_400_000;
const settings = { timeZone: 'UTC', from: 'reports@example.com', to: ['sec@example.com'] };

describe('a week the mail service refused', () => {
  it('is not sent by the next scheduled run, and the failure names the invocation that sends it', async () => {
    const store = new MemoryObjectStore();
    const mailer = new ThrottledOnceMailer();
    let now = Date.parse('2026-11-23T07:00:00Z'); // Monday 07:00: the schedule reports 2026-W47.
    const ports = { engine: new FakeEngine(), store, mailer, clock: { now: () => now }, log: silentLog };

    const first = await sendWeeklyReports(['acme'], new Deadline(), ports, settings);
    const failure = first.failures[0];
    if (!failure) throw new Error('expected the refused week to fail');
    const message = reportFailureMessage(failure);
    expect(message).not.toMatch(/next run/);
    expect(message).toMatch(
      /a run for this week sends it: invoke the report function with \{"week":"2026-W47","instance":"acme"\}$/,
    );

    // A week later the schedule's {} means 2026-W48: 2026-W47 stays failed.
    now += 7 * DAY_MS;
    const scheduled = await sendWeeklyReports(['acme'], new Deadline(), ports, settings);
    expect(scheduled.outcomes.map((o) => `${o.isoWeek} ${o.status}`)).toEqual(['2026-W48 sent']);
    const marker = await store.get(reportSentKey('acme', '2026-W47'));
    expect(JSON.parse(new TextDecoder().decode(marker?.body)).state).toBe('failed');

    // The invocation the message names sends it.
    const named = reportEventSchema.parse(JSON.parse(message.slice(message.lastIndexOf('{'))));
    expect(named).toEqual({ week: '2026-W47', instance: 'acme' });
    const asked = await sendWeeklyReports([named.instance ?? ''], new Deadline(), ports, {
      ...settings,
      ...(named.week ? { week: named.week } : {}),
    });
    expect(asked.outcomes.map((o) => `${o.isoWeek} ${o.status}`)).toEqual(['2026-W47 sent']);
    expect(mailer.sent.map((m) => m.subject.slice(0, 22))).toEqual([
      'Domo activity 2026-W48',
      'Domo activity 2026-W47',
    ]);
  });
});
