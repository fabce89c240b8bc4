import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../functions/adapters/fs-store.ts';
import { statusCommand } from '../../../functions/cli/commands/status.ts';
import { UsageError } from '../../../functions/cli/usage-error.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import type { RunTrigger } from '../../../functions/core/lake/last-run.ts';
import { reportSentKey } from '../../../functions/core/lake/layout.ts';
import { type ObjectStore, silentLog } from '../../../functions/core/ports.ts';
import { encodeMarker } from '../../../functions/core/report/sent-marker.ts';
import {
  DEFAULT_LAG_WINDOW_MINUTES,
  readInstanceStatus,
} from '../../../functions/core/status/instance-status.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { captureIo } from '../../support/capture-io.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// What status said while two alarms were in ALARM (the R-M review's finding 4): the Lag alarm on a
// schedule that stopped reporting (no run for its window, the watermark still within lagHours),
// and NoReportSent on a week whose report never went out (its due date long past).

const MINUTE = 60_000;
/** Saturday 2026-12-05 10:00 UTC. */
const SATURDAY = Date.UTC(2026, 11, 5, 10);

/** A lake whose one run ended at `runMs` (watermark 10:00 for a run at 10:20), recorded with `trigger`. */
async function lakeRunAt(runMs: number, trigger?: RunTrigger, store: ObjectStore = new MemoryObjectStore()) {
  const source = new MemoryAuditSource();
  for (let t = runMs - 30 * HOUR_MS; t < runMs; t += 30 * MINUTE) source.add(viewEntry(t, t / MINUTE));
  const deps = quietIngestDeps(source, store, runMs);
  const summary = await runIngest(deps, { ...defaultIngestConfig('main'), backfillDays: 1 }, {});
  await recordLastRun(store, summary, runMs, trigger);
  return store;
}

const sent = (isoWeek: string, updatedAt: string, state: 'sent' | 'failed' = 'sent') =>
  encodeMarker({
    state,
    instance: 'main',
    isoWeek,
    attemptId: 'a',
    claimedAt: updatedAt,
    updatedAt,
    subject: 's',
    recipients: 3,
  });

const options = (nowMs: number) => ({ nowMs, lagHours: 3, reportTimeZone: 'UTC' });

describe('a scheduled lake whose schedule went quiet', () => {
  const runMs = Date.UTC(2026, 11, 5, 7, 40);

  it('is silent once its last run is older than the lag alarm window, while the watermark is not late', async () => {
    const store = await lakeRunAt(runMs, 'schedule');
    const at = async (nowMs: number, lagWindowMinutes?: number) =>
      readInstanceStatus(store, 'main', {
        ...options(nowMs),
        ...(lagWindowMinutes ? { lagWindowMinutes } : {}),
      });
    // 2 h 20 min after the run: the alarm's 60 minutes are long past, the watermark 2 h 40 min old.
    const quiet = await at(runMs + 140 * MINUTE);
    expect(quiet).toMatchObject({ scheduled: true, silent: true, late: false });
    expect(DEFAULT_LAG_WINDOW_MINUTES).toBe(60);
    expect(await at(runMs + 60 * MINUTE)).toMatchObject({ silent: false });
    expect(await at(runMs + 61 * MINUTE)).toMatchObject({ silent: true });
    // A schedule with a longer gap has a longer window (rate(1 hour): 90 minutes).
    expect(await at(runMs + 80 * MINUTE, 90)).toMatchObject({ silent: false });
  });

  it('is never silent when no schedule ran it: the command line, the demo, a record before the trigger was kept', async () => {
    const store = await lakeRunAt(runMs);
    const status = await readInstanceStatus(store, 'main', options(runMs + 140 * MINUTE));
    expect(status).toMatchObject({ scheduled: false, silent: false, late: false });
  });
});

