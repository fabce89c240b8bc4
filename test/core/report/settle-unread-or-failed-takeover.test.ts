import { expect, it } from 'vitest';
import { reportSentKey } from '../../../functions/core/lake/layout.ts';
import { MailRejectedError } from '../../../functions/core/mail/mail-errors.ts';
import { type Mailer, silentLog } from '../../../functions/core/ports.ts';
import { ReportSendError } from '../../../functions/core/report/report-errors.ts';
import { sendWeeklyReport } from '../../../functions/core/report/send-weekly-report.ts';
import { encodeMarker, type SentMarker } from '../../../functions/core/report/sent-marker.ts';
import { reportFailureMessage } from '../../../functions/report/failure-message.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { sentMarker } from '../../support/sent-marker-fixture.ts';
import { FakeEngine } from './fake-engine.ts';

const MARKER = reportSentKey('acme', '2026-W47');
const config = { instance: 'acme', timeZone: 'UTC', from: 'r@example.com', to: ['s@example.com'] };
const resendIn = (state: SentMarker['state']) => encodeMarker(sentMarker(state, 'resend-run'));

/** A scheduled run whose mail is refused after `meddle` changed the lake; its error and the Lambda's message. */
async function refusedAfter(meddle: (store: MemoryObjectStore) => void) {
  const store = new MemoryObjectStore();
  const mailer: Mailer = {
    send: async () => {
      meddle(store);
      throw new MailRejectedError('SES refused: MessageRejected', 'MessageRejected');
    },
  };
  const deps = {
    engine: new FakeEngine(),
    store,
    mailer,
    clock: { now: () => Date.parse('2026-11-23T07:00:00Z') },
    log: silentLog,
  };
  const error = await sendWeeklyReport(deps, config).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ReportSendError))
    throw new Error(`expected a ReportSendError, got ${String(error)}`);
  return {
    error,
    lambda: reportFailureMessage({ instance: 'acme', isoWeek: '2026-W47', resend: false, error }),
  };
}

it("does not call a marker it could not read again this run's: whose the week is must be looked up", async () => {
  const { error, lambda } = await refusedAfter((store) => {
    store.putNow(MARKER, resendIn('sending'));
    // The re-read after the lost race fails (throttled past the SDK's retries).
    store.get = async () => {
      throw new Error('S3 GetObject failed: SlowDown');
    };
  });
  expect(error.markerState).toBe('unread');
  expect(error.message).toContain('could not be read again, so who holds the week is not known');
  expect(error.message).not.toContain('stays sending');
  expect(lambda).toMatch(
    /Once the marker shows this run's attempt: invoke the report function with \{"week":"2026-W47","instance":"acme","resend":true\}$/,
  );
});

it('leaves a week taken over by a run that failed too to a plain run, not to nobody', async () => {
  const { error, lambda } = await refusedAfter((store) => store.putNow(MARKER, resendIn('failed')));
  expect(error.markerState).toBe('failed');
  expect(error.message).toContain('took it over and failed too (state failed), which blocks nothing');
  expect(error.message).not.toContain('do not resend');
  expect(lambda).toMatch(/invoke the report function with \{"week":"2026-W47","instance":"acme"\}$/);
});

it('still tells nobody to resend a week another run took over and is sending', async () => {
  const { error, lambda } = await refusedAfter((store) => store.putNow(MARKER, resendIn('sending')));
  expect(error.markerState).toBe('taken-over');
  expect(lambda).not.toContain('invoke');
});
