import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statusCommand } from '../../functions/cli/commands/status.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
import { captureIo } from '../support/capture-io.ts';
import { TODAY_INGESTED_AT, todayLake } from '../support/verify-today-lake.ts';

describe('status of an instance whose watermark stopped more than a week ago', () => {
  it('shows no hours checked as "-", not as 0/0 ("nothing missing")', async () => {
    const lake = await mkdtemp(join(tmpdir(), 'status-stopped-'));
    // acme's day, pulled up to 10:00 on 2026-12-02 and its run recorded.
    const summary = await todayLake(lake, { lastRun: true });
    expect(summary.failures).toEqual([]);
    const status = async (nowMs: number) => {
      const { io, stdout } = captureIo();
      await statusCommand(['--lake', lake], { ...io, log: silentLog, clock: { now: () => nowMs } });
      return stdout().split('\n')[3] ?? '';
    };
    // Two days on, the hours below the watermark of the last 7 days are checked.
    expect(await status(TODAY_INGESTED_AT + 2 * DAY_MS)).toMatch(/^acme\s+LATE\s+.*\s0\/\d+\s/);
    // Twenty days on, none of the last 7 days lies below the watermark: nothing was checked.
    const late = await status(TODAY_INGESTED_AT + 20 * DAY_MS + HOUR_MS);
    expect(late).toMatch(/^acme\s+LATE\s+12-02 10:00\s+20d 0[12]h\s.*\s-\s+0\s/);
    expect(late).not.toContain('0/0');
    await rm(lake, { recursive: true, force: true });
  });
});
