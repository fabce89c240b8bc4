import { appendDigest, type DigestSigner } from '../../functions/core/lake/digest.ts';
import type { ObjectStore } from '../../functions/core/ports.ts';

/**
 * Appends `count` sealed digests of instance `acme` listing no object, as runs that wrote nothing
 * append them; digest `i` signed by `signerOf(i)` when it gives one.
 */
export async function appendEmptyDigests(
  store: ObjectStore,
  count: number,
  signerOf: (i: number) => DigestSigner | undefined = () => undefined,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const signer = signerOf(i);
    await appendDigest(store, {
      instance: 'acme',
      runId: `run-${i}`,
      createdAt: '2026-10-01T07:00:00.000Z',
      objects: [],
      sealed: true,
      fromMs: null,
      ...(signer ? { signer } : {}),
    });
  }
}
