import { beforeAll, describe, expect, it } from 'vitest';
import type { AlertChannel, AlertMessage } from '../../functions/core/alerts/alert-channel.ts';
import { runAlerts } from '../../functions/core/alerts/run-alerts.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { DEFAULT_ALERT_SETTINGS } from '../../functions/core/queries/alert-settings.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { costNoteRow } from '../support/cost-notes.ts';
import {
  DAY0,
  HOURS_COUNTED,
  MINUTE,
  RUNS_AN_HOUR,
  SCHEDULED_RUNS,
  scheduledAt,
  scheduledIngestRun,
  scheduledViews,
} from '../support/counted-schedule.ts';
import { CountingStore, type RequestCounts } from '../support/counting-store.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../support/memory-audit-source.ts';

// review ALERTCOST (2026-12-07): the cost notes priced the alerts at "10-20 S3 GETs and 1-3 PUTs"
// a run, never counted. This test runs the alerts after each scheduled ingest run on the defaults,
// as the deployed function is started, against a store that counts each call as the S3 request it
// would make, and holds the Alerts row's figures and the S3 requests they add to the count.
const alertsRow = costNoteRow('| Alerts (when enabled) ');
const perServiceRequests = costNoteRow('| S3 requests ');

/** A channel that answers at once, as SNS or SES would: it makes no S3 request of its own. */
class AnsweringChannel implements AlertChannel {
  readonly messages: AlertMessage[] = [];
  constructor(readonly name: string) {}

  async deliver(message: AlertMessage): Promise<{ messageId: string }> {
    this.messages.push(message);
    return { messageId: `m${this.messages.length}` };
  }
}

interface AlertsRun {
  counts: RequestCounts;
  hoursEvaluated: number;
  delivered: number;
}

const total = (c: RequestCounts) => c.GET + c.HEAD + c.LIST + c.PUT;

/**
 * The alerts runs of the schedule (ingest runs 15 minutes apart from 00:07, the first a backfill of
 * the day before, 60 events an hour; an alerts run after each), each with the requests it made:
 * for 8 hours after the backfill's hour, or until a run delivers an alert with `untilDelivered`.
 * With `late`, an event of 2 hours before is added before each run that pulls a new hour: the
 * ingest's lookback finds it and rewrites that hour, as late events do.
 */
async function schedule(extra: MemoryEntry[], channelNames: string[], untilDelivered = false, late = false) {
  const source = new MemoryAuditSource([...scheduledViews(), ...extra].sort((a, b) => a.timeMs - b.timeMs));
  const store = new CountingStore();
  const channels = channelNames.map((name) => new AnsweringChannel(name));
  const runs: AlertsRun[] = [];
  for (let run = 0; run < SCHEDULED_RUNS; run++) {
    const now = scheduledAt(run);
    if (late && run % RUNS_AN_HOUR === 1) source.add(viewEntry(now - 2 * HOUR_MS, run));
    await scheduledIngestRun(source, store, now);
    const before = { ...store.counts };
    const sent = channels[0]?.messages.length ?? 0;
    const alerts = await runAlerts(
      { store, clock: { now: () => now }, log: silentLog, channels },
      { instance: 'acme', settings: DEFAULT_ALERT_SETTINGS, runId: `run-${now}` },
    );
    const delivered = (channels[0]?.messages.slice(sent) ?? []).flatMap((m) => [...m.alerts]).length;
    runs.push({ counts: store.since(before), hoursEvaluated: alerts.hoursEvaluated, delivered });
    if (untilDelivered && delivered > 0) break;
  }
  return runs;
}

const LOCKED_AT = DAY0 + HOUR_MS + 5 * MINUTE;
const lockout: MemoryEntry = {
  timeMs: LOCKED_AT,
  entry: {
    actionType: 'LOCKED_OUT',
    eventText: 'User locked out',
    userId: '7',
    userName: 'Ada',
    time: LOCKED_AT,
  },
};

/** The one kind of run among `runs`, by its counts: each kind makes the same requests every time. */
function oneKind(runs: AlertsRun[]): RequestCounts {
  const kinds = new Set(runs.map((run) => JSON.stringify(run.counts)));
  expect([...kinds]).toHaveLength(1);
  return (runs[0] as AlertsRun).counts;
}

const more = (a: RequestCounts, b: RequestCounts): RequestCounts => ({
  GET: a.GET - b.GET,
  HEAD: a.HEAD - b.HEAD,
  LIST: a.LIST - b.LIST,
  PUT: a.PUT - b.PUT,
});

const spaced = (n: number) =>
  n >= 1000 ? `${Math.floor(n / 1000)} ${String(n % 1000).padStart(3, '0')}` : String(n);

