import type { ObjectVersion, ObjectVersionLister } from '../ports.ts';

/**
 * A version of an object a check read, with the SHA-256 of its bytes. A versioned store (S3) gives
 * each write a new version id and never gives one to other bytes, so a later check that finds the
 * same id current knows the bytes without reading them: the routine integrity check reads only the
 * objects whose current version it does not know (review R-COST HIGH-1). The ETag is kept too and
 * must agree, so that a store that reused an id would still be read.
 */
export interface KnownVersion {
  key: string;
  versionId: string;
  etag: string;
  sha256: string;
}

/**
 * The file of known versions a check read and wrote, for the report: what a routine check's pass
 * rests on, named so that whoever notes the head can note it too (review revid4 L5).
 */
export interface KnownVersionsFileNote {
  path: string;
  /** The file as read: its bytes' SHA-256, when it was written, its entries. Absent: none was there. */
  read?: { sha256: string; writtenAt: string; entries: number };
  /** The file as this check wrote it. Absent: not written (`writeError` says why). */
  written?: { sha256: string; entries: number };
  writeError?: string;
}

/** How the objects' current versions were found, for the report: what the routine check could take. */
export type VersionListing = 'listed' | 'unversioned' | 'not-available' | 'failed';

/** The current versions of the keys under `prefixes`, by key, or why there are none to go by. */
type CurrentVersions =
  | { listing: 'listed'; byKey: ReadonlyMap<string, ObjectVersion> }
  | { listing: Exclude<VersionListing, 'listed'>; byKey?: undefined };

/**
 * The version each key holds now, from one version listing per prefix (S3 ListObjectVersions: one
 * request per 1,000 versions). A key whose current version is a delete marker, or whose versions
 * do not say which is current, is left out (its object is read, or found gone). A bucket without
 * versioning gives every write the id `null`, which names no bytes: `unversioned`, nothing taken.
 */
export async function currentVersions(
  lister: ObjectVersionLister | undefined,
  prefixes: readonly string[],
): Promise<CurrentVersions> {
  if (lister === undefined) return { listing: 'not-available' };
  const versions: ObjectVersion[] = [];
  for (const prefix of prefixes) {
    let listed: ObjectVersion[] | undefined;
    try {
      listed = await lister.listVersions(prefix);
    } catch {
      // Reading every object is the check without the listing: nothing is lost but its cost.
      return { listing: 'failed' };
    }
    if (listed === undefined) return { listing: 'not-available' };
    versions.push(...listed);
  }
  if (versions.length > 0 && versions.every((v) => v.versionId === 'null')) return { listing: 'unversioned' };
  const current = versions.filter((v) => v.isLatest === true && !v.deleteMarker && v.versionId !== 'null');
  return { listing: 'listed', byKey: new Map(current.map((v) => [v.key, v])) };
}

/**
 * The SHA-256 a known version gives the object `key` holds now, or undefined when it must be read:
 * no current version listed, none known, or the known one is another version (or ETag).
 */
export function knownSha256(
  key: string,
  current: ReadonlyMap<string, ObjectVersion> | undefined,
  known: ReadonlyMap<string, KnownVersion> | undefined,
): KnownVersion | undefined {
  const now = current?.get(key);
  const noted = known?.get(key);
  if (now === undefined || noted === undefined) return undefined;
  if (now.versionId !== noted.versionId) return undefined;
  return now.etag === undefined || now.etag === noted.etag ? noted : undefined;
}
