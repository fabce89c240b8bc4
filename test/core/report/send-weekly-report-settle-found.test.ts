import { describe, expect, it } from 'vitest';
import { reportKey, reportSentKey } from '../../../functions/core/lake/layout.ts';
import { MailRejectedError } from '../../../functions/core/mail/mail-errors.ts';
import { type Mailer, type MailMessage, silentLog } from '../../../functions/core/ports.ts';
import { ReportSendError } from '../../../functions/core/report/report-errors.ts';
import { sendWeeklyReport } from '../../../functions/core/report/send-weekly-report.ts';
import { encodeMarker } from '../../../functions/core/report/sent-marker.ts';
import { reportFailureMessage } from '../../../functions/report/failure-message.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { sentMarker } from '../../support/sent-marker-fixture.ts';
import { FakeEngine } from './fake-engine.ts';

const NOW = Date.parse('2026-11-23T07:00:00Z');
const MARKER = reportSentKey('acme', '2026-W47');
const config = { instance: 'acme', timeZone: 'UTC', from: 'r@example.com', to: ['s@example.com'] };

/** What another run does to the marker after this run claimed the week. */
const meddle = {
  // A resend took the week over.
  takenOver: (store: MemoryObjectStore) =>
    store.putNow(MARKER, encodeMarker(sentMarker('sending', 'resend-run'))),
  // Someone removed it.
  gone: (store: MemoryObjectStore) => store.objects.delete(MARKER),
};

/**
 * Runs the week with the marker meddled with once the week is claimed, and archiving (`archive`)
 * or the mail (`mail`, refused) failing then; returns the error and the Lambda's message of it.
 */
async function failAfter(what: keyof typeof meddle, where: 'archive' | 'mail') {
  const store = new MemoryObjectStore();
  const mailer: Mailer = {
    send: async (_message: MailMessage) => {
      meddle[what](store);
      throw new MailRejectedError('SES refused: MessageRejected', 'MessageRejected');
    },
  };
  if (where === 'archive') {
    store.beforePut = (key) => {
      if (key !== reportKey('acme', '2026-W47', 'html')) return;
      meddle[what](store);
      throw new Error('S3 503');
    };
  }
  const deps = { engine: new FakeEngine(), store, mailer, clock: { now: () => NOW }, log: silentLog };
  const error = await sendWeeklyReport(deps, config).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ReportSendError))
    throw new Error(`expected a ReportSendError, got ${String(error)}`);
  const lambda = reportFailureMessage({ instance: 'acme', isoWeek: '2026-W47', resend: false, error });
  return { error, lambda };
}

describe('a week whose marker could not be set to failed says what became of it', () => {
  for (const where of ['archive', 'mail'] as const) {
    it(`taken over by another run (${where}): that run's outcome is the week's, no resend`, async () => {
      const { error, lambda } = await failAfter('takenOver', where);
      expect(error.markerState).toBe('taken-over');
      expect(error.message).toContain(
        'it was taken over by attempt resend-run of another run (state sending)',
      );
      expect(error.message).toContain("its outcome is the week's; do not resend");
      expect(error.message).not.toMatch(/only a resend|stays sending|a run for this week sends it/);
      // No invocation: any would race the run that owns the week.
      expect(lambda).toBe(error.message);
    });

    it(`gone (${where}): a run for this week sends it`, async () => {
      const { error, lambda } = await failAfter('gone', where);
      expect(error.markerState).toBe('gone');
      expect(error.message).toContain(`the marker memory://lake/${MARKER} could not be set to failed`);
      expect(error.message).toContain('a run for this week sends it');
      expect(error.message).toContain('it is gone');
      expect(error.message).not.toMatch(/resend|stays sending/);
      expect(lambda).toMatch(/invoke the report function with \{"week":"2026-W47","instance":"acme"\}$/);
    });
  }
});
