import { describe, expect, it } from 'vitest';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import type { RunProcesses, RunProcessState } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { day0, lakeBesideRun, secondRunAt } from '../../support/lake-beside-run.ts';
import { statusAt } from '../../support/status-at.ts';

// OP-4: after an ingest that failed without recording its end (a full disk: no seal, no last-run
// note) or was killed, status said for 15 minutes that the run "is catching up now: run status
// again once it ends", and verify that its hours were "pulled by an ingest in progress": the
// operator waited for a run that would never end. Where a run's process can be judged (a lake on
// disk: its run lock), one that is gone is said to have stopped; one that cannot be judged keeps
// the 15-minute rule.

/** Every run's process judged `state`. */
const processes = (state: RunProcessState): RunProcesses => ({ stateOf: async () => state });
const gone = processes({ state: 'gone', pid: 4242 });
const fiveMinutesOn = secondRunAt + 5 * 60_000;

describe('status beside a run whose process is gone', () => {
  it('names the run as stopped, not catching up, within the 15 minutes', async () => {
    const { store, finish } = await lakeBesideRun();
    const { status, table } = await statusAt(store, 'acme', fiveMinutesOn, gone);
    expect(status.ingestRunning).toBeNull();
    expect(status.ingestStopped).toEqual({
      runId: expect.any(String),
      lastWriteAt: new Date(secondRunAt).toISOString(),
      pid: 4242,
    });
    // The note, its wrapped lines joined again.
    expect(table.replace(/\n +/g, ' ')).toContain(
      `acme: 6h 35m behind, over the 3 h threshold: ingest run ${status.ingestStopped?.runId} stopped without ending: its process 4242 on this machine is gone (it failed or was killed): run the same ingest again (the hours it stored are kept)`,
    );
    expect(table).not.toContain('catching up');
    await finish();
  });

  it('still reads a run whose process runs, or cannot be judged, as catching up', async () => {
    const { store, finish } = await lakeBesideRun();
    for (const judge of [processes({ state: 'running' }), processes({ state: 'unknown' })]) {
      const { status, table } = await statusAt(store, 'acme', fiveMinutesOn, judge);
      expect(status.ingestStopped).toBeNull();
      expect(table).toContain(
        `an ingest run is catching up now (run ${status.ingestRunning?.runId}, its last digest written 2026-10-01 12:30 UTC): run status again once it ends`,
      );
    }
    await finish();
  });
});

describe('verify beside a run whose process is gone', () => {
  // The run's held hour, 06:00, has no manifest: a gap, or an hour being written.
  const range = { fromMs: day0, toMs: day0 + 12 * HOUR_MS };

  it('takes its hours as gaps and names the run as stopped', async () => {
    const { store, finish } = await lakeBesideRun();
    const report = await verifyLake(store, 'acme', range, { nowMs: fiveMinutesOn, runProcesses: gone });
    expect(report.beingWritten).toBeUndefined();
    expect(report.gaps).toEqual([{ fromMs: day0 + 6 * HOUR_MS, toMs: day0 + 7 * HOUR_MS }]);
    expect(report.stoppedRuns).toEqual([expect.objectContaining({ pid: 4242 })]);
    await finish();
  });

  it('keeps a run whose process runs, or cannot be judged, in progress', async () => {
    const { store, finish } = await lakeBesideRun();
    for (const judge of [processes({ state: 'running' }), processes({ state: 'unknown' }), undefined]) {
      const report = await verifyLake(store, 'acme', range, {
        nowMs: fiveMinutesOn,
        ...(judge ? { runProcesses: judge } : {}),
      });
      expect(report.gaps).toEqual([]);
      expect(report.beingWritten?.hourCount).toBe(1);
      expect(report.stoppedRuns).toBeUndefined();
    }
    await finish();
  });
});
