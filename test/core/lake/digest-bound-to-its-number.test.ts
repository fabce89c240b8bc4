import { describe, expect, it } from 'vitest';
import {
  appendDigest,
  decodeDigest,
  listDigestKeys,
  sha256Hex,
} from '../../../functions/core/lake/digest.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

async function chainOfThree() {
  const store = new MemoryObjectStore();
  for (const runId of ['run-0', 'run-1', 'run-2']) {
    await appendDigest(store, {
      instance: 'acme',
      runId,
      createdAt: '2026-10-01T07:00:00.000Z',
      objects: [],
      sealed: true,
      fromMs: null,
    });
  }
  return store;
}

// The number inside a (signed) digest is what stops a digest being copied to another place in the
// chain; the tip has no later link to betray a changed number, so only this check catches it.
describe('a digest whose body names another number than its key', () => {
  it.each([
    ['an earlier', 1],
    ['a later', 3],
  ])('is reported when it says %s number', async (_, sequence) => {
    const store = await chainOfThree();
    const tip = (await listDigestKeys(store, 'acme')).at(-1) as string;
    const digest = decodeDigest(tip, store.objects.get(tip)?.body as Uint8Array);
    expect(await verifyIntegrity(store, 'acme')).toMatchObject({ ok: true, problems: [] });

    const moved = new TextEncoder().encode(`${JSON.stringify({ ...digest, sequence })}\n`);
    store.putNow(tip, moved);
    const report = await verifyIntegrity(store, 'acme');
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      {
        kind: 'bad-digest',
        key: tip,
        detail: `says it is digest ${sequence} of instance "acme", not what its key says`,
        sha256: sha256Hex(moved),
      },
    ]);
  });
});
