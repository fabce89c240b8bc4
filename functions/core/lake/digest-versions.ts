import { errorMessage } from '../error-message.ts';
import type { ObjectVersion, ObjectVersionLister } from '../ports.ts';
import { digestPrefix, digestSequenceFromKey } from './layout.ts';

/**
 * Whether the digests' versions were checked: `checked` (a versioned store: a deleted or rewritten
 * digest is found), `unversioned` (the store lists versions but keeps none: every one is S3's
 * `null` version), `not-available` (no versions to list: a lake on disk, or a store without the
 * versions API), `failed` (the store has versions, but listing them failed: a caller without
 * s3:ListBucketVersions). Without versions a digest deleted at the end of the chain is found only
 * until the next run writes that number again.
 */
export type DigestVersionsCheck = 'checked' | 'unversioned' | 'not-available' | 'failed';

/** A digest key S3 keeps more than one version of, or a delete marker for. */
interface DigestVersionFinding {
  key: string;
  detail: string;
}

/**
 * Digests are written once, create-only, and no role of the ingest may delete: so a digest key
 * with a delete marker, or with a second version, was deleted (and maybe written again by the next
 * run, which takes the number a deleted head left free) outside the ingest. That is what deleting
 * the chain's last digest looks like, which the chain itself cannot show once a run re-creates the
 * number: the run that sealed it looks dead, and the next run reads the hours it wrote (changed or
 * not) into the chain.
 */
export async function checkDigestVersions(
  lister: ObjectVersionLister | undefined,
  instance: string,
): Promise<{ check: DigestVersionsCheck; findings: DigestVersionFinding[]; failure?: string }> {
  let versions: ObjectVersion[] | undefined;
  try {
    versions = lister ? await lister.listVersions(digestPrefix(instance)) : undefined;
  } catch (error) {
    // The rest of the check holds without them: the report is kept, this one part said missing.
    return { check: 'failed', findings: [], failure: errorMessage(error) };
  }
  if (versions === undefined) return { check: 'not-available', findings: [] };
  const byKey = new Map<string, ObjectVersion[]>();
  for (const version of versions) {
    if (digestSequenceFromKey(version.key) === undefined) continue;
    byKey.set(version.key, [...(byKey.get(version.key) ?? []), version]);
  }
  const all = [...byKey.values()].flat();
  if (all.length > 0 && all.every((v) => v.versionId === 'null'))
    return { check: 'unversioned', findings: [] };
  const findings = [...byKey].flatMap(([key, kept]) => {
    const finding = versionFinding(key, kept);
    return finding ? [finding] : [];
  });
  return { check: 'checked', findings };
}

/**
 * How many different bodies the versions hold: one a version of the same ETag and size repeats (a
 * copy in place by S3 Batch Operations to change the storage class, an auditor's copy) is the same
 * digest, not a second write. A version without an ETag counts apart.
 */
function bodiesWritten(versions: readonly ObjectVersion[]): number {
  const bodies = new Set<string>();
  let unknown = 0;
  for (const version of versions) {
    if (version.etag === undefined) unknown++;
    else bodies.add(`${version.etag} ${version.size ?? '?'}`);
  }
  return bodies.size + unknown;
}

/** The finding for one digest key's kept versions, if they are more than the one write. */
function versionFinding(key: string, kept: readonly ObjectVersion[]): DigestVersionFinding | undefined {
  const markers = kept.filter((v) => v.deleteMarker).length;
  const written = bodiesWritten(kept.filter((v) => !v.deleteMarker));
  if (markers === 0 && written <= 1) return undefined;
  const what =
    markers === 0 ? `written ${written} times` : written > 1 ? 'deleted and written again' : 'deleted';
  return {
    key,
    detail: `the store keeps ${written} version(s) and ${markers} delete marker(s) of this digest: it was ${what} outside the ingest, which writes each digest once (create-only) and never deletes one. Its earlier version holds what the chain said there; hours its run wrote may since have been read into the chain as a dead run's`,
  };
}
