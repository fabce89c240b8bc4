import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { publicKeySha256 } from '../../../functions/core/lake/signing-key-seen.ts';

describe('publicKeySha256', () => {
  it('is the SHA-256 of the DER SPKI, the same for a key re-encoded in another form', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const der = publicKey.export({ format: 'der', type: 'spki' });
    const sha256 = createHash('sha256').update(der).digest('hex');
    expect(publicKeySha256(der.toString('base64'))).toBe(sha256);
  });
});
