/**
 * A scheduled run with nothing to pull still looks for runs open at the digest chain's head, and
 * found the head by a search from digest 0 every time: ~2·log2(N) probes in a row, then a listing.
 * It now starts from the head the last run recorded (as `status` does): one probe, one listing.
 * The hint is only where the search starts: a record that is missing, unreadable or below the head
 * still leads to the chain's real head, and the dead run open there is sealed (one past the head
 * is a cut chain, which the run refuses: cut-chain-refused.test.ts).
 * Counted on the in-memory store (one run, nothing concurrent: the counts are exact).
 */
import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { decodeDigest, listDigestKeys } from '../../../functions/core/lake/digest.ts';
import { type LastRun, lastRunKey, writeLastRun } from '../../../functions/core/lake/last-run.ts';
import { digestSequenceFromKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { HOURLY_RUNS_START, hourlyRunsLake } from '../../support/hourly-runs-lake.ts';
import { lakeAfterDeadRepull } from '../../support/lake-after-dead-repull.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

/** `inner`, counting every request made of it (get, exists, list, put). */
function counting(inner: ObjectStore): { store: ObjectStore; requests: string[] } {
  const requests: string[] = [];
  const store = new Proxy(inner, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (['get', 'exists', 'list', 'put'].includes(String(prop)))
          requests.push(`${String(prop)} ${String(args[0])}`);
        return value.apply(target, args);
      };
    },
  });
  return { store, requests };
}

const encoder = new TextEncoder();

/** A record of a scheduled run that ended well at `nowMs`. */
const recordOf = (runId: string, nowMs: number): LastRun => ({
  version: 1,
  instance: 'acme',
  run_id: runId,
  mode: 'checkpoint',
  finished_at: new Date(nowMs).toISOString(),
  finished_at_ms: nowMs,
  outcome: 'ok',
  hours_done: 1,
  hours_failed: 0,
  events_written: 1,
  quarantined: 0,
  watermark_ms: null,
  first_failure: null,
});

/** The record's `digest_head` replaced (undefined: removed). */
async function editHint(lake: MemoryObjectStore, instance: string, hint: unknown): Promise<void> {
  const stored = lake.objects.get(lastRunKey(instance));
  const { digest_head: _old, ...record } = JSON.parse(new TextDecoder().decode(stored?.body));
  const edited = hint === undefined ? record : { ...record, digest_head: hint };
  await lake.put(lastRunKey(instance), encoder.encode(JSON.stringify(edited)));
}

