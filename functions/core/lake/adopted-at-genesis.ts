import { readManifest } from './coverage.ts';
import { TABLE_PREFIXES, windowStartFromKey } from './layout.ts';

/**
 * Who wrote the objects a genesis digest adopted, as their coverage manifests say. Adoption is
 * right once: when a lake written before its version recorded digests is upgraded. A genesis
 * digest written later, over objects that versions recording every run wrote, means the chain
 * was begun anew over recorded data (its digest folder deleted): the objects' history is then
 * gone, and a forged hour among them is adopted as readily as the others (review F-EVID7 HIGH 1).
 */

/** What one adopted manifest says of the run that wrote it. */
export interface AdoptedManifestFacts {
  sha256: string;
  runId: string;
  fetchedAt: string;
  /**
   * It carries `entries_read`, which only versions from 2026-12-06 write: every one of them
   * records each run in the digest chain (the chain dates from 2026-11-30), so the run that wrote
   * it is one the chain must hold.
   */
  writtenByRecordingVersion: boolean;
}

/** The adopted manifests read, summed up for the report (text and JSON). */
export interface AdoptedWriters {
  /** Adopted coverage manifests read (the routine check with hours reads only theirs). */
  manifests: number;
  /** Distinct runs they name: none of them is in the chain. */
  runs: number;
  /** Their `fetched_at` times, earliest and latest (null: none read). */
  firstFetchedAt: string | null;
  lastFetchedAt: string | null;
  /** Of them, those written by a version that records every run in the digest chain. */
  byRecordingVersion: number;
  /** The first of those, by key: the example a finding names. */
  example?: { key: string; runId: string; fetchedAt: string };
}

/** The facts of a manifest's bytes read at `key`; undefined for another table's object or one not a manifest. */
export function adoptedManifestFacts(
  key: string,
  body: Uint8Array,
  sha256: string,
): AdoptedManifestFacts | undefined {
  if (!key.startsWith(`${TABLE_PREFIXES.coverage}/`)) return undefined;
  const windowStartMs = windowStartFromKey(key);
  if (windowStartMs === undefined) return undefined;
  const reading = readManifest(body, windowStartMs);
  if (!reading.ok) return undefined;
  const { manifest } = reading;
  return {
    sha256,
    runId: manifest.run_id,
    fetchedAt: manifest.fetched_at,
    writtenByRecordingVersion: typeof manifest.entries_read === 'number',
  };
}

/**
 * The writers of the adopted objects (`adopted`: the version adopted, by key) among the manifests
 * read (`facts`, by key); undefined when no adopted manifest was read. A manifest read with other
 * bytes than those adopted is another finding's business, and says nothing of the adoption.
 */
export function adoptedWriters(
  adopted: ReadonlyMap<string, string>,
  facts: ReadonlyMap<string, AdoptedManifestFacts>,
): AdoptedWriters | undefined {
  const runs = new Set<string>();
  const times: string[] = [];
  let byRecordingVersion = 0;
  let example: AdoptedWriters['example'];
  for (const key of [...facts.keys()].sort()) {
    const fact = facts.get(key) as AdoptedManifestFacts;
    if (adopted.get(key) !== fact.sha256) continue;
    runs.add(fact.runId);
    times.push(fact.fetchedAt);
    if (!fact.writtenByRecordingVersion) continue;
    byRecordingVersion++;
    example ??= { key, runId: fact.runId, fetchedAt: fact.fetchedAt };
  }
  if (times.length === 0) return undefined;
  times.sort();
  return {
    manifests: times.length,
    runs: runs.size,
    firstFetchedAt: times[0] ?? null,
    lastFetchedAt: times.at(-1) ?? null,
    byRecordingVersion,
    ...(example ? { example } : {}),
  };
}

/** Why adopted objects written by versions that record every run mean a chain begun anew. */
export function restartedChainDetail(
  writers: AdoptedWriters | undefined,
  genesis: { createdAt?: string; runId?: string; restarted?: true },
): string {
  const example = writers?.example;
  const named = example ? ` (e.g. ${example.key}, run ${example.runId}, pulled ${example.fetchedAt})` : '';
  const created = genesis.createdAt ? ` (created ${genesis.createdAt})` : '';
  const adopted = writers?.byRecordingVersion
    ? ` adopted ${writers.byRecordingVersion} coverage manifest(s) written by a version that records every run in the digest chain${named}, yet no digest records those runs:`
    : '';
  // Said so by its run, told to restart: deliberate, yet the history it dropped is gone all the same.
  const how = genesis.restarted
    ? ` says its run${genesis.runId ? ` ${genesis.runId}` : ''} was told to begin the chain anew over hours an earlier chain recorded (a deliberate restart, not a silent one);${adopted ? ` it${adopted}` : ''}`
    : `${adopted} the chain was begun anew over data an earlier chain recorded (its digests deleted);`;
  return `the genesis digest${created}${how} the history of every adopted object is gone and a forged one among them passes as adopted. Compare the adopted objects with a copy or backup, or their stored versions, then accept the finding`;
}
