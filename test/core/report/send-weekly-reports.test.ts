import { describe, expect, it } from 'vitest';
import { Deadline } from '../../../functions/core/deadline.ts';
import { reportSentKey } from '../../../functions/core/lake/layout.ts';
import type { Mailer, MailMessage } from '../../../functions/core/ports.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { ReportTimeError } from '../../../functions/core/report/report-errors.ts';
import {
  MIN_TIME_PER_INSTANCE_MS,
  sendWeeklyReports,
} from '../../../functions/core/report/send-weekly-reports.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { FakeEngine } from './fake-engine.ts';

const NOW = Date.parse('2026-11-23T07:00:00Z');
const settings = { timeZone: 'UTC', from: 'reports@example.com', to: ['security@example.com'] };

class ListMailer implements Mailer {
  readonly sent: MailMessage[] = [];
  failFor?: string;
  async send(message: MailMessage) {
    if (this.failFor && message.subject.includes(`(${this.failFor})`)) throw new Error('socket hang up');
    this.sent.push(message);
    return { messageId: `m-${this.sent.length}` };
  }
}

function ports() {
  const store = new MemoryObjectStore();
  const mailer = new ListMailer();
  const counts: Record<string, Record<string, number>> = {};
  return {
    store,
    mailer,
    counts,
    ports: {
      engine: new FakeEngine(),
      store,
      mailer,
      clock: { now: () => NOW },
      log: silentLog,
      metricsFor: (instance: string) => ({
        count: (name: string, value: number) => {
          counts[instance] = { ...counts[instance], [name]: (counts[instance]?.[name] ?? 0) + value };
        },
      }),
    },
  };
}

describe('sendWeeklyReports', () => {
  it('reports each instance once per week, however many runs overlap', async () => {
    const { ports: p, mailer, counts } = ports();
    // Two runs started together (a retry beside the schedule) race for the same weeks.
    const [first, second] = await Promise.all([
      sendWeeklyReports(['acme', 'globex'], new Deadline(), p, settings),
      sendWeeklyReports(['acme', 'globex'], new Deadline(), p, settings),
    ]);
    expect(mailer.sent.map((m) => m.subject.match(/\((\w+)\)/)?.[1]).sort()).toEqual(['acme', 'globex']);
    const statuses = [...(first?.outcomes ?? []), ...(second?.outcomes ?? [])].map(
      (o) => `${o.instance} ${o.status}`,
    );
    expect(statuses.sort()).toEqual(['acme sent', 'acme skipped', 'globex sent', 'globex skipped']);
    expect(counts).toEqual({
      acme: { ReportSent: 1, ReportSkipped: 1 },
      globex: { ReportSent: 1, ReportSkipped: 1 },
    });
  });

  it("keeps going after one instance's failure and returns it unworded", async () => {
    const { ports: p, mailer } = ports();
    mailer.failFor = 'acme';
    const run = await sendWeeklyReports(['acme', 'globex'], new Deadline(), p, settings);
    expect(run.outcomes.map((o) => [o.instance, o.status])).toEqual([['globex', 'sent']]);
    expect(run.failures).toMatchObject([{ instance: 'acme', error: { markerState: 'unknown' } }]);
  });

  it('records and logs the week each failure was for, so any error can name the run that sends it', async () => {
    const { ports: p } = ports();
    const errors: { message: string; fields?: Record<string, unknown> }[] = [];
    p.log = { ...silentLog, error: (message, fields) => errors.push({ message, fields }) };
    const throttled = new Error('Athena StartQueryExecution failed: TooManyRequestsException: Rate exceeded');
    p.engine.run = async () => {
      throw throttled;
    };
    const run = await sendWeeklyReports(['acme'], new Deadline(), p, settings);
    expect(run.failures).toEqual([
      { instance: 'acme', isoWeek: '2026-W47', resend: false, error: throttled },
    ]);
    expect(errors).toEqual([
      {
        message: 'weekly report failed',
        fields: { instance: 'acme', isoWeek: '2026-W47', resend: false, error: throttled.message },
      },
    ]);
    const resent = await sendWeeklyReports(['acme'], new Deadline(), p, {
      ...settings,
      week: '2026-W45',
      resend: true,
    });
    expect(resent.failures).toMatchObject([{ instance: 'acme', isoWeek: '2026-W45', resend: true }]);
  });

  // The week a failure names is the run's, from the same clock reading: a week worked out apart
  // from the run would name the week after it once the clock moved on past a week's end.
  it('names in each failure the week its run was for, though the last full week moved on meanwhile', async () => {
    const { ports: p, mailer, store } = ports();
    const nextWeek = NOW + 7 * 24 * 3_600_000;
    let readings = 0;
    // The first reading is acme's run's, every later one a week on (globex's, and the markers' times).
    p.clock = { now: () => (readings++ === 0 ? NOW : nextWeek) };
    mailer.send = async () => {
      throw new Error('socket hang up');
    };
    const run = await sendWeeklyReports(['acme', 'globex'], new Deadline(), p, settings);
    expect(run.failures.map((f) => [f.instance, f.isoWeek])).toEqual([
      ['acme', '2026-W47'],
      ['globex', '2026-W48'],
    ]);
    // Each week is the one whose marker its run left (`unknown`: the mail's fate is not known).
    expect([...store.objects.keys()].filter((key) => key.includes('sent')).sort()).toEqual([
      reportSentKey('acme', '2026-W47'),
      reportSentKey('globex', '2026-W48'),
    ]);
  });

  it('names the week asked for as given when it is no week, failing that instance only', async () => {
    const { ports: p } = ports();
    const run = await sendWeeklyReports(['acme', 'globex'], new Deadline(), p, {
      ...settings,
      week: '2026-W54',
    });
    expect(run.outcomes).toEqual([]);
    expect(run.failures.map((f) => [f.instance, f.isoWeek, String(f.error)])).toEqual(
      ['acme', 'globex'].map((instance) => [
        instance,
        '2026-W54',
        'Error: week "2026-W54" does not exist: 2026 has ISO weeks 01 to 53',
      ]),
    );
  });

  it('does not start an instance with too little time left, and fails it with the figures', async () => {
    const { ports: p, mailer } = ports();
    let left = 200_000;
    const deadline = new Deadline(() => left);
    p.metricsFor = () => ({
      count: () => {
        left = MIN_TIME_PER_INSTANCE_MS - 1;
      },
    });
    const run = await sendWeeklyReports(['acme', 'globex'], deadline, p, settings);
    expect(run.outcomes.map((o) => o.instance)).toEqual(['acme']);
    expect(mailer.sent).toHaveLength(1);
    const error = run.failures[0]?.error;
    expect(run.failures[0]?.instance).toBe('globex');
    expect(error).toBeInstanceOf(ReportTimeError);
    expect(error).toMatchObject({ stage: 'start', remainingMs: 59_999, neededMs: MIN_TIME_PER_INSTANCE_MS });
  });
});
