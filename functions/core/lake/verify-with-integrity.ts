import type { ObjectStore } from '../ports.ts';
import { type AdoptedManifestFacts, adoptedManifestFacts } from './adopted-at-genesis.ts';
import { agedOutField, withoutAgedOut } from './aged-out.ts';
import { sha256Hex } from './digest.ts';
import type { VerifyIntegrityOptions } from './integrity-options.ts';
import type { KnownVersion } from './known-versions.ts';
import type { ReadVersion } from './object-sha256-source.ts';
import { publicKeySha256 } from './signing-key-seen.ts';
import { noteManifestsAgreeing } from './unvouched-manifests.ts';
import { walkDigestChain } from './verify-integrity.ts';
import { type VerifyLakeOptions, verifyLake } from './verify-lake.ts';
import type { VerifyReport } from './verify-report.ts';
import type { VerifyBounds } from './whole-lake-range.ts';

/**
 * {@link verifyLake} and the digest-chain check ({@link verifyIntegrity}) together, reading each
 * table object once: the objects the lake's checks read (each hour's manifest, object and
 * quarantine object) are handed to the chain's objects check by their SHA-256, and only the others
 * are read again. Both read the current version of a key (a plain GET), so the bytes are the same.
 * The chain is walked first, as the chain check alone does: objects must be read after the digests
 * they are judged by (see {@link WalkedChain.checkObjects}).
 */
export async function verifyWithIntegrity(
  store: ObjectStore,
  instance: string,
  asked: VerifyBounds | undefined,
  options: VerifyIntegrityOptions &
    VerifyLakeOptions & { onVersionsSeen?: (seen: KnownVersion[]) => void } = {},
): Promise<VerifyReport> {
  const chain = await walkDigestChain(store, instance, options);
  // The hours aged out by the bound the walked chain states (or the caller's) are not checked.
  const agedOut = chain.agedOut();
  const range = withoutAgedOut(asked, agedOut);
  const read = new Map<string, string>();
  // The version each read was of, where the store names it: what the next routine check takes.
  const readVersions = new Map<string, ReadVersion>();
  const agrees = new Map<number, boolean>();
  // What the manifests read say of their runs: who wrote the objects the genesis adopted.
  const manifests = new Map<string, AdoptedManifestFacts>();
  const report = await verifyLake(store, instance, range, {
    ...(options.reads === undefined ? {} : { reads: options.reads }),
    ...(options.watermarkMs === undefined ? {} : { watermarkMs: options.watermarkMs }),
    ...(options.heldFromMs === undefined ? {} : { heldFromMs: options.heldFromMs }),
    ...(options.repull === undefined ? {} : { repull: options.repull }),
    ...(options.finality === undefined ? {} : { finality: options.finality }),
    ...(options.nowMs === undefined ? {} : { nowMs: options.nowMs }),
    ...(options.runProcesses === undefined ? {} : { runProcesses: options.runProcesses }),
    ...(options.strayFolders === undefined ? {} : { strayFolders: options.strayFolders }),
    ...(options.quarantineOnlyInstances === undefined
      ? {}
      : { quarantineOnlyInstances: options.quarantineOnlyInstances }),
    ...(options.interruptedFirstIngests === undefined
      ? {}
      : { interruptedFirstIngests: options.interruptedFirstIngests }),
    onManifestAgreement(windowStartMs, agreeing) {
      agrees.set(windowStartMs, (agrees.get(windowStartMs) ?? true) && agreeing);
    },
    onRead(key, found) {
      if (found) {
        const sha256 = sha256Hex(found.body);
        read.set(key, sha256);
        // Only the manifests the genesis adopted as they are: the others' runs are in the chain.
        const facts =
          chain.adoptedSha256(key) === sha256 ? adoptedManifestFacts(key, found.body, sha256) : undefined;
        if (facts) manifests.set(key, facts);
      }
      // S3's `null` id (versioning suspended or never on) names no bytes: never recorded, as in noteRead.
      if (found?.versionId !== undefined && found.versionId !== 'null')
        readVersions.set(key, { versionId: found.versionId, etag: found.etag });
      options.onRead?.(key, found);
    },
  });
  const integrity = await chain.checkObjects(read, readVersions, manifests);
  // An unvouched manifest whose events are vouched for says so: its figures alone are in doubt.
  noteManifestsAgreeing(integrity.problems, {
    instance,
    agrees,
    read,
    hasFinding: (key) => chain.hasObjectFinding(key),
  });
  const fingerprint =
    options.publicKey === undefined ? {} : { publicKeySha256: publicKeySha256(options.publicKey) };
  report.integrity = {
    ...integrity,
    signingKey: { ...fingerprint, keyIds: chain.signingKeyIds() },
    runners: chain.runners(),
  };
  report.ok &&= report.integrity.ok;
  Object.assign(report, agedOutField(agedOut, asked?.fromMs, integrity.agedOut));
  options.onVersionsSeen?.(chain.versionsSeen());
  return report;
}
