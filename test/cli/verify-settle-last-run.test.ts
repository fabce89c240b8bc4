import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { readLastRun, recordRunFailedToStart } from '../../functions/core/lake/last-run.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import {
  TODAY_START as day0,
  TODAY_INGESTED_AT as ingestedAt,
  TODAY,
  todayLake,
  verifyAt as verifyAtLake,
} from '../support/verify-today-lake.ts';

/** The deployment settles hours 90 minutes: its run at 10:20 pulled every hour up to 08:00. */
const verifyNow = day0 + 10 * HOUR_MS + 25 * 60_000;

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-settle-last-run-'));
  lake = join(dir, 'lake');
  const summary = await todayLake(lake, { settleMinutes: 90, lastRun: true });
  expect(summary.failures).toEqual([]);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function verifyAt(nowMs: number, argv: string[]) {
  return verifyAtLake(lake, nowMs, argv);
}

// A verify run from a laptop without --settle-minutes judged hours by the default 15 minutes, so
// the hours a deployment settling longer had not pulled yet were reported as gaps (exit 1). The
// lake's last run now records its settle time, and verify judges by it unless told otherwise.

describe("verify judges a range by the settle time the lake's last run recorded", () => {
  it('the last run records its settle time', async () => {
    const record = JSON.parse(await readFile(join(lake, 'state', 'instance=acme', 'last-run.json'), 'utf8'));
    expect(record.settle_minutes).toBe(90);
  });

  it('without --settle-minutes: no gap where the deployment has not pulled yet, and says whose setting', async () => {
    const r = await verifyAt(verifyNow, TODAY);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('  hours covered: 8 of 8\n');
    expect(r.stdout).toContain(
      "(windows must end 90 min before now, the settle time the lake's last ingest run recorded)",
    );
    const json = JSON.parse((await verifyAt(verifyNow, [...TODAY, '--json'])).stdout);
    expect(json.clipped).toMatchObject({ settleMinutes: 90, settleFromLastRun: true });
  });

  it('--settle-minutes given wins over the record', async () => {
    const r = await verifyAt(verifyNow, [...TODAY, '--settle-minutes', '15']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  hours covered: 8 of 10 (1 gap(s))\n');
    expect(r.stdout).toContain('(windows must end 15 min before now)');
  });

  // R6: the note is one any lake writer can edit; a billion minutes clipped every hour past the
  // watermark out of the check (a 16-hour gap passed), a foreign record judged another instance.
  describe('a record the ingest would not have written counts as none', () => {
    const recordPath = () => join(lake, 'state', 'instance=acme', 'last-run.json');
    async function withRecord(edit: Record<string, unknown>, check: () => Promise<void>) {
      const original = await readFile(recordPath(), 'utf8');
      await writeFile(recordPath(), JSON.stringify({ ...JSON.parse(original), ...edit }));
      try {
        await check();
      } finally {
        await writeFile(recordPath(), original);
      }
    }
    const judgedByDefault = async () => {
      const r = await verifyAt(verifyNow, TODAY);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('  hours covered: 8 of 10 (1 gap(s))\n');
      expect(r.stdout).toContain('(windows must end 15 min before now)');
    };

    it('a settle time past what the ingest takes', () =>
      withRecord({ settle_minutes: 1e9 }, judgedByDefault));
    it("another instance's record", () => withRecord({ instance: 'other' }, judgedByDefault));
    it('a negative one, which still leaves the record readable for status', () =>
      withRecord({ settle_minutes: -5 }, async () => {
        await judgedByDefault();
        expect(await readLastRun(new FsObjectStore(lake), 'acme')).toMatchObject({ settle_minutes: -5 });
      }));
  });

  it('a run that failed before it planned keeps the settle time in its record', async () => {
    const original = await readFile(join(lake, 'state', 'instance=acme', 'last-run.json'), 'utf8');
    try {
      await recordRunFailedToStart(new FsObjectStore(lake), 'acme', 'S3 refused', ingestedAt + 60_000, 90);
      const r = await verifyAt(verifyNow, TODAY);
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout).toContain("the settle time the lake's last ingest run recorded");
    } finally {
      await writeFile(join(lake, 'state', 'instance=acme', 'last-run.json'), original);
    }
  });

  // R7: the checkpoint read to clip the range was read again to judge it: an extra GET on S3, and an
  // ingest between the two reads could make the clip and the report disagree.
  it('reads the checkpoint once for a range', async () => {
    const get = vi.spyOn(FsObjectStore.prototype, 'get');
    try {
      expect((await verifyAt(verifyNow, TODAY)).code).toBe(0);
      const checkpointReads = get.mock.calls.filter(([key]) => key.endsWith('checkpoint.json'));
      expect(checkpointReads).toHaveLength(1);
    } finally {
      get.mockRestore();
    }
  });
});
