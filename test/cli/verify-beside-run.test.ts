import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { appendDigest } from '../../functions/core/lake/digest.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { TODAY_START as day0, TODAY, todayLake, verifyAt } from '../support/verify-today-lake.ts';

// R-K #1: verify beside a catching-up ingest failed, "a run failed or stopped before them", on the
// hours the run had not stored yet. The command judges them at its own now, with or without
// --integrity: a run that opened its digest at 14:20 pulls 08:00-14:00, 10:00 on past the watermark.

let dir: string;
let lake: string;
const openedAt = day0 + 14 * HOUR_MS + 20 * 60_000;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-beside-run-'));
  lake = join(dir, 'lake');
  expect((await todayLake(lake)).failures).toEqual([]);
  await appendDigest(new FsObjectStore(lake), {
    instance: 'acme',
    runId: '20261202T140000Z-abcdef',
    createdAt: new Date(openedAt).toISOString(),
    objects: [],
    sealed: false,
    fromMs: day0 + 8 * HOUR_MS,
    toMs: day0 + 14 * HOUR_MS,
  });
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('verify while a run pulls the hours after the watermark', () => {
  it('reports them as being written and passes, with --integrity too', async () => {
    for (const integrity of [[], ['--integrity']]) {
      const r = await verifyAt(lake, openedAt + 5 * 60_000, [...TODAY, ...integrity]);
      expect(r.stdout).toContain('  hours covered: 10 of 14 (4 hour(s) being written)\n');
      expect(r.stdout).toContain('  being written: 2026-12-02 10:00Z .. 2026-12-02 14:00Z\n');
      expect(r.stdout).toContain('pulled by an ingest in progress: run 20261202T140000Z-abcdef');
      expect(r.code, r.stdout).toBe(0);
      // The pass proves no manifest of the hours still being written (review REVIEW90).
      if (integrity.length > 0) {
        expect(r.stdout).toContain(
          '  proven: every hour from 2026-12-02 00:00Z to 2026-12-02 14:00Z (end excluded, 14 hours) but the 4 being written by an ingest in progress (above) has its coverage manifest,',
        );
      }
    }
    const json = JSON.parse((await verifyAt(lake, openedAt + 5 * 60_000, [...TODAY, '--json'])).stdout);
    expect(json).toMatchObject({
      ok: true,
      gaps: [],
      beingWritten: { hourCount: 4, runs: [{ runId: '20261202T140000Z-abcdef' }] },
    });
  });

  it('fails as before once the run has written nothing for 15 minutes', async () => {
    const r = await verifyAt(lake, openedAt + 20 * 60_000, TODAY);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '  4 hour(s) at or after the watermark are not covered (a run failed or stopped before them)',
    );
  });
});
