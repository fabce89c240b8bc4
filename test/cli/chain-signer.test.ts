import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { chainSigner } from '../../functions/cli/chain-signer.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { type DigestSigner, listDigestKeys } from '../../functions/core/lake/digest.ts';
import { verifyIntegrity } from '../../functions/core/lake/verify-integrity.ts';
import { type ObjectStore, silentLog } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { digestSignerOf, fakeKmsKey } from '../support/fake-kms-signer.ts';
import { MemoryAuditSource, viewEntry } from '../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../support/memory-store.ts';
import { noWaits } from '../support/no-waits.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const key = fakeKmsKey();
const kmsSigner = digestSignerOf(key);

async function ingest(store: MemoryObjectStore, nowMs: number, digestSigner?: DigestSigner) {
  const source = new MemoryAuditSource(
    Array.from({ length: 8 }, (_, i) => viewEntry(day0 + i * 40 * 60_000, i)),
  );
  await runIngest(
    {
      ...noWaits,
      source,
      store,
      clock: { now: () => nowMs },
      log: silentLog,
      metrics: { count() {} },
      ...(digestSigner ? { digestSigner } : {}),
    },
    { ...defaultIngestConfig('acme'), backfillDays: 1 },
  );
}

describe('chainSigner (commands that write a lake the stack signs)', () => {
  it("signs with the key of the chain's last digest, so the chain stays verifiable", async () => {
    const store = new MemoryObjectStore();
    await ingest(store, day0 + 4 * HOUR_MS, kmsSigner);
    const asked: string[] = [];
    const notes = new PassThrough();
    const signer = await chainSigner(
      store,
      'acme',
      async (keyId) => {
        asked.push(keyId);
        return kmsSigner;
      },
      notes,
    );
    expect(asked).toEqual([key.keyId]);
    expect(String(notes.read())).toContain(`signing digests with "${key.keyId}"`);
    await ingest(store, day0 + 6 * HOUR_MS, signer);
    expect(await verifyIntegrity(store, 'acme', { publicKey: key.publicKeyBase64 })).toMatchObject({
      ok: true,
      problems: [],
      unsignedBeforeSigning: 0,
    });
  });

  it('signs nothing for an unsigned or empty chain, and refuses to leave a signed chain unsigned', async () => {
    const store = new MemoryObjectStore();
    const never = async (): Promise<DigestSigner> => {
      throw new Error('not asked');
    };
    expect(await chainSigner(store, 'acme', never, new PassThrough())).toBeUndefined();
    await ingest(store, day0 + 4 * HOUR_MS);
    expect(await chainSigner(store, 'acme', never, new PassThrough())).toBeUndefined();

    const signed = new MemoryObjectStore();
    await ingest(signed, day0 + 4 * HOUR_MS, kmsSigner);
    await expect(chainSigner(signed, 'acme', undefined, new PassThrough())).rejects.toThrow(
      `the digest chain of "acme" is signed with "${key.keyId}", and this command cannot sign`,
    );
  });

  it("reads the head's digest once, for its place and its key", async () => {
    const store = new MemoryObjectStore();
    await ingest(store, day0 + 4 * HOUR_MS, kmsSigner);
    const headKey = (await listDigestKeys(store, 'acme')).at(-1);
    const gets: string[] = [];
    const counted: ObjectStore = {
      location: store.location,
      get: (key) => {
        gets.push(key);
        return store.get(key);
      },
      exists: async (key) => store.objects.has(key),
      list: (prefix, options) => store.list(prefix, options),
      put: (key, body, options) => store.put(key, body, options),
    };
    await chainSigner(counted, 'acme', async () => kmsSigner, new PassThrough());
    expect(gets).toEqual([headKey]);
  });
});
