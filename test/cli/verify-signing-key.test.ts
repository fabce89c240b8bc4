import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { captureIo } from '../support/capture-io.ts';
import { digestSignerOf, fakeKmsKey } from '../support/fake-kms-signer.ts';
import { ingestSixHours } from '../support/six-hours-ingest.ts';

let dir: string;
let lake: string;
const key = fakeKmsKey('arn:aws:kms:eu-west-1:123456789012:key/handover-test');
// What a recipient computes alone: `base64 -d digest-public-key.b64 | sha256sum`.
const fingerprint = createHash('sha256').update(Buffer.from(key.publicKeyBase64, 'base64')).digest('hex');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-signing-key-'));
  lake = join(dir, 'lake');
  await ingestSixHours(new FsObjectStore(lake), digestSignerOf(key));
  await writeFile(join(dir, 'key.b64'), `${key.publicKeyBase64}\n`);
  await writeFile(join(dir, 'key.pem'), key.publicKeyPem);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function verify(...options: string[]) {
  const io = captureIo();
  const code = await main(['verify', '--lake', lake, '--instance', 'acme', '--integrity', ...options], io.io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('verify --integrity names the key it judged the signatures by (review R-AUDIT H2)', () => {
  it('prints the SHA-256 of the public key as DER SPKI, whatever form it was given in, and the key ids', async () => {
    for (const file of ['key.b64', 'key.pem']) {
      const { code, stdout, stderr } = await verify('--public-key', join(dir, file));
      expect(code, `${file}: ${stdout}${stderr}`).toBe(0);
      const flat = stdout.replace(/\s+/g, ' ');
      expect(flat).toContain(
        `against the public key with SHA-256 fingerprint ${fingerprint} (of the key as DER`,
      );
      const digests = Number(/integrity: (\d+) digest\(s\)/.exec(flat)?.[1]);
      expect(digests).toBeGreaterThan(1);
      expect(flat).toContain(`the signed digests name the key(s) "${key.keyId}" (${digests} digest(s))`);
      // Right under the count of signatures it vouches for.
      const lines = stdout.split('\n');
      const counted = lines.findIndex((line) => line.includes('integrity:'));
      expect(lines.slice(counted + 1).join(' ')).toMatch(/^\s*signatures checked against the public key/);
    }
  });

  it('gives a key another party re-signed with a fingerprint of its own, which is what tells it apart', async () => {
    const insider = fakeKmsKey(key.keyId);
    const other = join(dir, 'insider');
    await ingestSixHours(new FsObjectStore(other), digestSignerOf(insider));
    await writeFile(join(dir, 'insider.b64'), insider.publicKeyBase64);
    const io = captureIo();
    const argv = ['verify', '--lake', other, '--instance', 'acme', '--integrity', '--json'];
    expect(await main([...argv, '--public-key', join(dir, 'insider.b64')], io.io)).toBe(0);
    const { signingKey } = JSON.parse(io.stdout()).integrity;
    // The same key id, as the signature does not cover it; only the fingerprint differs.
    expect(signingKey.keyIds).toEqual([{ keyId: key.keyId, digests: expect.any(Number) }]);
    expect(signingKey.publicKeySha256).toMatch(/^[0-9a-f]{64}$/);
    expect(signingKey.publicKeySha256).not.toBe(fingerprint);
  });

  it('without a public key: names the key ids, and no fingerprint', async () => {
    const { code, stdout } = await verify();
    expect(code).toBe(0);
    const flat = stdout.replace(/\s+/g, ' ');
    expect(flat).toContain(`the signed digests name the key(s) "${key.keyId}" (`);
    expect(flat).not.toContain('fingerprint');
  });
});
