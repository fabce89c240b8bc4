import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type DigestSigner, decodeDigest, listDigestKeys } from '../../../functions/core/lake/digest.ts';
import { verifyIntegrity, walkDigestChain } from '../../../functions/core/lake/verify-integrity.ts';
import { appendEmptyDigests } from '../../support/empty-digests.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer: DigestSigner = { keyId: 'k', sign: async (message) => sign('sha256', message, privateKey) };

/** A chain of empty digests, each signed or not as `signed` says. */
async function chainOf(...signed: boolean[]) {
  const store = new MemoryObjectStore();
  await appendEmptyDigests(store, signed.length, (i) => (signed[i] ? signer : undefined));
  return store;
}

const kinds = async (store: MemoryObjectStore) =>
  (await verifyIntegrity(store, 'acme')).problems.map((p) => `${p.kind} ${p.key.slice(-15)}`);

describe('verify --integrity without a public key', () => {
  it('counts signatures as not checked, and passes a chain signed from some digest on', async () => {
    const report = await verifyIntegrity(await chainOf(false, false, true, true), 'acme');
    expect(report).toMatchObject({ ok: true, problems: [], signedDigests: 2, signaturesChecked: false });
  });

  it('reports an unsigned digest after a signed one: that takes no key to see', async () => {
    expect(await kinds(await chainOf(false, true, true, false))).toEqual(['unsigned 0000000003.json']);
  });

  it("names the key ids the signed digests give, each counted once, in the chain's order", async () => {
    const store = new MemoryObjectStore();
    const keyIds = [undefined, 'arn:first', 'arn:second', 'arn:first'];
    await appendEmptyDigests(store, keyIds.length, (i) => {
      const keyId = keyIds[i];
      return keyId === undefined ? undefined : { ...signer, keyId };
    });
    const chain = await walkDigestChain(store, 'acme');
    await chain.checkObjects();
    expect(chain.signingKeyIds()).toEqual([
      { keyId: 'arn:first', digests: 2 },
      { keyId: 'arn:second', digests: 1 },
    ]);
  });

  it('reports a signature field that is no DER ECDSA signature at all', async () => {
    const store = await chainOf(true, true);
    const head = (await listDigestKeys(store, 'acme')).at(-1) as string;
    const digest = decodeDigest(head, store.objects.get(head)?.body as Uint8Array);
    const garbage = {
      ...digest,
      signature: { ...digest.signature, value: Buffer.from('not a signature').toString('base64') },
    };
    store.putNow(head, new TextEncoder().encode(`${JSON.stringify(garbage)}\n`));
    expect(await kinds(store)).toEqual(['bad-signature 0000000001.json']);
  });
});
