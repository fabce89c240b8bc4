import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import {
  TODAY_START as day0,
  TODAY,
  todayLake,
  verifyAt as verifyAtLake,
} from '../support/verify-today-lake.ts';

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-clip-watermark-'));
  lake = join(dir, 'lake');
  const summary = await todayLake(lake);
  expect(summary.failures).toEqual([]);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function verifyAt(nowMs: number, argv: string[]) {
  return verifyAtLake(lake, nowMs, argv);
}

// verify clipped a range by --settle-minutes alone: run from elsewhere with a longer settle time than
// the deployment's, it stopped short of hours the lake's watermark says are complete, and did not
// agree with the deployment (review 40, item 6). Hours before the watermark are now checked.

describe("verify's clip and the lake's watermark", () => {
  it('checks on to the watermark when --settle-minutes is longer than the ingest settled by', async () => {
    const r = await verifyAt(day0 + 10 * HOUR_MS + 52 * 60_000, [...TODAY, '--settle-minutes', '60']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(': 2026-12-02 00:00Z .. 2026-12-02 10:00Z\n');
    expect(r.stdout).toContain(
      "  --to 2026-12-03 00:00Z is not closed yet: checked up to 2026-12-02 10:00Z, the lake's watermark: hours before it are complete by its checkpoint, later ones end less than 60 min before now (--settle-minutes)\n",
    );
    expect(r.stdout).toContain('  hours covered: 10 of 10\n');
    const json = await verifyAt(day0 + 10 * HOUR_MS + 52 * 60_000, [
      ...TODAY,
      '--settle-minutes',
      '60',
      '--json',
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      toMs: day0 + 10 * HOUR_MS,
      clipped: { requestedToMs: day0 + 24 * HOUR_MS, settleMinutes: 60, atWatermark: true },
    });
  });

  it('still finds the settled hours a stalled ingest left past the watermark', async () => {
    const r = await verifyAt(day0 + 13 * HOUR_MS + 52 * 60_000, TODAY);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  hours covered: 10 of 13 (1 gap(s))\n');
    expect(r.stdout).toContain(
      'where the newest hour that can be pulled ends (windows must end 15 min before now)',
    );
  });
});
