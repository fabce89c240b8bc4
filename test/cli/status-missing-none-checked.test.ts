import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { statusCommand } from '../../functions/cli/commands/status.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { recordLastRun } from '../../functions/core/lake/last-run.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/lake/layout.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { captureIo } from '../support/capture-io.ts';
import { MemoryAuditSource, viewEntry } from '../support/memory-audit-source.ts';

const INGESTED_AT = Date.UTC(2026, 10, 10, 10, 20);

describe('status of an instance whose watermark stopped more than a week ago', () => {
  it('shows no hours checked as "-", not as 0/0 ("nothing missing")', async () => {
    const lake = await mkdtemp(join(tmpdir(), 'status-stopped-'));
    const store = new FsObjectStore(lake);
    const source = new MemoryAuditSource();
    for (let t = INGESTED_AT - DAY_MS; t < INGESTED_AT; t += 30 * 60_000)
      source.add(viewEntry(t, t / 60_000));
    const deps = {
      source,
      store,
      clock: { now: () => INGESTED_AT },
      log: silentLog,
      metrics: { count() {} },
    };
    const summary = await runIngest(deps, { ...defaultIngestConfig('main'), backfillDays: 1 }, {});
    await recordLastRun(store, summary, INGESTED_AT);
    const status = async (nowMs: number) => {
      const { io, stdout } = captureIo();
      await statusCommand(['--lake', lake], { ...io, log: silentLog, clock: { now: () => nowMs } });
      return stdout().split('\n')[3] ?? '';
    };
    // Two days on, its last 2 days below the watermark are checked.
    expect(await status(INGESTED_AT + 2 * DAY_MS)).toMatch(/^main\s+LATE\s+.*\s0\/\d+\s/);
    // Twenty days on, none of the last 7 days lies below the watermark: nothing was checked.
    const late = await status(INGESTED_AT + 20 * DAY_MS + HOUR_MS);
    expect(late).toMatch(/^main\s+LATE\s+11-10 10:00\s+20d 0[12]h\s.*\s-\s+0\s/);
    expect(late).not.toContain('0/0');
    await rm(lake, { recursive: true, force: true });
  });
});
