import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestKey } from '../../../functions/core/lake/layout.ts';
import { noteDigestKeyIds, publicKeySha256 } from '../../../functions/core/lake/signing-key-seen.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const text = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value)}\n`);
const signed = (sequence: number, keyId: string) =>
  text({ sequence, signature: { algorithm: 'ECDSA_SHA_256', key_id: keyId, value: 'AA==' } });

describe('noteDigestKeyIds', () => {
  it("counts each digest of the instance once, by the key id it names, in the chain's order", async () => {
    const store = new MemoryObjectStore();
    await store.put(digestKey('acme', 0), text({ sequence: 0 })); // before signing began: no key
    await store.put(digestKey('acme', 1), signed(1, 'arn:first'));
    await store.put(digestKey('acme', 2), signed(2, 'arn:second'));
    await store.put(digestKey('acme', 3), new TextEncoder().encode('not json'));
    await store.put(digestKey('acme', 4), signed(4, 'arn:first'));
    await store.put(digestKey('beta', 0), signed(0, 'arn:beta'));
    await store.put('activity_log/instance=acme/x.json', signed(9, 'arn:object'));
    const noting = noteDigestKeyIds(store, 'acme');
    // Read out of order, one twice (a chain walked again as it grew), with the other keys.
    for (const n of [2, 4, 1, 0, 3, 2]) await noting.store.get(digestKey('acme', n));
    await noting.store.get(digestKey('beta', 0));
    await noting.store.get('activity_log/instance=acme/x.json');
    expect(noting.keyIds()).toEqual([
      { keyId: 'arn:first', digests: 2 },
      { keyId: 'arn:second', digests: 1 },
    ]);
    // The store's own methods answer as before.
    expect(noting.store.location).toBe(store.location);
    expect(await noting.store.get(digestKey('acme', 9))).toBeUndefined();
  });
});

describe('publicKeySha256', () => {
  it('is the SHA-256 of the DER SPKI, the same for a key re-encoded in another form', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const der = publicKey.export({ format: 'der', type: 'spki' });
    const sha256 = createHash('sha256').update(der).digest('hex');
    expect(publicKeySha256(der.toString('base64'))).toBe(sha256);
  });
});
