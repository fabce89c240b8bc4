/**
 * `status` noted a chain left open as "it died or still runs", leaving the operator to guess
 * whether to wait or to run an ingest. It now says what the lake tells: the run's process runs
 * (its run lock, a lake on this machine's disk), is gone, the last run record names it ended, it
 * has been silent longer than a run goes without a digest; or, written recently with no lock to
 * check (S3), that the lake cannot tell.
 */
import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { type LastRun, writeLastRun } from '../../../functions/core/lake/last-run.ts';
import type { RunProcesses, RunProcessState } from '../../../functions/core/ports.ts';
import { readInstanceStatus } from '../../../functions/core/status/instance-status.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { statusTableOf } from '../../support/instance-status-fixture.ts';
import { lakeAfterDeadRepull } from '../../support/lake-after-dead-repull.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
// The dead re-pull wrote its digest at `killedAt`.
const killedAt = day0 + 6 * HOUR_MS + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 };

const processes = (state: RunProcessState): RunProcesses => ({ stateOf: async () => state });

async function statusOf(nowMs: number, extra: { runProcesses?: RunProcesses; lastRun?: LastRun } = {}) {
  const domo = new MemoryAuditSource(
    Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
  );
  const lake = await lakeAfterDeadRepull(domo, config, killedAt, day0 + 2 * HOUR_MS);
  if (extra.lastRun) await writeLastRun(lake, extra.lastRun);
  const options = { nowMs, lagHours: 3, reportTimeZone: 'UTC' };
  const status = await readInstanceStatus(lake, 'acme', {
    ...options,
    ...(extra.runProcesses ? { runProcesses: extra.runProcesses } : {}),
  });
  return { status, text: statusTableOf([status], nowMs, { maxWidth: 10_000 }).replace(/\s+/g, ' ') };
}

const lead = 'acme: integrity: the last digest is not sealed: run dead-repull';

describe('status on a chain a run left open says whether that run still runs', () => {
  it('running, by its run lock', async () => {
    const { status, text } = await statusOf(killedAt + 5 * 60_000, {
      runProcesses: processes({ state: 'running', since: '2026-10-01T06:29:10.000Z' }),
    });
    expect(status.unsealedHead?.run).toEqual({ state: 'running', since: '2026-10-01T06:29:10.000Z' });
    expect(text).toContain(
      `${lead} is running (since 2026-10-01 06:29 UTC, last write 2026-10-01 06:30 UTC: its process on this machine runs): it seals the chain when it ends`,
    );
  });

  it('silent, its process still running but no digest for longer than a run goes without one (review revid4 L1)', async () => {
    const { status, text } = await statusOf(killedAt + 30 * 24 * HOUR_MS, {
      runProcesses: processes({ state: 'running', since: '2026-10-01T06:29:10.000Z', pid: 4242 }),
    });
    expect(status.unsealedHead?.run).toEqual({
      state: 'hung',
      silentMs: 30 * 24 * HOUR_MS,
      since: '2026-10-01T06:29:10.000Z',
      pid: 4242,
    });
    expect(text).toContain(
      `${lead} is silent: its process 4242 on this machine still runs but has written nothing for 30d 00h (last write 2026-10-01 06:30 UTC, longer than a run goes without a digest): hung or suspended, or its lock names another process. verify counts its hours as gaps; end that process, then an ingest seals it`,
    );
    expect(text).not.toContain('is running');
  });

  it('stopped, its process gone', async () => {
    const { text } = await statusOf(killedAt + 5 * 60_000, {
      runProcesses: processes({ state: 'gone', pid: 4242 }),
    });
    expect(text).toContain(
      `${lead} stopped without closing (last write 2026-10-01 06:30 UTC; its process 4242 on this machine is gone: killed, or failed): the next ingest seals it`,
    );
  });

  it('stopped, as far as the lake tells, once silent longer than a run goes without a digest', async () => {
    const { status, text } = await statusOf(killedAt + 40 * 60_000);
    expect(status.unsealedHead?.run).toEqual({ state: 'stopped', silentMs: 40 * 60_000 });
    expect(text).toContain(
      `${lead} stopped without closing, as far as the lake tells (last write 2026-10-01 06:30 UTC, 40m ago, longer than a run goes without a digest): the next ingest seals it`,
    );
  });

  it('ended, when the last run record names it', async () => {
    const record: LastRun = {
      version: 1,
      instance: 'acme',
      run_id: 'dead-repull',
      mode: 'checkpoint',
      finished_at: new Date(killedAt).toISOString(),
      finished_at_ms: killedAt,
      outcome: 'failed',
      hours_done: 1,
      hours_failed: 0,
      events_written: 1,
      quarantined: 0,
      watermark_ms: null,
      first_failure: 'the digest chain of "acme" was left unsealed',
    };
    const { status, text } = await statusOf(killedAt + 5 * 60_000, { lastRun: record });
    expect(status.unsealedHead?.run).toEqual({ state: 'ended' });
    expect(text).toContain(`${lead} ended without sealing (last write 2026-10-01 06:30 UTC;`);
  });

  it('cannot tell, written recently with no lock to check', async () => {
    const { status, text } = await statusOf(killedAt + 5 * 60_000, {
      runProcesses: processes({ state: 'unknown' }),
    });
    expect(status.unsealedHead?.run).toEqual({ state: 'unknown', silentMs: 5 * 60_000 });
    expect(text).toContain(
      `${lead} may still be running: the lake cannot tell (last write 2026-10-01 06:30 UTC, 5m ago, and it holds no run lock this machine can check); if it stopped, the next ingest seals it`,
    );
  });
});