describe("the cost notes' S3 request counts of the alerts (docs/operations.md) match the runs'", () => {
  let first: RequestCounts;
  let idle: RequestCounts;
  let evaluating: RequestCounts;
  let raisingSns: RequestCounts;
  let raisingBoth: RequestCounts;
  let lateHour: RequestCounts;
  beforeAll(async () => {
    const quiet = await schedule([], ['sns']);
    expect(quiet.every((run) => run.delivered === 0)).toBe(true);
    first = (quiet[0] as AlertsRun).counts;
    const steady = quiet.slice(RUNS_AN_HOUR);
    idle = oneKind(steady.filter((run) => run.hoursEvaluated === 0));
    evaluating = oneKind(steady.filter((run) => run.hoursEvaluated > 0));
    expect(steady.filter((run) => run.hoursEvaluated > 0)).toHaveLength(HOURS_COUNTED);
    const raised = async (channels: string[]) => {
      const runs = await schedule([lockout], channels, true);
      const last = runs.at(-1) as AlertsRun;
      expect(last.delivered).toBe(1);
      return last.counts;
    };
    const busy = (await schedule([], ['sns'], false, true)).slice(RUNS_AN_HOUR);
    const rechecking = busy.filter((run) => run.hoursEvaluated > 0);
    expect(rechecking.every((run) => run.hoursEvaluated === 2)).toBe(true);
    lateHour = more(oneKind(rechecking), evaluating);
    raisingSns = await raised(['sns']);
    raisingBoth = await raised(['sns', 'email']);
  });

  it('count a run with no new hour and one that evaluates the hour just pulled, in the Alerts row', () => {
    expect(idle).toEqual({ GET: idle.GET, HEAD: 0, LIST: 0, PUT: 0 });
    expect(alertsRow).toContain(
      `${idle.GET} GETs in a run with no new hour to evaluate (three runs in four)`,
    );
    expect(alertsRow).toContain(
      `${total(evaluating)} in one that evaluates the hour the ingest pulled (${evaluating.GET} GETs, ${evaluating.HEAD} HEAD, ${evaluating.LIST} LIST and ${evaluating.PUT} PUTs)`,
    );
  });

  it("count a day's requests and their price, in the Alerts row and the per-service S3 row", () => {
    const day = (kind: keyof RequestCounts) => 24 * evaluating[kind] + 72 * idle[kind];
    const dayText = `${spaced(day('GET'))} GETs, ${day('HEAD')} HEADs, ${day('LIST')} LISTs and ${day('PUT')} PUTs a day`;
    expect(alertsRow).toContain(dayText);
    expect(perServiceRequests).toContain(`the alerts' (the Alerts row: ${dayText})`);
    const month = (30 * ((day('GET') + day('HEAD')) * 0.0004 + (day('LIST') + day('PUT')) * 0.005)) / 1000;
    expect(alertsRow).toContain(`~$${month.toFixed(2)} a month`);
    expect(perServiceRequests).toContain(`${dayText}), $${month.toFixed(2)} (`);
    // The row's cells add the ingest's requests, the alerts' and the transitions, per instance.
    const price = (pattern: RegExp) => Number(pattern.exec(perServiceRequests)?.[1] ?? Number.NaN);
    const ingest = price(/at \$0\.0004 per 1 000, \$([\d.]+);/);
    const transitions = price(/from month 4\), \$([\d.]+) \|/);
    const one = ingest + Number(month.toFixed(2)) + transitions;
    expect(perServiceRequests).toContain(`| **$${one.toFixed(2)}** | **$${(20 * one).toFixed(2)}** |`);
    // Worked example (b), three instances, adds them too.
    expect(costNoteRow('| S3 | quiet: ')).toContain(`the alerts' requests 3 × $${month.toFixed(2)} `);
  });

  it('count a run that raises and sends one alert, and the first run over a day of backfill', () => {
    const sns = more(raisingSns, evaluating);
    const both = more(raisingBoth, evaluating);
    expect(alertsRow).toContain(
      `a run that raises and sends one alert makes ${sns.GET} GETs and ${sns.PUT} PUTs more (${both.GET} and ${both.PUT} with mail recipients too)`,
    );
    expect(sns.HEAD + sns.LIST + both.HEAD + both.LIST).toBe(0);
    expect(alertsRow).toContain(
      `the first run, over the day of backfill, ${total(first)} (${first.GET} GETs, ${first.HEAD} HEADs, ${first.LIST} LISTs, ${first.PUT} PUTs)`,
    );
  });

  it('count the reads of an hour late events rewrote, evaluated again', () => {
    expect(lateHour).toEqual({ GET: lateHour.GET, HEAD: 0, LIST: 0, PUT: 0 });
    // The login profile and the checkpoint are written once a run, whatever the hours it evaluates.
    expect([first.PUT, evaluating.PUT]).toEqual([2, 2]);
    expect(alertsRow).toContain('one login-profile version per run that evaluates hours, however many');
    expect(alertsRow).toContain(
      `an hour that late events rewrite adds ${lateHour.GET} GET when evaluated again (one a pulling run when busy: ${24 * lateHour.GET} a day)`,
    );
  });
});
