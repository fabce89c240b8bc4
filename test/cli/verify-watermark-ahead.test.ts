import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { TODAY_START as day0, TODAY, todayLake, verifyAt } from '../support/verify-today-lake.ts';

// Review 45 (R-V, L1): a checkpoint moved two days ahead made plain verify count 48 hours after now
// as gaps to re-pull with ingest --from/--to, which refuses them; with --to it passed, OK.

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-watermark-ahead-'));
  lake = join(dir, 'lake');
  expect((await todayLake(lake)).failures).toEqual([]);
  const file = join(lake, 'state', 'instance=acme', 'checkpoint.json');
  const checkpoint = JSON.parse(await readFile(file, 'utf8'));
  const aheadMs = day0 + 58 * HOUR_MS;
  await writeFile(
    file,
    JSON.stringify({ ...checkpoint, watermark_ms: aheadMs, watermark: new Date(aheadMs).toISOString() }),
  );
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const now = day0 + 10 * HOUR_MS + 52 * 60_000;
const AHEAD_LINE =
  '  the watermark is in the future: the checkpoint was edited or restored from elsewhere (or this machine\'s clock is behind), and the scheduled ingest refuses to run until it is fixed; no hour after the current one\'s start was checked: see docs/operations.md, section "Watermark in the future"\n';

describe('verify with the watermark in the future', () => {
  it('checks up to the current hour, counts no hour after now as a gap, and fails saying why', async () => {
    const r = await verifyAt(lake, now, []);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain(': 2026-12-01 10:00Z .. 2026-12-02 10:00Z\n');
    expect(r.stdout).toContain('  hours covered: 24 of 24\n');
    expect(r.stdout).not.toContain('not covered');
    expect(r.stdout).toContain(AHEAD_LINE);
    const json = JSON.parse((await verifyAt(lake, now, ['--json'])).stdout);
    expect(json).toMatchObject({ ok: false, watermarkAhead: true, gaps: [], toMs: day0 + 10 * HOUR_MS });
  });

  it('fails with --from/--to too, which it clips', async () => {
    const r = await verifyAt(lake, now, TODAY);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  --to 2026-12-03 00:00Z is not closed yet: checked up to 2026-12-02 10:00Z');
    expect(r.stdout).toContain(AHEAD_LINE);
  });
});
