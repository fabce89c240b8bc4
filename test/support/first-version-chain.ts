/**
 * What tests of the digest chain's history build: the chain as its first version wrote it, and a
 * run killed right after one of its writes landed.
 */
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { listDigestKeys, sha256Hex } from '../../functions/core/lake/digest.ts';
import { coverageKey } from '../../functions/core/lake/layout.ts';
import type { ObjectStore } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from './memory-audit-source.ts';
import { MemoryObjectStore } from './memory-store.ts';
import { quietIngestDeps } from './quiet-ingest-deps.ts';

/** The fields digests gained after the chain's first version (4cd0c6e, 2026-11-30), oldest first. */
const LATER_FIELDS = ['sealed', 'from_ms', 'to_ms', 'began', 'intents', 'runner'] as const;

/**
 * Rewrites every digest of `instance` in `lake` without `fields`, each digest relinked to the
 * bytes of the one before: the chain as a release that did not write them left it.
 */
export async function rewriteDigestsWithout(
  lake: MemoryObjectStore,
  instance: string,
  fields: readonly string[],
): Promise<void> {
  let previous: { key: string; sha256: string } | null = null;
  for (const key of await listDigestKeys(lake, instance)) {
    const text = new TextDecoder().decode(lake.objects.get(key)?.body as Uint8Array);
    const old: Record<string, unknown> = JSON.parse(text);
    for (const field of fields) delete old[field];
    const body = new TextEncoder().encode(`${JSON.stringify({ ...old, previous })}\n`);
    await lake.put(key, body);
    previous = { key, sha256: sha256Hex(body) };
  }
}

/**
 * Rewrites every digest of `instance` in `lake` as the chain's first version (4cd0c6e, 2026-11-30)
 * wrote it: none of the later fields, as that version's own verify accepted it.
 */
export const rewriteAsFirstVersion = (lake: MemoryObjectStore, instance: string): Promise<void> =>
  rewriteDigestsWithout(lake, instance, LATER_FIELDS);

/** `lake` as a run sees it that is killed right after its put of `lastKey` lands: nothing after. */
export function killedAfterPut(lake: ObjectStore, lastKey: string): ObjectStore {
  let killed = false;
  return {
    location: lake.location,
    get: async (key) => {
      if (killed) throw new Error('killed');
      return lake.get(key);
    },
    list: (prefix) => lake.list(prefix),
    put: async (key, body, options) => {
      if (killed) throw new Error('killed');
      const put = await lake.put(key, body, options);
      if (key === lastKey) killed = true;
      return put;
    },
  };
}

/**
 * Instance `acme` (one day's backfill, concurrency 1, 36 views 10 minutes apart from `day0`) after
 * a re-pull of hours 1-4, with a late view in each of hours 1-3, was killed right after hour 3's
 * manifest landed: the lake and the source, for the run after to be made as each test needs.
 */
export async function lakeWithKilledRePull(
  day0: number,
): Promise<{ lake: MemoryObjectStore; domo: MemoryAuditSource }> {
  const hour = (h: number) => day0 + h * HOUR_MS;
  const now = hour(6) + 30 * 60_000;
  const config = { ...defaultIngestConfig('acme'), backfillDays: 1, concurrency: 1 };
  const domo = new MemoryAuditSource(
    Array.from({ length: 36 }, (_, i) => viewEntry(day0 + i * 10 * 60_000, i)),
  );
  const lake = new MemoryObjectStore();
  await runIngest(quietIngestDeps(domo, lake, now), config, { runId: 'first' });
  for (const h of [1, 2, 3]) domo.add(viewEntry(hour(h) + 7 * 60_000 + 3, 500 + h));
  await runIngest(quietIngestDeps(domo, killedAfterPut(lake, coverageKey('acme', hour(3))), now), config, {
    runId: 'killed',
    range: { fromMs: hour(1), toMs: hour(5) },
  }).catch(() => undefined);
  return { lake, domo };
}
