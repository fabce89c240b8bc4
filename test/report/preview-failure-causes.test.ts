import { describe, expect, it } from 'vitest';
import { Deadline } from '../../functions/core/deadline.ts';
import { type Mailer, silentLog } from '../../functions/core/ports.ts';
import { ReportPreviewError } from '../../functions/core/report/report-errors.ts';
import { sendWeeklyReports } from '../../functions/core/report/send-weekly-reports.ts';
import { reportFailureMessage } from '../../functions/report/failure-message.ts';
import { FakeEngine } from '../core/report/fake-engine.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';

/** An engine whose every query fails the way a throttled Athena request does. */
class ThrottledEngine extends FakeEngine {
  override async run(): Promise<never> {
    throw new Error('Athena StartQueryExecution failed: TooManyRequestsException');
  }
}

const settings = { timeZone: 'UTC', from: 'reports@example.com', to: ['sec@example.com'] };
const THEN =
  'To mail the preview again, before Mon 30 Nov 00:00 UTC invoke the report function with {"week":"2026-W48","instance":"acme"}';

function portsAt(
  now: string,
  engine: FakeEngine,
  mailer: Mailer = { send: async () => ({ messageId: 'm' }) },
) {
  return {
    engine,
    store: new MemoryObjectStore(),
    mailer,
    clock: { now: () => Date.parse(now) },
    log: silentLog,
  };
}

/** The failure of a run for the preview week 2026-W48 asked as a resend on Wed 25 Nov. */
async function previewFailure(engine: FakeEngine, deadline: Deadline) {
  const run = await sendWeeklyReports(['acme'], deadline, portsAt('2026-11-25T10:00:00Z', engine), {
    ...settings,
    week: '2026-W48',
    resend: true,
  });
  const failure = run.failures[0];
  if (!failure) throw new Error('expected the preview to fail');
  return { error: failure.error, message: reportFailureMessage(failure) };
}

describe('a preview that fails before its mail', () => {
  // Worded as a week's failure it named {"week","instance","resend":true}: once the schedule has
  // mailed the week, doing as told mails it again.
  it('an Athena error is a preview failure: nothing to resend, the invocation without resend', async () => {
    const { error, message } = await previewFailure(new ThrottledEngine(), new Deadline());
    expect(error).toBeInstanceOf(ReportPreviewError);
    // Not made at all: the CLI must not send the user to its --out.
    expect(error).toMatchObject({ stage: 'build' });
    expect(message).toBe(
      `the preview of the weekly report 2026-W48 of acme (a week not over yet: it ends Mon 30 Nov 00:00 UTC) could not be mailed: Athena StartQueryExecution failed: TooManyRequestsException; nothing needs resending: a preview is not the week's report, which is made as usual once the week is over. ${THEN}`,
    );
  });

  it('queries stopped by the deadline: the reason, no run that sends the week, and the timeout advice', async () => {
    let checks = 0;
    // Enough to start the instance, then too little for the queries.
    const { error, message } = await previewFailure(
      new FakeEngine(),
      new Deadline(() => (checks++ < 1 ? 120_000 : 10_000)),
    );
    expect(error).toBeInstanceOf(ReportPreviewError);
    // Not made at all: the CLI must not send the user to its --out.
    expect(error).toMatchObject({ stage: 'build' });
    expect(message).toBe(
      `the preview of the weekly report 2026-W48 of acme (a week not over yet: it ends Mon 30 Nov 00:00 UTC) could not be mailed: its queries were given up with only 10 s left, and mailing it needs 30 s; nothing needs resending: a preview is not the week's report, which is made as usual once the week is over. ${THEN}; raise report.timeoutMinutes in cdk.json if this recurs`,
    );
  });

  it('an instance not started for lack of time is a preview failure too', async () => {
    const { error, message } = await previewFailure(new FakeEngine(), new Deadline(() => 1_000));
    expect(error).toBeInstanceOf(ReportPreviewError);
    // Not made at all: the CLI must not send the user to its --out.
    expect(error).toMatchObject({ stage: 'build' });
    expect(message).toBe(
      `the preview of the weekly report 2026-W48 of acme (a week not over yet: it ends Mon 30 Nov 00:00 UTC) could not be mailed: not started: only 1 s were left; nothing needs resending: a preview is not the week's report, which is made as usual once the week is over. ${THEN}; raise report.timeoutMinutes in cdk.json if this recurs`,
    );
  });

  it('doing as told after the schedule has mailed the week mails it once', async () => {
    const store = new MemoryObjectStore();
    const sent: string[] = [];
    const mailer: Mailer = {
      send: async (mail) => {
        sent.push(mail.subject);
        return { messageId: `m${sent.length}` };
      },
    };
    const at = (now: string, engine: FakeEngine) => ({ ...portsAt(now, engine, mailer), store });
    const failed = await sendWeeklyReports(
      ['acme'],
      new Deadline(),
      at('2026-11-28T10:00:00Z', new ThrottledEngine()),
      {
        ...settings,
        week: '2026-W48',
        resend: true,
      },
    );
    const told = reportFailureMessage(failed.failures[0] as (typeof failed.failures)[number]);
    // Monday: the schedule reports the week; later the operator invokes what the message named.
    await sendWeeklyReports(['acme'], new Deadline(), at('2026-11-30T06:00:00Z', new FakeEngine()), settings);
    const event = JSON.parse(told.slice(told.indexOf('{'))) as {
      week: string;
      instance: string;
      resend?: boolean;
    };
    await sendWeeklyReports([event.instance], new Deadline(), at('2026-11-30T09:00:00Z', new FakeEngine()), {
      ...settings,
      week: event.week,
      ...(event.resend ? { resend: true } : {}),
    });
    expect(sent).toHaveLength(1);
  });
});
