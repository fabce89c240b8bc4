/**
 * Each function's S3 grants, as synthesized, against what its core actually does to the lake: the
 * run goes through a store that refuses what the role may not do, as S3 would. A prefix missing
 * from a role fails here, not in the first scheduled run after a deploy.
 */
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAlerts } from '../../functions/core/alerts/run-alerts.ts';
import { Deadline } from '../../functions/core/deadline.ts';
import type { AuditSource } from '../../functions/core/domo/audit-source.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { reportCorrectionKey, reportKey, reportSentKey } from '../../functions/core/lake/layout.ts';
import { type QueryRow, silentLog } from '../../functions/core/ports.ts';
import { sendWeeklyReports } from '../../functions/core/report/send-weekly-reports.ts';
import { generateInstance } from '../../functions/simulator/index.ts';
import { RecordingChannel, settings } from '../core/alerts/support/alert-fixtures.ts';
import { CONTRACT_ROWS, FakeEngine } from '../core/report/fake-engine.ts';
import { MemoryAuditSource } from '../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';
import { noWaits } from '../support/no-waits.ts';
import { GrantedStore } from './granted-store.ts';
import { statementsOfRole, synthStack } from './synth-helpers.ts';

afterAll(() => CloudAssembly.cleanupTemporaryDirectories());

const INSTANCE = 'acme';
const FROM = Date.parse('2026-11-02T00:00:00Z');
const DAY = 86_400_000;
const noMetrics = { count() {} };

const { template } = synthStack({
  instances: [{ name: INSTANCE }],
  alerts: { enabled: true, recipients: ['sec@acme-co.com'], sender: 'alerts@acme-co.com' },
  report: { enabled: true, recipients: ['sec@acme-co.com'], sender: 'reports@acme-co.com' },
});
const ingestRole = statementsOfRole(template, `/Ingest-${INSTANCE}/Ingest/Role/`);
const alertsRole = statementsOfRole(template, `/Alerts/Alerts-${INSTANCE}/Role/`);
const reportRole = statementsOfRole(template, '/WeeklyReport/Report/Role/');

/** The lake, written through the ingest role's grants: two scheduled runs a day apart. */
const lake = new MemoryObjectStore();
const domo = new MemoryAuditSource(
  generateInstance({
    seed: 7,
    fromMs: FROM,
    toMs: FROM + 3 * DAY,
    users: 5,
    eventsPerUserDay: 6,
    cards: 5,
    pages: 3,
  }).events.map((e) => ({ timeMs: e.timeMs, entry: { ...e.entry, time: e.timeMs } })),
);
// Its tokens name a customer, so the first run binds the instance, reading the other instances' bindings.
const source: AuditSource = { fetchPage: (query) => domo.fetchPage(query), customer: () => 'acme-co' };
const asIngest = new GrantedStore(lake, ingestRole);

async function scheduledIngest(nowMs: number): Promise<void> {
  const clock = { now: () => nowMs };
  const summary = await runIngest(
    { ...noWaits, source, store: asIngest, clock, log: silentLog, metrics: noMetrics },
    { ...defaultIngestConfig(INSTANCE), backfillDays: Math.ceil((nowMs - FROM) / DAY) },
  );
  expect(summary.failures.map((f) => f.message)).toEqual([]);
  await recordLastRun(asIngest, summary, nowMs);
}

beforeAll(async () => {
  await scheduledIngest(FROM + 2 * DAY + 15 * 60_000);
  await scheduledIngest(FROM + 3 * DAY + 15 * 60_000);
}, 60_000);

