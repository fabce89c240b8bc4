import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { checkpointKey } from '../../functions/core/lake/layout.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { captureIo } from '../support/capture-io.ts';
import { MemoryAuditSource, viewEntry } from '../support/memory-audit-source.ts';
import { noWaits } from '../support/no-waits.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-recorded-start-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** A lake on disk after one run at 06:00 over 12 views of day0, with its checkpoint's plan start set. */
async function lakeWithPlanStart(name: string, planFromMs: number): Promise<string> {
  const lake = join(dir, name);
  const source = new MemoryAuditSource(
    Array.from({ length: 12 }, (_, i) => viewEntry(day0 + i * 30 * 60_000, i)),
  );
  const deps = {
    ...noWaits,
    source,
    store: new FsObjectStore(lake),
    clock: { now: () => day0 + 6 * HOUR_MS + 1 },
    log: silentLog,
    metrics: { count() {} },
  };
  await runIngest(deps, { ...defaultIngestConfig('acme'), backfillDays: 1 });
  const file = join(lake, ...checkpointKey('acme').split('/'));
  const checkpoint = JSON.parse(await readFile(file, 'utf8'));
  await writeFile(file, JSON.stringify({ ...checkpoint, plan_from_ms: planFromMs }));
  return lake;
}

async function verifyText(lake: string) {
  const io = captureIo();
  const code = await main(['verify', '--lake', lake, '--instance', 'acme'], io.io);
  return { code, text: io.stdout() };
}

describe('verify without --from/--to, started by a record of the lake', () => {
  it('says which record set the start, and calls one edited back to 1970 edited, not to re-pull', async () => {
    const { code, text } = await verifyText(await lakeWithPlanStart('edited', 0));
    expect(code).toBe(1);
    expect(text).toContain(
      "  from 1970-01-01 00:00Z: the checkpoint's plan start (plan_from_ms, state/instance=acme/checkpoint.json); the first covered hour is 2026-09-30 06:00Z",
    );
    expect(text).toContain('further back than any ingest backfills (366 days): the record looks edited');
    expect(text).toContain('re-pull the gaps with ingest --from/--to, all but the first');
  });

  it('says so without calling it edited when the start is within a backfill', async () => {
    const { code, text } = await verifyText(await lakeWithPlanStart('within', day0 - 2 * 24 * HOUR_MS));
    expect(code).toBe(1);
    expect(text).toContain("  from 2026-09-29 00:00Z: the checkpoint's plan start");
    expect(text).not.toContain('looks edited');
    expect(text).toMatch(/re-pull the gaps with ingest --from\/--to$/m);
  });
});
