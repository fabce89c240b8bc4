/**
 * The objects of the instance's tables, read after the walk and each judged against the chain; one
 * the chain lists that the listing did not show is read once more before it is called gone.
 */
import type { ObjectStore } from '../ports.ts';
import { digestScopePrefixes } from './digest.ts';
import type { ChainIndex } from './integrity-chain-index.ts';
import { judgeObject, keysBySha256, noteMissing } from './integrity-object-findings.ts';
import type { ObjectSha256Source } from './object-sha256-source.ts';
import { readAhead } from './read-ahead.ts';
import type { VerifyReads } from './verify-progress.ts';

/** The keys under each of `prefixes`, one listing after the other. */
async function* listAll(store: ObjectStore, prefixes: readonly string[]): AsyncIterable<string> {
  for (const prefix of prefixes) yield* store.list(prefix);
}

/**
 * The SHA-256 of objects read after the chain was walked, by key: the objects check takes them
 * rather than read them again.
 */
export type ObjectsRead = ReadonlyMap<string, string>;

/** Checks every object of the instance's tables against `index`; returns the SHA-256 of each found, by key. */
export async function checkObjects(
  store: ObjectStore,
  index: ChainIndex,
  alreadyRead: ObjectsRead,
  source: ObjectSha256Source,
  reads?: VerifyReads,
): Promise<Map<string, string>> {
  const present = new Map<string, string>();
  const listedFor = keysBySha256(index);
  const { compared } = index;
  // About what is left to read: the objects the digests list, less those read already.
  if (reads) reads.expect([...index.keys.keys()].filter((key) => !alreadyRead.has(key)).length);
  const read = async (key: string) => {
    const known = alreadyRead.get(key);
    if (known !== undefined) return { key, sha256: source.readBefore(key, known) };
    const taken = source.taken(key);
    const sha256 = taken ?? (await source.read(key));
    reads?.done();
    return { key, sha256 };
  };
  // Every object held is judged, hours asked for or not: a query reads any of them.
  const keys = listAll(store, digestScopePrefixes(index.report.instance));
  for await (const { key, sha256 } of readAhead(keys, read)) {
    if (sha256 === undefined) continue;
    present.set(key, sha256);
    index.report.objectsChecked++;
    judgeObject(index, key, sha256, listedFor);
  }
  for (const key of index.keys.keys()) {
    if (present.has(key) || !compared.looksFor(key)) continue;
    const sha256 = await readUnlisted(source, index, key, listedFor);
    reads?.done();
    if (sha256 !== undefined) present.set(key, sha256);
  }
  return present;
}

/**
 * Reads a key a digest lists but the listing did not, once more before it is called gone, and
 * judges it if it is there after all; returns its SHA-256 then. A store that cannot hold the
 * object there (a folder at its key on a disk, which a listing walks into, not past) refuses the
 * read, naming it: "missing" alone sent the reader looking for a deleted file.
 */
async function readUnlisted(
  source: ObjectSha256Source,
  index: ChainIndex,
  key: string,
  listedFor: Map<string, string>,
): Promise<string | undefined> {
  const sha256 = await source.read(key);
  if (sha256 === undefined) {
    noteMissing(index, key);
    return undefined;
  }
  index.report.objectsChecked++;
  judgeObject(index, key, sha256, listedFor);
  return sha256;
}
