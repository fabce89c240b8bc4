import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../support/memory-audit-source.ts';
import { quietIngestDeps } from '../support/quiet-ingest-deps.ts';
import { TODAY_INGESTED_AT, TODAY_START, verifyAt } from '../support/verify-today-lake.ts';

// Review F-VERIFY2 3: verify judged which covered hours are not final by the ingest's default
// lookback (2 h) and later pull (24 h), as the lake did not record the deployment's. The last-run
// record now keeps both, and verify takes them from it.

const verifyNow = TODAY_INGESTED_AT + 5 * 60_000;
const watermarkMs = TODAY_START + 10 * HOUR_MS;
let dir: string;
let lake: string;
const recordPath = () => join(lake, 'state', 'instance=acme', 'last-run.json');
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-recorded-finality-'));
  lake = join(dir, 'lake');
  const store = new FsObjectStore(lake);
  const source = new MemoryAuditSource(
    Array.from({ length: 12 }, (_, i) => viewEntry(TODAY_START + i * HOUR_MS + 60_000, i)),
  );
  // A deployment that re-pulls six hours each run and has the later pull off.
  const config = { ...defaultIngestConfig('acme'), backfillDays: 1, lookbackHours: 6, repullAfterHours: 0 };
  const summary = await runIngest(quietIngestDeps(source, store, TODAY_INGESTED_AT), config);
  await recordLastRun(store, summary, TODAY_INGESTED_AT);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function notFinal() {
  const r = await verifyAt(lake, verifyNow, ['--instance', 'acme', '--json']);
  expect(r.code, r.stdout).toBe(0);
  return JSON.parse(r.stdout).notFinal;
}

describe("verify's hours not yet final follow the lookback and later pull the last run recorded", () => {
  it('the last run records both', async () => {
    const record = JSON.parse(await readFile(recordPath(), 'utf8'));
    expect(record).toMatchObject({ settle_minutes: 15, lookback_hours: 6, repull_after_hours: 0 });
  });

  it('judges by them: the six hours of the lookback, final six hours after the watermark', async () => {
    expect(await notFinal()).toEqual({
      hourCount: 6,
      fromMs: watermarkMs - 6 * HOUR_MS,
      toMs: watermarkMs,
      finalAfterMs: watermarkMs + 6 * HOUR_MS,
    });
  });

  it('takes the defaults from a record written before they were kept, or one no ingest would write', async () => {
    const original = await readFile(recordPath(), 'utf8');
    const { lookback_hours: _l, repull_after_hours: _r, ...older } = JSON.parse(original);
    try {
      await writeFile(recordPath(), JSON.stringify(older));
      const byDefault = await notFinal();
      // The later pull's 24 hours: every hour the first run read less than a day after it ended.
      expect(byDefault.finalAfterMs).toBe(watermarkMs + 24 * HOUR_MS);
      expect(byDefault.hourCount).toBeGreaterThan(6);
      await writeFile(
        recordPath(),
        JSON.stringify({ ...older, lookback_hours: 1e9, repull_after_hours: -3 }),
      );
      expect(await notFinal()).toEqual(byDefault);
    } finally {
      await writeFile(recordPath(), original);
    }
  });
});
