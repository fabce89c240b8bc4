import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statusCommand } from '../../functions/cli/commands/status.ts';
import { verifyCommand } from '../../functions/cli/commands/verify.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { captureIo } from '../support/capture-io.ts';
import { dirPerTest } from '../support/dir-per-test.ts';
import { BACKFILL_RUN_AT_MS, ingestTwoDayBackfill } from '../support/two-day-backfill-lake.ts';

// Review STATUS4: status learned that hours a run following the checkpoint pulls again are no
// DAMAGED, while verify still said "scheduled runs do not go back for them; re-pull the gaps" of
// the same hours. Both now judge them by one rule (core/lake/hours-repulled.ts) and say it alike.

const NOW = BACKFILL_RUN_AT_MS + 10 * 60_000;

let lake: string;
dirPerTest('status-verify-repull-', async (dir) => {
  lake = join(dir, 'lake');
  await ingestTwoDayBackfill(lake);
});

const flat = (text: string) => text.replace(/\s+/g, ' ');

async function bothAt(nowMs: number) {
  const clock = { now: () => nowMs };
  const s = captureIo();
  const status = await statusCommand(['--lake', lake, '--format', 'table'], {
    ...s.io,
    log: silentLog,
    clock,
  });
  const v = captureIo();
  const report = await verifyCommand(['--lake', lake], { ...v.io, log: silentLog, clock });
  return { status, statusText: flat(s.stdout()), report, verifyText: flat(v.stdout()) };
}

/** Moves the watermark on by `hours`, as docs/operations.md's "Resetting the checkpoint" allows. */
async function moveWatermark(hours: number): Promise<number> {
  const file = join(lake, 'state/instance=acme/checkpoint.json');
  const checkpoint = JSON.parse(await readFile(file, 'utf8'));
  const movedMs: number = checkpoint.watermark_ms + hours * HOUR_MS;
  checkpoint.watermark_ms = movedMs;
  checkpoint.watermark = new Date(movedMs).toISOString();
  await writeFile(file, JSON.stringify(checkpoint));
  return movedMs;
}

describe('status and verify on hours below the watermark without a manifest', () => {
  it('say alike that the runs pull hours of a watermark moved on again, and by when', async () => {
    const movedMs = await moveWatermark(5);
    const { status, statusText, report, verifyText } = await bothAt(movedMs + 10 * 60_000);
    const by =
      'the runs that follow the checkpoint pull them again (their lookback or later pull), the last by the first run after 2026-10-02 10:00Z, storing them with a manifest';
    expect(status.ok).toBe(true);
    expect(statusText).toContain(by);
    expect(verifyText).toContain(`5 hour(s) below the watermark are not covered: ${by}.`);
    expect(verifyText).not.toContain('go back for them');
    expect(report.repulledBelowWatermark).toEqual({
      hourCount: 5,
      lastFromMs: status.instances[0]?.hours?.awaitingRepull?.lastFromMs,
    });
  });

  it('say alike that no run goes back for a manifest removed of an hour whose later pull is done', async () => {
    await rm(join(lake, 'coverage/instance=acme/dt=2026-09-30/2026-09-30T04.json'));
    const { status, statusText, report, verifyText } = await bothAt(NOW);
    expect(status.ok).toBe(false);
    expect(statusText).toContain('DAMAGED');
    expect(statusText).toContain('no scheduled run goes back for them');
    expect(verifyText).toContain(
      '1 hour(s) below the watermark are not covered: no scheduled run goes back for them; re-pull the gaps with ingest --from/--to',
    );
    expect(report.repulledBelowWatermark).toBeUndefined();
  });

  it('tell apart, in verify, the hours the runs pull again from those no run goes back for', async () => {
    await rm(join(lake, 'coverage/instance=acme/dt=2026-09-30/2026-09-30T04.json'));
    const movedMs = await moveWatermark(5);
    const { verifyText } = await bothAt(movedMs + 10 * 60_000);
    expect(verifyText).toContain(
      '6 hour(s) below the watermark are not covered: 5 of them: the runs that follow the checkpoint pull them again',
    );
    expect(verifyText).toContain(
      '; the other 1: no scheduled run goes back for them; re-pull those with ingest --from/--to',
    );
  });
});