describe("each function's S3 grants cover what its run does to the lake", () => {
  it('ingest: events, coverage, digests and state, run after run', () => {
    expect(asIngest.denied).toEqual([]);
    const written = [...lake.objects.keys()].map((key) => key.slice(0, key.indexOf('/')));
    expect(new Set(written)).toEqual(new Set(['activity_log', 'coverage', 'digest', 'state']));
  });

  it('the store refuses what a role may not do, as S3 would (the check is not vacuous)', async () => {
    const probe = new GrantedStore(new MemoryObjectStore(), ingestRole);
    await expect(probe.put(`alerts/instance=${INSTANCE}/x.json`, new Uint8Array())).rejects.toThrow(
      /AccessDenied/,
    );
    await expect(probe.get(`activity_log/instance=other/dt=2026-11-02/00.ndjson.gz`)).rejects.toThrow(
      /AccessDenied/,
    );
    // Allowed to read, but a missing key reads as 403 unless the role may list where it would be.
    await expect(
      probe.get(`activity_log/instance=${INSTANCE}/dt=2026-11-02/00.ndjson.gz`),
    ).resolves.toBeUndefined();
    const reader = new GrantedStore(new MemoryObjectStore(), [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '{StorageLake1.Arn}/a/*' },
    ]);
    await expect(reader.get('a/missing')).rejects.toThrow(/missing, and not listable/);
    expect(probe.denied).toHaveLength(2);
  });

  it('alerts: the events, coverage and digest chain it reads, its archive and state it writes', async () => {
    const asAlerts = new GrantedStore(lake, alertsRole);
    const channel = new RecordingChannel();
    const alertsRun = (nowMs: number) =>
      runAlerts(
        { store: asAlerts, clock: { now: () => nowMs }, log: silentLog, channels: [channel] },
        { instance: INSTANCE, settings: settings(), runId: `grants-${nowMs}` },
      );
    const summary = await alertsRun(FROM + 3 * DAY + 20 * 60_000);
    expect(asAlerts.denied).toEqual([]);
    expect(summary.status).toBe('evaluated');
    expect(summary.hoursEvaluated).toBeGreaterThan(0);
    // A second run reads what the first wrote, and the digests written since.
    await scheduledIngest(FROM + 3 * DAY + 75 * 60_000);
    await alertsRun(FROM + 3 * DAY + 80 * 60_000);
    expect(asAlerts.denied).toEqual([]);
  });

  it('report: its sent-markers and archived reports, on the lake it queries (the queries are Athena)', async () => {
    const asReport = new GrantedStore(lake, reportRole);
    const mailer = { sent: 0, send: async () => ({ messageId: `m-${++mailer.sent}` }) };
    const run = await sendWeeklyReports(
      [INSTANCE],
      new Deadline(),
      {
        engine: new FakeEngine(),
        store: asReport,
        mailer,
        clock: { now: () => Date.parse('2026-11-09T07:00:00Z') },
        log: silentLog,
        metricsFor: () => noMetrics,
      },
      { timeZone: 'UTC', from: 'reports@acme-co.com', to: ['sec@acme-co.com'] },
    );
    expect(asReport.denied).toEqual([]);
    expect(run.outcomes.map((o) => o.status)).toEqual(['sent']);
    expect(mailer.sent).toBe(1);
    expect(lake.objects.has(reportSentKey(INSTANCE, '2026-W45'))).toBe(true);
    expect(lake.objects.has(reportKey(INSTANCE, '2026-W45', 'html'))).toBe(true);
  });

  it("report: a week's correction, from the coverage manifests it lists to its own marker", async () => {
    const mailer = { sent: 0, send: async () => ({ messageId: `m-${++mailer.sent}` }) };
    const health = CONTRACT_ROWS.data_health?.[0] as QueryRow;
    // W45 mailed with 10 of its hours; the lake (the ingest above wrote its first days) holds more.
    const rows: Record<string, QueryRow[]> = {
      ...CONTRACT_ROWS,
      data_health: [{ ...health, covered_hours: 10, missing_hours: 158, trailing_missing_hours: 158 }],
    };
    const lakeW45 = new MemoryObjectStore();
    for (const [key, object] of lake.objects)
      if (key.startsWith('coverage/')) lakeW45.putNow(key, object.body);
    const store = new GrantedStore(lakeW45, reportRole);
    const reportAt = (nowMs: number) =>
      sendWeeklyReports(
        [INSTANCE],
        new Deadline(),
        {
          engine: new FakeEngine(rows),
          store,
          mailer,
          clock: { now: () => nowMs },
          log: silentLog,
          metricsFor: () => noMetrics,
        },
        { timeZone: 'UTC', from: 'reports@acme-co.com', to: ['sec@acme-co.com'], week: '2026-W45' },
      );
    await reportAt(Date.parse('2026-11-09T07:00:00Z'));
    rows.data_health = [health];
    const run = await reportAt(Date.parse('2026-11-16T07:00:00Z'));
    expect(store.denied).toEqual([]);
    expect(run.failures).toEqual([]);
    expect(run.outcomes.map((o) => o.status === 'sent' && o.corrects !== undefined)).toContain(true);
    expect(lakeW45.objects.has(reportCorrectionKey(INSTANCE, '2026-W45'))).toBe(true);
  });
});
