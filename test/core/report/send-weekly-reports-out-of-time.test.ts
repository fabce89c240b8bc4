import { describe, expect, it } from 'vitest';
import { Deadline } from '../../../functions/core/deadline.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { ReportTimeError } from '../../../functions/core/report/report-errors.ts';
import { sendWeeklyReports } from '../../../functions/core/report/send-weekly-reports.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { FakeEngine } from './fake-engine.ts';

describe('sendWeeklyReports out of time', () => {
  it('lists every instance it could not start, not just the first', async () => {
    const mailer = {
      send: async () => {
        throw new Error('no instance should be started');
      },
    };
    const ports = {
      engine: new FakeEngine(),
      store: new MemoryObjectStore(),
      mailer,
      clock: { now: () => Date.parse('2026-11-23T07:00:00Z') },
      log: silentLog,
    };
    const settings = { timeZone: 'UTC', from: 'reports@example.com', to: ['security@example.com'] };
    const run = await sendWeeklyReports(
      ['acme', 'globex', 'initech'],
      new Deadline(() => 10_000),
      ports,
      settings,
    );
    expect(run.outcomes).toEqual([]);
    expect(run.failures.map((f) => f.instance)).toEqual(['acme', 'globex', 'initech']);
    for (const failure of run.failures) expect(failure.error).toBeInstanceOf(ReportTimeError);
    // A plain run is what sends these weeks.
    expect(run.failures.map((f) => (f.error as ReportTimeError).resend)).toEqual([false, false, false]);
  });

  it('marks an instance a resend could not start as a resend: a plain run would skip its week', async () => {
    const ports = {
      engine: new FakeEngine(),
      store: new MemoryObjectStore(),
      mailer: { send: async () => ({ messageId: 'never' }) },
      clock: { now: () => Date.parse('2026-11-23T07:00:00Z') },
      log: silentLog,
    };
    const settings = { timeZone: 'UTC', from: 'r@example.com', to: ['s@example.com'], resend: true };
    const run = await sendWeeklyReports(['acme'], new Deadline(() => 10_000), ports, settings);
    expect(run.failures[0]?.error).toMatchObject({ stage: 'start', resend: true });
  });
});
