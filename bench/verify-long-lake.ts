/**
 * What `verify` and `verify --integrity` cost on a long lake in S3 round trips: a lake of `HOURS`
 * hours (one event each) built by one scheduled run an hour, as the stack runs them, then verified
 * through a store whose every GET takes 30 ms of virtual time (S3 from a laptop in the region,
 * roughly). Virtual time, not wall time: the figures are those of the GETs, whatever the machine.
 *
 *   node --import tsx bench/verify-long-lake.ts [hours] [lake-file]
 *
 * Building a year of hours takes minutes: with `lake-file`, the lake is saved there the first time
 * and read back after (to compare two versions of the code on the same lake).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { defaultIngestConfig } from '../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../functions/core/ingest/run-ingest.ts';
import { verifyLake } from '../functions/core/lake/verify-lake.ts';
import { verifyWithIntegrity } from '../functions/core/lake/verify-with-integrity.ts';
import { HOUR_MS, MINUTE_MS } from '../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../test/support/memory-audit-source.ts';
import { MemoryObjectStore } from '../test/support/memory-store.ts';
import { quietIngestDeps } from '../test/support/quiet-ingest-deps.ts';
import { VirtualLatencyStore } from '../test/support/virtual-latency-store.ts';

const HOURS = Number(process.argv[2] ?? 24 * 365);
const LAKE_FILE = process.argv[3];
const GET_MS = 30;
const day0 = Date.parse('2026-01-01T00:00:00Z');

async function buildLake(): Promise<MemoryObjectStore> {
  const lake = new MemoryObjectStore();
  if (LAKE_FILE && existsSync(LAKE_FILE)) {
    const saved = JSON.parse(readFileSync(LAKE_FILE, 'utf8')) as [string, string][];
    for (const [key, body] of saved) lake.putNow(key, Buffer.from(body, 'base64'));
    return lake;
  }
  const entries = Array.from({ length: HOURS + 2 }, (_, i) => viewEntry(day0 + i * HOUR_MS + MINUTE_MS, i));
  const domo = new MemoryAuditSource(entries);
  const config = { ...defaultIngestConfig('acme'), backfillDays: 1 };
  for (let hour = 1; hour <= HOURS; hour++) {
    // A scheduled run an hour, 20 minutes past (the hour before is settled).
    await runIngest(quietIngestDeps(domo, lake, day0 + hour * HOUR_MS + 20 * MINUTE_MS), config);
  }
  if (LAKE_FILE) {
    const saved = [...lake.objects].map(([key, o]) => [key, Buffer.from(o.body).toString('base64')]);
    writeFileSync(LAKE_FILE, JSON.stringify(saved));
  }
  return lake;
}

const lake = await buildLake();
const figures = (what: string, timed: VirtualLatencyStore, ok: boolean) =>
  console.log(
    `${what}: ok ${ok}, ${timed.gets.toLocaleString('en-US')} GETs, ${(timed.elapsedMs / 1000).toFixed(0)} s at ${GET_MS} ms a GET, at most ${timed.mostInFlight} in flight`,
  );
console.log(`${HOURS} hours: ${lake.objects.size.toLocaleString('en-US')} objects`);
const plain = new VirtualLatencyStore(lake, GET_MS);
figures('verify', plain, (await verifyLake(plain, 'acme')).ok);
const both = new VirtualLatencyStore(lake, GET_MS);
figures('verify --integrity', both, (await verifyWithIntegrity(both, 'acme', undefined)).ok);
