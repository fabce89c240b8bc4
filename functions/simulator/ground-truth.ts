import { writeFile } from 'node:fs/promises';
import type { StoredEntry } from './audit-store.ts';

/** One entry the simulated API holds, exactly as it serves it. */
export interface GroundTruthEntry {
  /** The event's time in epoch ms (the key the server filters on; `served.time` may be coarser). */
  timeMs: number;
  /** The value served in the response array, `time` rendered; a string or number when malformed. */
  served: unknown;
  /** True when the served value has no usable `time` or is not an object: the ingest must quarantine it. */
  malformed: boolean;
  /** Index (in the same ground-truth array) of the first entry with byte-identical served JSON. */
  twinOf?: number;
  /** Set only for a late-arriving entry: when the API started serving it (after `timeMs`). */
  visibleFromMs?: number;
}

/** Ground truth in serving order (newest first, ties in insertion order); identical entries point at the first. */
export function toGroundTruth(entries: readonly StoredEntry[]): GroundTruthEntry[] {
  const firstIndex = new Map<string, number>();
  return entries.map((e, i) => {
    const entry: GroundTruthEntry = { timeMs: e.timeMs, served: JSON.parse(e.json), malformed: e.malformed };
    if (e.visibleFromMs > e.timeMs) entry.visibleFromMs = e.visibleFromMs;
    const first = firstIndex.get(e.json);
    if (first === undefined) firstIndex.set(e.json, i);
    else entry.twinOf = first;
    return entry;
  });
}

/** One JSON object per line, in the given order, ending with a newline (empty string for no entries). */
export function groundTruthToNdjson(entries: readonly GroundTruthEntry[]): string {
  return entries.map((e) => `${JSON.stringify(e)}\n`).join('');
}

/** Writes the ground truth as NDJSON to `filePath`. */
export async function writeGroundTruthNdjson(
  filePath: string,
  entries: readonly GroundTruthEntry[],
): Promise<void> {
  await writeFile(filePath, groundTruthToNdjson(entries), 'utf8');
}
