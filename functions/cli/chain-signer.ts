import { type DigestSigner, decodeChainDigest, readDigestHead } from '../core/lake/digest.ts';
import type { ObjectStore } from '../core/ports.ts';
import { quotedKeyId } from './key-id-text.ts';

/** Builds a signer for a KMS key; injected so the command line loads the AWS SDK only when it signs. */
export type DigestSignerFactory = (keyId: string) => Promise<DigestSigner>;

/**
 * The signer a command that writes the lake must use: the key of the chain's last digest, when
 * that one is signed (a lake the stack writes), so digests written from a workstation are signed
 * too and `verify --integrity --public-key` keeps passing. Undefined for an unsigned chain. Says
 * on `notes` which key it signs with.
 */
export async function chainSigner(
  store: ObjectStore,
  instance: string,
  factory: DigestSignerFactory | undefined,
  notes: NodeJS.WritableStream,
): Promise<DigestSigner | undefined> {
  const head = await readDigestHead(store, instance);
  if (!head) return undefined;
  const keyId = decodeChainDigest(head.link.key, head.body).signature?.key_id;
  if (keyId === undefined) return undefined;
  if (!factory) {
    throw new Error(
      `the digest chain of "${instance}" is signed with ${quotedKeyId(keyId)}, and this command cannot sign: run it where the AWS SDK is available`,
    );
  }
  notes.write(`signing digests with ${quotedKeyId(keyId)} (the key of the chain's last digest)\n`);
  return factory(keyId);
}
