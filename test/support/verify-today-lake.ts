import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import type { IngestSummary } from '../../functions/core/ingest/ingest-types.ts';
import { recordLastRun } from '../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { captureIo } from './capture-io.ts';
import { MemoryAuditSource, viewEntry } from './memory-audit-source.ts';
import { quietIngestDeps } from './quiet-ingest-deps.ts';

/** The day of the lake `verify`'s range tests read: 2026-12-02, UTC. */
export const TODAY_START = Date.parse('2026-12-02T00:00:00Z');
/** When its ingest ran: 10:20, so with the default settle time every hour up to 10:00 is in it. */
export const TODAY_INGESTED_AT = TODAY_START + 10 * HOUR_MS + 20 * 60_000;
/** `verify`'s options for that whole day. */
export const TODAY = ['--from', '2026-12-02', '--to', '2026-12-03'];

/**
 * Instance `acme` ingested on disk at `lake`: one view a minute past each of the day's first 12
 * hours, pulled at {@link TODAY_INGESTED_AT} with `settleMinutes` (the default without), and the
 * run's last-run note when `lastRun` is set, its digests stating `maxDays` when set (as the
 * scheduled ingest's state the deployment's retention.maxDays).
 */
export async function todayLake(
  lake: string,
  options: { settleMinutes?: number; lastRun?: boolean; maxDays?: number | null } = {},
): Promise<IngestSummary> {
  const store = new FsObjectStore(lake);
  const source = new MemoryAuditSource(
    Array.from({ length: 12 }, (_, i) => viewEntry(TODAY_START + i * HOUR_MS + 60_000, i)),
  );
  const deps = quietIngestDeps(source, store, TODAY_INGESTED_AT);
  const settle = options.settleMinutes === undefined ? {} : { settleMinutes: options.settleMinutes };
  const stated = options.maxDays === undefined ? {} : { maxDays: options.maxDays };
  const summary = await runIngest(
    deps,
    { ...defaultIngestConfig('acme'), backfillDays: 1, ...settle },
    stated,
  );
  if (options.lastRun) await recordLastRun(store, summary, TODAY_INGESTED_AT);
  return summary;
}

/** `verify --lake <lake> …argv` run at `nowMs`, with what it printed. */
export async function verifyAt(lake: string, nowMs: number, argv: string[]) {
  const { io, stdout, stderr } = captureIo();
  const code = await main(['verify', '--lake', lake, ...argv], { ...io, clock: { now: () => nowMs } });
  return { code, stdout: stdout(), stderr: stderr() };
}
