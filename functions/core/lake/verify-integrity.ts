/**
 * The integrity check of one instance: {@link walkDigestChain} walks and judges the digest chain,
 * then checks the lake's objects against it; {@link verifyIntegrity} does both. Each step is in an
 * integrity-*.ts file beside this one.
 */
import type { ObjectStore, ObjectVersion } from '../ports.ts';
import type { AdoptedManifestFacts } from './adopted-at-genesis.ts';
import type { AgedOut } from './aged-out.ts';
import { digestScopePrefixes } from './digest.ts';
import type { RunnerSeen } from './digest-runners-seen.ts';
import { finishedReport, judgeAdopted, noteHours } from './integrity-finished-report.ts';
import { rejudgedOnGrownChain } from './integrity-grown-chain.ts';
import { judgeSinceNoted } from './integrity-noted-heads.ts';
import { checkObjects, type ObjectsRead } from './integrity-objects-check.ts';
import type { VerifyIntegrityOptions } from './integrity-options.ts';
import { chainShorterThanRecorded } from './integrity-recorded-head.ts';
import type { IntegrityReport } from './integrity-report.ts';
import { walkedIndex } from './integrity-walked-index.ts';
import { currentVersions, type KnownVersion, type VersionListing } from './known-versions.ts';
import { ObjectSha256Source, type ReadVersion } from './object-sha256-source.ts';

/** A digest chain walked and judged, whose objects are still to be checked against it. */
interface WalkedChain {
  /**
   * Checks every object of the instance's tables against the chain and returns the report. `read`:
   * objects read since the walk, taken as read rather than read again. Only since: an object read
   * before the walk, that a run then rewrote and recorded in a digest the walk read, would be
   * judged as the version that write replaced (rolled back).
   */
  checkObjects(
    read?: ObjectsRead,
    readVersions?: ReadonlyMap<string, ReadVersion>,
    manifests?: ReadonlyMap<string, AdoptedManifestFacts>,
  ): Promise<IntegrityReport>;
  /** The hours aged out by {@link VerifyIntegrityOptions.agedOut}, as the walk found them (none: undefined). */
  agedOut(): AgedOut | undefined;
  /**
   * The version each object found holds now, with its bytes' SHA-256, where the store named it (a
   * versioned store): what the next routine check takes ({@link VerifyIntegrityOptions.knownVersions}).
   * Empty before {@link checkObjects}.
   */
  versionsSeen(): KnownVersion[];
  /**
   * The `key_id` the signed digests name, each with how many name it, in the chain's order, of the
   * chain {@link checkObjects} judged by (walked again if it grew meanwhile).
   */
  signingKeyIds(): { keyId: string; digests: number }[];
  /** The version the genesis digest adopted at `key` (undefined: it adopted none there). */
  adoptedSha256(key: string): string | undefined;
  /** Who the digests say ran their runs ({@link RunnersNoted}), of the chain {@link checkObjects} judged by. */
  runners(): RunnerSeen[];
  /**
   * Whether the check made a finding on object `key`, accepted or not, listed or past the report's
   * cap, by the chain {@link checkObjects} judged by.
   */
  hasObjectFinding(key: string): boolean;
}

/**
 * The first half of {@link verifyIntegrity}: walks one instance's digest chain (every link, every
 * signature when a public key is given, the digests' stored versions), reading each digest once.
 */
export async function walkDigestChain(
  store: ObjectStore,
  instance: string,
  options: VerifyIntegrityOptions = {},
): Promise<WalkedChain> {
  const index = await walkedIndex(store, instance, options);
  let judged = index;
  let source: ObjectSha256Source | undefined;
  return {
    async checkObjects(read = new Map(), readVersions = new Map(), manifests = new Map()) {
      // Listed after the walk, as objects are read after it: the digests judge what was there since.
      const { known, versionsTaken } = await versionsToTake(instance, options);
      source = new ObjectSha256Source(store, {
        ...known,
        readVersions,
        ...(options.rereadShare && known.known ? { reread: options.rereadShare } : {}),
      });
      const seen = await checkObjects(store, index, read, source, options.reads);
      const final = (await rejudgedOnGrownChain(store, index, seen, source, options)) ?? index;
      judged = final;
      judgeSinceNoted(final, seen);
      if (options.hours !== undefined) noteHours(final, options.hours, seen);
      if (versionsTaken !== undefined) final.report.versionsTaken = { ...versionsTaken, ...source.counts };
      judgeAdopted(final, manifests);
      const shorter = chainShorterThanRecorded(final.report.head, instance, options.recordedHead);
      if (shorter) final.problem('chain-shorter-than-recorded', shorter.key, shorter.detail, shorter.sha256);
      return finishedReport(final, options.accepted, seen);
    },
    versionsSeen: () => [...(source?.seen.values() ?? [])],
    signingKeyIds() {
      const counts = new Map<string, number>();
      // In chain order: the digests' numbers are zero-padded in their keys.
      for (const key of [...judged.signingKeyIds.keys()].sort()) {
        const keyId = judged.signingKeyIds.get(key) as string;
        counts.set(keyId, (counts.get(keyId) ?? 0) + 1);
      }
      return [...counts].map(([keyId, digests]) => ({ keyId, digests }));
    },
    runners: () => judged.runsNoted.seen(),
    adoptedSha256: (key) => index.adopted.get(key),
    agedOut: () => index.agedOut,
    hasObjectFinding: (key) => judged.objectFindingKeys.has(key) || judged.keysWithFinding.has(key),
  };
}

/**
 * What the routine check may take without reading: the objects' current versions and the versions
 * an earlier check read. Nothing when none were given (the full read); when the current versions
 * cannot be listed, nothing either, and the report says why every object was read.
 */
async function versionsToTake(
  instance: string,
  options: VerifyIntegrityOptions,
): Promise<{
  known: { current?: ReadonlyMap<string, ObjectVersion>; known?: ReadonlyMap<string, KnownVersion> };
  versionsTaken?: { listing: VersionListing };
}> {
  const known = options.knownVersions;
  if (known === undefined) return { known: {} };
  const current = await currentVersions(options.versions, digestScopePrefixes(instance));
  if (current.byKey === undefined) return { known: {}, versionsTaken: { listing: current.listing } };
  return { known: { current: current.byKey, known }, versionsTaken: { listing: current.listing } };
}

/**
 * Walks one instance's digest chain and checks the lake against it: every link, every signature
 * (when a public key is given), and every object of the instance's tables — listed by some digest,
 * with bytes a digest recorded and no later recorded write replaced. Objects a digest lists that
 * are gone are reported too. Reads every digest and every object once.
 */
export async function verifyIntegrity(
  store: ObjectStore,
  instance: string,
  options: VerifyIntegrityOptions = {},
): Promise<IntegrityReport> {
  return (await walkDigestChain(store, instance, options)).checkObjects();
}