describe('a run with nothing to pull on three days of hourly runs', () => {
  const config = { ...defaultIngestConfig('acme'), backfillDays: 1 };
  const now = HOURLY_RUNS_START + 72 * HOUR_MS + 25 * 60_000;
  const domo = new MemoryAuditSource([]);

  it('finds the head from the one the last run recorded, and records it again', async () => {
    const lake = await hourlyRunsLake(72);
    const head = digestSequenceFromKey((await listDigestKeys(lake, 'acme')).at(-1) as string);
    const first = await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'quiet-1' });
    expect(first.windowsPlanned).toBe(0);
    // Found, though not opened: the next run starts there.
    expect(first.digestHead).toBe(head);
    await recordLastRun(lake, first, now);

    const hinted = counting(lake);
    const second = await runIngest(quietIngestDeps(domo, hinted.store, now), config, { runId: 'quiet-2' });
    expect(second.digestHead).toBe(head);
    const digestRequests = (requests: string[]) => requests.filter((r) => r.includes(' digest/'));
    // The checkpoint read; before the plan's first pull: digest 0 looked for (chain-restart-guard.ts),
    // the run record read, the recorded head probed and a listing after it (chain-cut-guard.ts: the
    // chain reaches the recorded head). Then, from the head the guard found (neither the record
    // read again nor the head probed again: 13 requests before), a listing after it, the head's
    // body, and the walk over the head's run.
    expect(hinted.requests).toHaveLength(12);
    expect(hinted.requests.filter((request) => request.includes('last-run'))).toHaveLength(1);
    expect(digestRequests(hinted.requests)).toHaveLength(9);
    const headKey = (await listDigestKeys(lake, 'acme')).find((key) => digestSequenceFromKey(key) === head);
    // Read twice on this store, which probes by GET: by the guard's probe, and for the opening's hash.
    expect(hinted.requests.filter((request) => request === `get ${headKey}`)).toHaveLength(2);

    await editHint(lake, 'acme', undefined);
    const searched = counting(lake);
    await runIngest(quietIngestDeps(domo, searched.store, now), config, { runId: 'quiet-3' });
    // Digest 0 looked for, the search from digest 0: 19 probes and a listing, then the same walk.
    expect(digestRequests(searched.requests)).toHaveLength(25);
  });

  it("on a store that probes by HEAD (S3), GETs the head's digest once", async () => {
    const lake = await hourlyRunsLake(72);
    const first = await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'quiet-1' });
    await recordLastRun(lake, first, now);
    const headKey = (await listDigestKeys(lake, 'acme')).at(-1) as string;
    const withHead: ObjectStore = {
      location: lake.location,
      get: (key) => lake.get(key),
      exists: async (key) => lake.objects.has(key),
      list: (prefix, options) => lake.list(prefix, options),
      put: (key, body, options) => lake.put(key, body, options),
    };
    const probed = counting(withHead);
    await runIngest(quietIngestDeps(domo, probed.store, now), config, { runId: 'quiet-2' });
    // Its body read once, to hash it and for the walk back to decode; probed once, by HEAD, before
    // the first pull (chain-cut-guard.ts): the search for runs open at it starts from what that found.
    expect(probed.requests.filter((request) => request === `get ${headKey}`)).toHaveLength(1);
    expect(probed.requests.filter((request) => request === `exists ${headKey}`)).toHaveLength(1);
    expect(probed.requests.filter((request) => request.includes('last-run'))).toHaveLength(1);
  });
});

describe('a hint that is not the head never hides the run open there', () => {
  const day0 = Date.parse('2026-10-01T00:00:00Z');
  const hour = (h: number) => day0 + h * HOUR_MS;
  const now = hour(6) + 30 * 60_000;
  const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 };

  const hints: [string, (head: number) => unknown][] = [
    ['none', () => undefined],
    ['the head before the dead run (stale)', (head) => head - 1],
    ['digest 0', () => 0],
    ['not a digest number', () => 2.5],
    ['negative', () => -3],
  ];
  // A hint past the head is a record that names a digest the chain no longer holds: the run refuses
  // to append over that cut (cut-chain-refused.test.ts).

  it.each(hints)('hint %s: the run with nothing to pull seals the dead run', async (_, hintOf) => {
    const domo = new MemoryAuditSource(
      Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
    );
    const lake = await lakeAfterDeadRepull(domo, config, now, hour(2));
    const head = digestSequenceFromKey((await listDigestKeys(lake, 'acme')).at(-1) as string) as number;
    // The record the scheduled run before the dead re-pull left (the dead run left none).
    await writeLastRun(lake, { ...recordOf('scheduled-1', now), digest_head: 0 });
    await editHint(lake, 'acme', hintOf(head));
    expect((await verifyIntegrity(lake, 'acme')).unsealedHead?.runId).toBe('dead-repull');

    const summary = await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'sealer' });
    expect(summary.failures).toEqual([]);
    expect(summary.digestHead).toBeGreaterThan(head);
    const after = await verifyIntegrity(lake, 'acme');
    expect(after).toMatchObject({ ok: true, problems: [], unsealedHead: null });
    const last = (await listDigestKeys(lake, 'acme')).at(-1) as string;
    expect(decodeDigest(last, lake.objects.get(last)?.body as Uint8Array)).toMatchObject({ sealed: true });
  });

  it('an unreadable record is no hint: the head is searched for', async () => {
    const domo = new MemoryAuditSource(
      Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
    );
    const lake = await lakeAfterDeadRepull(domo, config, now, hour(2));
    await lake.put(lastRunKey('acme'), encoder.encode('{"version":1,'));
    const summary = await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'sealer' });
    expect(summary.failures).toEqual([]);
    expect((await verifyIntegrity(lake, 'acme')).unsealedHead).toBeNull();
  });
});
