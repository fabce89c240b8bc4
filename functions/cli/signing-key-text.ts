import type { SigningKeySeen } from '../core/lake/signing-key-seen.ts';
import { quotedKeyId } from './key-id-text.ts';
import { shownAndMore } from './shown-and-more.ts';

const SHOWN_KEY_IDS = 5;

/**
 * The key the signatures were checked against, and the key ids the digests name. Whoever hands
 * over the lake can hand over a key of their own with a chain re-signed by it, which passes: the
 * fingerprint is what the recipient compares with one they got elsewhere (docs/operations.md,
 * "Handing over evidence"). Computed as `sha256sum` of the DER file, so no tool of ours is needed
 * to compare.
 */
export function signingKeyLines(seen: SigningKeySeen | undefined): string[] {
  if (seen === undefined) return [];
  const lines: string[] = [];
  if (seen.publicKeySha256 !== undefined) {
    lines.push(
      `  signatures checked against the public key with SHA-256 fingerprint ${seen.publicKeySha256} (of the key as DER SubjectPublicKeyInfo: \`base64 -d digest-public-key.b64 | sha256sum\`, or \`openssl pkey -pubin -in key.pem -outform DER | openssl dgst -sha256\`): they prove the stack's key signed only if that is the fingerprint recorded when the stack was deployed, or of the key you fetched from KMS yourself (docs/operations.md, "Handing over evidence")`,
    );
  }
  if (seen.keyIds.length > 0) {
    const { shown, more } = shownAndMore(seen.keyIds, SHOWN_KEY_IDS);
    const named = shown.map((k) => `${quotedKeyId(k.keyId)} (${k.digests} digest(s))`).join(', ');
    lines.push(
      `  the signed digests name the key(s) ${named}${more > 0 ? ` and ${more} more (--json lists them all)` : ''}: a key id is not covered by the signature; it says which key to fetch, not which key signed`,
    );
  }
  return lines;
}
