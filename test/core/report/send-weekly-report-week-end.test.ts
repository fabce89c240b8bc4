import { describe, expect, it } from 'vitest';
import { reportSentKey } from '../../../functions/core/lake/layout.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { sendWeeklyReport } from '../../../functions/core/report/send-weekly-report.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { FakeEngine } from './fake-engine.ts';

describe('sendWeeklyReport at the instant a week ends', () => {
  it('sends the real report of the week, not a preview', async () => {
    const store = new MemoryObjectStore();
    const sent: string[] = [];
    const deps = {
      engine: new FakeEngine(),
      store,
      mailer: {
        send: async (message: { subject: string }) => {
          sent.push(message.subject);
          return { messageId: 'm-1' };
        },
      },
      // Monday 00:00 UTC: 2026-W47 has just ended.
      clock: { now: () => Date.parse('2026-11-23T00:00:00Z') },
      log: silentLog,
    };
    const config = {
      instance: 'acme',
      timeZone: 'UTC',
      week: '2026-W47',
      from: 'r@example.com',
      to: ['s@example.com'],
    };
    const outcome = await sendWeeklyReport(deps, config);
    expect(outcome).toMatchObject({ status: 'sent', isoWeek: '2026-W47' });
    expect(store.objects.has(reportSentKey('acme', '2026-W47'))).toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toMatch(/preview/i);
  });
});