describe('a report week past due', () => {
  it('is overdue a day after its week ended, and not before', async () => {
    const store = new MemoryObjectStore();
    await store.put(reportSentKey('main', '2026-W47'), sent('2026-W47', '2026-11-23T07:00:00.000Z'));
    const at = async (nowMs: number) => (await readInstanceStatus(store, 'main', options(nowMs))).nextReport;
    const weekEnd = Date.UTC(2026, 10, 30);
    expect(await at(weekEnd + 10 * HOUR_MS)).toEqual({
      isoWeek: '2026-W48',
      dueAfterMs: weekEnd,
      overdue: false,
    });
    expect(await at(weekEnd + 24 * HOUR_MS)).toMatchObject({ overdue: false });
    expect(await at(weekEnd + 24 * HOUR_MS + MINUTE)).toMatchObject({ overdue: true });
    expect(await at(SATURDAY)).toEqual({ isoWeek: '2026-W48', dueAfterMs: weekEnd, overdue: true });
  });

  it('waits for the day the schedule runs on, as the last report sent shows it', async () => {
    // report.schedule on Tuesdays (the config's own advice for some ingest schedules): the week's
    // report is not overdue on Tuesday morning, before its run, while NoReportSent is still OK.
    const store = new MemoryObjectStore();
    await store.put(reportSentKey('main', '2026-W47'), sent('2026-W47', '2026-11-24T09:00:00.000Z'));
    const at = async (nowMs: number) => (await readInstanceStatus(store, 'main', options(nowMs))).nextReport;
    const weekEnd = Date.UTC(2026, 10, 30);
    expect(await at(Date.UTC(2026, 11, 1, 8))).toMatchObject({ isoWeek: '2026-W48', overdue: false });
    expect(await at(weekEnd + 48 * HOUR_MS)).toMatchObject({ overdue: false });
    expect(await at(weekEnd + 48 * HOUR_MS + MINUTE)).toMatchObject({ overdue: true });
  });

  it('is not put off by a resend: the least delay of the newest reports sent counts', async () => {
    // Monday's schedule sent W46 and W47; W47 was resent on Saturday, which marks it again.
    const store = new MemoryObjectStore();
    await store.put(reportSentKey('main', '2026-W46'), sent('2026-W46', '2026-11-16T07:00:00.000Z'));
    await store.put(reportSentKey('main', '2026-W47'), sent('2026-W47', '2026-11-28T15:00:00.000Z'));
    const at = async (nowMs: number) => (await readInstanceStatus(store, 'main', options(nowMs))).nextReport;
    const weekEnd = Date.UTC(2026, 10, 30);
    expect(await at(weekEnd + 24 * HOUR_MS + MINUTE)).toMatchObject({ isoWeek: '2026-W48', overdue: true });
  });
});

describe('status on such a lake', () => {
  let dir: string;
  let silentLake: string;
  let overdueLake: string;
  const runMs = SATURDAY - 140 * MINUTE;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'status-silence-'));
    silentLake = join(dir, 'silent');
    await lakeRunAt(runMs, 'schedule', new FsObjectStore(silentLake));
    overdueLake = join(dir, 'overdue');
    const store = new FsObjectStore(overdueLake);
    await lakeRunAt(SATURDAY - 20 * MINUTE, 'schedule', store);
    await store.put(reportSentKey('main', '2026-W47'), sent('2026-W47', '2026-11-23T07:00:00.000Z'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const status = async (args: string[]) => {
    const { io, stdout } = captureIo();
    const result = await statusCommand(args, { ...io, log: silentLog, clock: { now: () => SATURDAY } });
    return { result, text: stdout() };
  };

  it('shows SILENT, says why and where to read on, and exits 1', async () => {
    const { result, text } = await status(['--lake', silentLake]);
    expect(result.ok).toBe(false);
    expect(text).toMatch(/\nmain +SILENT +12-05 07:00 +3h 00m +12-05 07:40 ok, /);
    expect(text).toContain(
      `main: no scheduled run recorded for 2h 20m, longer than the 60 min the <instance>-Lag alarm waits for one (--lag-window-minutes): the schedule stopped firing (disabled, deleted), or its runs do not start or never end (throttled, killed by their timeout), or skip on the secret's placeholder: see docs/operations.md, section "<instance>-Lag"`,
    );
    const longer = await status(['--lake', silentLake, '--lag-window-minutes', '150', '--format', 'json']);
    expect(longer.result.ok).toBe(true);
    expect(JSON.parse(longer.text)).toMatchObject({
      lagWindowMinutes: 150,
      instances: [{ scheduled: true, silent: false }],
    });
  });

  it("refuses a window the lag alarm can't have", async () => {
    for (const value of ['30', '1441']) {
      const error = await status(['--lake', silentLake, '--lag-window-minutes', value]).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toBe(
        `--lag-window-minutes "${value}" must be a whole number from 60 to 1440`,
      );
    }
  });

  it('marks an overdue week, with the NoReportSent runbook, without changing the exit code', async () => {
    const { result, text } = await status(['--lake', overdueLake]);
    expect(result.ok).toBe(true);
    expect(text).toMatch(/ 2026-W47 sent 11-23 +2026-W48 11-30 OVERDUE\n/);
    expect(text).toContain(
      'main: weekly report 2026-W48 is overdue: its week ended 2026-11-30 00:00 UTC, 5d 10h ago, and no run has marked it sent: the report stopped without failing (its schedule disabled, a run that returned without sending): see docs/operations.md, section "<instance>-NoReportSent"',
    );
  });

  it('leaves an overdue week whose report failed to the note that says how to send it', async () => {
    const copy = join(dir, 'failed');
    const store = new FsObjectStore(copy);
    await lakeRunAt(SATURDAY - 20 * MINUTE, 'schedule', store);
    await store.put(reportSentKey('main', '2026-W47'), sent('2026-W47', '2026-11-23T07:00:00.000Z'));
    await store.put(
      reportSentKey('main', '2026-W48'),
      sent('2026-W48', '2026-11-30T07:00:00.000Z', 'failed'),
    );
    const { text } = await status(['--lake', copy]);
    expect(text).toContain('2026-W48 11-30 OVERDUE');
    expect(text).toContain('main: weekly report 2026-W48 was not sent (marker failed)');
    expect(text).not.toContain('is overdue');
  });
});
