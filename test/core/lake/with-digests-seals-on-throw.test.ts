import { describe, expect, it } from 'vitest';
import { decodeDigest, listDigestKeys } from '../../../functions/core/lake/digest.ts';
import { withDigests } from '../../../functions/core/lake/digest-recorder.ts';
import { coverageKey, digestPrefix } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const hour = Date.parse('2026-10-01T10:00:00Z');
const options = { instance: 'acme', runId: 'enrich-1', clock: { now: () => hour + 7_200_000 }, fromMs: hour };
const body = new TextEncoder().encode('{"rewritten":true}\n');

const lastDigest = async (store: MemoryObjectStore) => {
  const key = (await listDigestKeys(store, 'acme')).at(-1) as string;
  return decodeDigest(key, store.objects.get(key)?.body as Uint8Array);
};

// A use case that fails half-way (enrich losing its geo database) has still rewritten objects: the
// chain must list them and end sealed, or verify --integrity fails on an innocent rewrite.
describe('withDigests when the work throws', () => {
  it('seals the chain with what the work wrote before failing, and rethrows its error', async () => {
    const store = new MemoryObjectStore();
    const key = coverageKey('acme', hour);
    await expect(
      withDigests(store, options, async (recording) => {
        await recording.put(key, body);
        throw new Error('the geo database is missing');
      }),
    ).rejects.toThrow('the geo database is missing');

    const last = await lastDigest(store);
    expect(last).toMatchObject({ sealed: true, run_id: 'enrich-1', from_ms: hour });
    expect(last.objects).toEqual([expect.objectContaining({ key, how: 'write' })]);
    expect(await verifyIntegrity(store, 'acme')).toMatchObject({
      ok: true,
      problems: [],
      unsealedHead: null,
    });
  });

  it("reports the work's error, not the seal's, when the seal fails too", async () => {
    const store = new MemoryObjectStore();
    let storeDown = false;
    store.beforePut = (key) => {
      if (storeDown && key.startsWith(digestPrefix('acme'))) throw new Error('S3 is unavailable');
    };
    await expect(
      withDigests(store, options, async (recording) => {
        await recording.put(coverageKey('acme', hour), body);
        storeDown = true;
        throw new Error('the geo database is missing');
      }),
    ).rejects.toThrow('the geo database is missing');
    expect(store.puts.filter((put) => put.key.startsWith(digestPrefix('acme'))).length).toBe(2);
  });
});
