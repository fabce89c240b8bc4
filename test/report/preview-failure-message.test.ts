import { describe, expect, it } from 'vitest';
import { Deadline } from '../../functions/core/deadline.ts';
import { MailRejectedError } from '../../functions/core/mail/mail-errors.ts';
import { type Mailer, silentLog } from '../../functions/core/ports.ts';
import { sendWeeklyReports } from '../../functions/core/report/send-weekly-reports.ts';
import { reportFailureMessage } from '../../functions/report/failure-message.ts';
import { FakeEngine } from '../core/report/fake-engine.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';

/** Refuses every mail the way SES throttling does. */
const refusingMailer: Mailer = {
  send: async () => {
    throw new MailRejectedError('SES refused the mail: TooManyRequestsException', 'TooManyRequestsException');
  },
};

/** The failure message of a run asked for `week` at `now` (UTC weeks) whose mail is refused. */
async function failureOf(now: string, week: string, zone = 'UTC'): Promise<string> {
  const ports = {
    engine: new FakeEngine(),
    store: new MemoryObjectStore(),
    mailer: refusingMailer,
    clock: { now: () => Date.parse(now) },
    log: silentLog,
  };
  const settings = { timeZone: zone, from: 'reports@example.com', to: ['sec@example.com'], week };
  const run = await sendWeeklyReports(['acme'], new Deadline(), ports, { ...settings, resend: true });
  const failure = run.failures[0];
  if (!failure) throw new Error('expected the refused preview to fail');
  return reportFailureMessage(failure);
}

describe('a preview the mail service refused', () => {
  // Invoking {"week","instance"} is no resend: while the week runs it mails the preview again;
  // once it is over it claims the week itself, perhaps before its last hours are in the lake.
  it('says nothing needs resending, and names the invocation that mails the preview again and until when', async () => {
    expect(await failureOf('2026-11-25T10:00:00Z', '2026-W48')).toBe(
      'the preview of the weekly report 2026-W48 of acme (a week not over yet: it ends Mon 30 Nov 00:00 UTC) could not be mailed: SES refused the mail: TooManyRequestsException; nothing needs resending: a preview is not the week\'s report, which is made as usual once the week is over. To mail the preview again, before Mon 30 Nov 00:00 UTC invoke the report function with {"week":"2026-W48","instance":"acme"}',
    );
  });

  it('gives the end of the week in the report zone', async () => {
    expect(await failureOf('2026-11-25T10:00:00Z', '2026-W48', 'America/Denver')).toMatch(
      /before Mon 30 Nov 00:00 America\/Denver invoke the report function with \{"week":"2026-W48","instance":"acme"\}$/,
    );
  });
});

describe('a preview whose mail has an unknown outcome', () => {
  // A timeout or an SES server error may have delivered it: worded as not mailed, the message had
  // the operator mail it again, perhaps twice.
  it('says it may have been delivered and to check before mailing it again', async () => {
    const ports = {
      engine: new FakeEngine(),
      store: new MemoryObjectStore(),
      mailer: {
        send: async () => {
          throw new Error('TimeoutError: socket hang up after 20000 ms');
        },
      },
      clock: { now: () => Date.parse('2026-11-25T10:00:00Z') },
      log: silentLog,
    };
    const settings = {
      timeZone: 'UTC',
      from: 'reports@example.com',
      to: ['sec@example.com'],
      week: '2026-W48',
    };
    const run = await sendWeeklyReports(['acme'], new Deadline(), ports, settings);
    const failure = run.failures[0];
    if (!failure) throw new Error('expected the preview to fail');
    expect(reportFailureMessage(failure)).toBe(
      'the preview of the weekly report 2026-W48 of acme (a week not over yet: it ends Mon 30 Nov 00:00 UTC) may have been mailed: sending it failed in a way that does not tell whether it was delivered (TimeoutError: socket hang up after 20000 ms); nothing needs resending: a preview is not the week\'s report, which is made as usual once the week is over. It may have been delivered: ask a recipient first, as mailing it again may deliver it twice. If it did not arrive, to mail it again, before Mon 30 Nov 00:00 UTC invoke the report function with {"week":"2026-W48","instance":"acme"}',
    );
  });
});
