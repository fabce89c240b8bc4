import { appendDigest, type DigestEntry, sha256Hex } from '../../functions/core/lake/digest.ts';
import type { MemoryObjectStore } from './memory-store.ts';

/** What a run appends as a digest of instance `acme`, pulled from `fromMs`: sealing, or not (it goes on). */
export const runDigest = (runId: string, objects: DigestEntry[], fromMs: number, sealed: boolean) => ({
  instance: 'acme',
  runId,
  createdAt: '2026-10-01T07:00:00.000Z',
  objects,
  sealed,
  fromMs,
});

/** What a run appends as its one, sealing digest of instance `acme`, pulled from `fromMs`. */
export const sealedDigest = (runId: string, objects: DigestEntry[], fromMs: number) =>
  runDigest(runId, objects, fromMs, true);

/** A digest entry of `key` whose versions are short texts (`v`), as a chain written by hand lists them. */
export const textVersionEntry = (
  key: string,
  v: string,
  how: 'adopt' | 'read' | 'write',
  replaced?: string,
): DigestEntry => ({
  key,
  sha256: sha256Hex(new TextEncoder().encode(v)),
  bytes: 1,
  records: 1,
  how,
  ...(replaced ? { replaced: sha256Hex(new TextEncoder().encode(replaced)) } : {}),
});

/** Appends each run's sealing digest in this order. */
export async function appendSealed(
  store: MemoryObjectStore,
  digests: readonly [string, DigestEntry[]][],
  fromMs: number,
): Promise<void> {
  for (const [runId, objects] of digests) await appendDigest(store, sealedDigest(runId, objects, fromMs));
}
