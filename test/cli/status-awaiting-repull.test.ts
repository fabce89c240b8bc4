import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statusCommand } from '../../functions/cli/commands/status.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
import { captureIo } from '../support/capture-io.ts';
import { dirPerTest } from '../support/dir-per-test.ts';
import {
  BACKFILL_DAY0_MS,
  BACKFILL_RUN_AT_MS,
  ingestTwoDayBackfill,
} from '../support/two-day-backfill-lake.ts';

// Review STATUS2: an hour below the watermark without a manifest was DAMAGED, exit 1, with "no
// scheduled run goes back for them", also for hours the checkpoint's later pull still pulls again
// (a watermark moved on by hand, as docs/operations.md allows; a manifest removed of an hour still
// due its later pull): the next runs store them with a manifest, and status paged for a day.

const day0 = BACKFILL_DAY0_MS;
// Two days back: the first day's hours are pulled more than a day after they ended (no later pull
// due), the second day's less (each due its later pull, a day after it ended).
const RUN_AT = BACKFILL_RUN_AT_MS;
const NOW = RUN_AT + 10 * 60_000;
const coverage = (lake: string, date: string, hour: string) =>
  join(lake, `coverage/instance=acme/dt=${date}/${date}T${hour}.json`);

let lake: string;
dirPerTest('status-repull-', async (dir) => {
  lake = join(dir, 'lake');
  await ingestTwoDayBackfill(lake);
});

async function status(nowMs = NOW) {
  const { io, stdout } = captureIo();
  const result = await statusCommand(['--lake', lake, '--format', 'table'], {
    ...io,
    log: silentLog,
    clock: { now: () => nowMs },
  });
  const [s] = result.instances;
  return { ok: result.ok, s, text: stdout().replace(/\s+/g, ' ') };
}

describe('status on hours without a manifest that a run pulls again', () => {
  it('takes hours a watermark moved on by hand skipped for hours the next runs store: exit 0, a note', async () => {
    const file = join(lake, 'state/instance=acme/checkpoint.json');
    const checkpoint = JSON.parse(await readFile(file, 'utf8'));
    const watermarkMs: number = checkpoint.watermark_ms;
    const movedMs = watermarkMs + 5 * HOUR_MS;
    checkpoint.watermark_ms = movedMs;
    checkpoint.watermark = new Date(movedMs).toISOString();
    await writeFile(file, JSON.stringify(checkpoint));
    const { ok, s, text } = await status(movedMs + 10 * 60_000);
    const skipped = [0, 1, 2, 3, 4].map((h) => watermarkMs + h * HOUR_MS);
    expect(s?.hours?.uncovered).toEqual([]);
    expect(s?.hours?.awaitingRepull?.hours).toEqual(skipped);
    expect(ok).toBe(true);
    expect(text).not.toContain('DAMAGED');
    // The last one due its later pull (the two before the watermark are its lookback): a day after it ended.
    const by = new Date(watermarkMs + 3 * HOUR_MS + DAY_MS).toISOString().slice(0, 13).replace('T', ' ');
    expect(text).toContain(
      `5 hour(s) of the last 7 days below the watermark have no manifest yet (2026-10-01 07:00Z, 2026-10-01 08:00Z, 2026-10-01 09:00Z and 2 more): the runs that follow the checkpoint pull them again (their lookback or later pull), the last by the first run after ${by}:00Z`,
    );
    expect(text).not.toContain('run verify for the gaps');
  });

  it('takes a manifest removed of an hour still due its later pull for one the next runs store: exit 0', async () => {
    await rm(coverage(lake, '2026-10-01', '04'));
    const { ok, s, text } = await status();
    expect(s?.hours?.uncovered).toEqual([]);
    expect(s?.hours?.awaitingRepull?.hours).toEqual([day0 + 4 * HOUR_MS]);
    expect(ok).toBe(true);
    expect(text).not.toContain('DAMAGED');
    expect(text).toContain('the last by the first run after 2026-10-02 05:00Z');
    expect(text).toContain('if a manifest was removed, verify --integrity finds it in the digest chain');
  });

  // Review ONCALL's case: no run goes back for an hour whose later pull is done.
  it('keeps a manifest removed of an hour no run goes back for DAMAGED: exit 1', async () => {
    await rm(coverage(lake, '2026-09-30', '04'));
    const { ok, s, text } = await status();
    expect(s?.hours?.uncovered).toEqual([day0 - 20 * HOUR_MS]);
    expect(s?.hours?.awaitingRepull).toBeNull();
    expect(ok).toBe(false);
    expect(text).toContain('DAMAGED');
    expect(text).toContain('no scheduled run goes back for them');
  });

  it('with both, exits 1 and names each in its own note', async () => {
    await rm(coverage(lake, '2026-09-30', '04'));
    await rm(coverage(lake, '2026-10-01', '04'));
    const { ok, text } = await status();
    expect(ok).toBe(false);
    expect(text).toContain(
      '1 hour(s) of the last 7 days below the watermark have no manifest (2026-09-30 04:00Z)',
    );
    expect(text).toContain(
      '1 hour(s) of the last 7 days below the watermark have no manifest yet (2026-10-01 04:00Z)',
    );
  });
});
