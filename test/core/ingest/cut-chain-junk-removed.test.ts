import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../functions/adapters/fs-store.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { digestKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// docs/operations.md, "A digest of the chain is not a digest": junk put at the chain's next number
// stops every run; the runbook removes it and says the next run appends again. The runs that failed
// on the junk recorded it as the head they knew, so after its removal the chain ended before the
// recorded head and every run refused as over a cut chain.

const day0 = Date.parse('2026-10-01T00:00:00Z');
const entries = Array.from({ length: 16 }, (_, i) => viewEntry(day0 + i * 30 * 60_000, i));

async function recordedRunAt(lake: string, nowMs: number) {
  const store = new FsObjectStore(lake);
  const summary = await runIngest(quietIngestDeps(new MemoryAuditSource(entries), store, nowMs), {
    ...defaultIngestConfig('acme'),
    backfillDays: 1,
  });
  await recordLastRun(store, summary, nowMs);
  return summary;
}

let dir: string;
let lake: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cut-junk-'));
  lake = join(dir, 'lake');
  await recordedRunAt(lake, day0 + 6 * HOUR_MS + 1);
  await recordedRunAt(lake, day0 + 8 * HOUR_MS + 1);
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('junk at the chain next number, removed as the runbook says', () => {
  it('the next run appends again', async () => {
    const names = (await readdir(join(lake, 'digest/instance=acme'))).sort();
    const junk = join(lake, digestKey('acme', names.length));
    await writeFile(junk, 'not a digest');
    const failed = await recordedRunAt(lake, day0 + 9 * HOUR_MS + 1);
    expect(failed.failures[0]?.message).toContain('not valid JSON');
    await rm(junk);
    const next = await recordedRunAt(lake, day0 + 10 * HOUR_MS + 1);
    expect(next.failures).toEqual([]);
    const record = JSON.parse(await readFile(join(lake, 'state/instance=acme/last-run.json'), 'utf8'));
    expect(record.digest_head).toBeGreaterThanOrEqual(names.length);
  });
});
