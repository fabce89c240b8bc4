import type { ObjectStore } from '../ports.ts';
import { contentHashOf } from './content-hash.ts';
import { readManifest } from './coverage.ts';
import type { CoverageManifest } from './coverage-manifest.ts';
import type { EventRecord } from './event-record.ts';
import { coverageKey } from './layout.ts';

/** An hour's event ids, and which run first wrote each (records keep their first-seen provenance). */
export interface HeldIds {
  ids: Set<string>;
  byRun: Map<string, { ids: string[]; ingestedAt: string }>;
}

export function heldBy(held: HeldIds, record: EventRecord): { ids: string[]; ingestedAt: string } {
  let run = held.byRun.get(record.run_id);
  if (!run) {
    run = { ids: [], ingestedAt: record.ingested_at };
    held.byRun.set(record.run_id, run);
  }
  return run;
}

/** How the manifest and the ids disagree, if they do. */
function disagreement(manifest: CoverageManifest, ids: ReadonlySet<string>): string | undefined {
  if (ids.size !== manifest.event_count)
    return `manifest says ${manifest.event_count} events, object holds ${ids.size}`;
  if (contentHashOf(ids) !== manifest.content_hash) return 'content hash differs from the manifest';
  return undefined;
}

/**
 * Compares an hour's object with its manifest. A pull merges into the object first and rewrites the
 * manifest after, so an object read after its manifest may already hold a pull's new events: then
 * the manifest is read again, and if it still disagrees, the hour counts as grown (not a mismatch)
 * when the object is exactly the manifest's events plus what later pulls first wrote (`grownBy` events;
 * 0 for a mismatch).
 */
export async function compareWithManifest(
  store: ObjectStore,
  instance: string,
  manifest: CoverageManifest,
  held: HeldIds,
): Promise<{ grownBy: number; detail: string } | undefined> {
  const detail = disagreement(manifest, held.ids);
  if (detail === undefined) return undefined;
  if (held.ids.size <= manifest.event_count) return { grownBy: 0, detail };
  const again = await readManifestAgain(store, instance, manifest.window_start_ms);
  if (again && disagreement(again, held.ids) === undefined) return undefined;
  const extended = [again, manifest].find(
    (m): m is CoverageManifest => m !== undefined && m.event_count < held.ids.size && isExtensionOf(m, held),
  );
  if (!extended) return { grownBy: 0, detail };
  return {
    grownBy: held.ids.size - extended.event_count,
    detail: `manifest says ${extended.event_count} events, object holds ${held.ids.size}`,
  };
}

/** The hour's manifest read again; undefined when gone or no longer readable (then the first read judges). */
async function readManifestAgain(
  store: ObjectStore,
  instance: string,
  windowStartMs: number,
): Promise<CoverageManifest | undefined> {
  const stored = await store.get(coverageKey(instance, windowStartMs));
  const reading = stored && readManifest(stored.body, windowStartMs);
  return reading?.ok ? reading.manifest : undefined;
}

/**
 * Whether taking out the records of some later pulls leaves exactly the manifest's events. Each
 * pull merges an hour once, so its records are all in the manifest or all after it; the manifest's
 * own run wrote it after its merge, so its records are all in. Tried: each other run alone, and the
 * newest runs together (overlapping pulls), which covers a pull in progress and one interrupted.
 */
function isExtensionOf(manifest: CoverageManifest, held: HeldIds): boolean {
  const extra = held.ids.size - manifest.event_count;
  const later = [...held.byRun.entries()]
    .filter(([runId]) => runId !== manifest.run_id)
    .sort(([, a], [, b]) => b.ingestedAt.localeCompare(a.ingestedAt, 'en'))
    .map(([, run]) => run.ids);
  const newest: string[][] = [];
  const candidates = later.flatMap((ids) => {
    newest.push(ids);
    return [[ids], [...newest]];
  });
  return candidates.some((runs) => {
    const removed = new Set(runs.flat());
    if (removed.size !== extra) return false;
    return contentHashOf([...held.ids].filter((id) => !removed.has(id))) === manifest.content_hash;
  });
}
