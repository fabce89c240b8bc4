import { DomoConfigError } from '../domo/errors.ts';
import type { ObjectStore } from '../ports.ts';
import { runPool } from '../worker-pool.ts';
import { adoptedManifestFacts } from './adopted-at-genesis.ts';
import type { Checkpoint } from './checkpoint.ts';
import { digestStored, sha256Hex } from './digest.ts';
import { checkpointKey, digestKey, TABLE_PREFIXES, tableInstancePrefix } from './layout.ts';
import { READS_IN_FLIGHT } from './read-ahead.ts';

/**
 * A run that finds no digest chain adopts everything in the lake in a genesis digest. That is
 * right when the lake is new or was written before its version recorded digests; over hours a
 * version recording every run wrote, it is what deleting the digest folder looks like, and the
 * adoption would vouch for a forged hour among them (review F-EVID7 HIGH 1). So the run refuses,
 * unless told that the restart is deliberate. The test is verify's own: a coverage manifest with
 * `entries_read` ({@link adoptedManifestFacts}); or a checkpoint that a run wrote once the chain
 * held a digest (`digests_recorded`), which a forger stripping `entries_read` must find too.
 */

/** The words of the refusal's way out, which the command line and the function say as they ask for it. */
export const RESTART_ALLOWED = 'run the ingest once with the restart of the digest chain allowed';

/** The checkpoint's word that a chain existed: the run that wrote it, and when. */
export interface CheckpointOfChain {
  runId: string;
  updatedAt: string;
}

/** {@link CheckpointOfChain} of a checkpoint saying the chain held a digest; undefined otherwise. */
export const checkpointOfChain = (checkpoint: Checkpoint | undefined): CheckpointOfChain | undefined =>
  checkpoint?.digests_recorded === true
    ? { runId: checkpoint.run_id, updatedAt: checkpoint.updated_at }
    : undefined;

/** A coverage manifest written by a version that records every run in the digest chain. */
interface RecordedManifest {
  key: string;
  runId: string;
  fetchedAt: string;
}

/** The manifests of recording versions among the objects a genesis would adopt. */
export class RecordedManifests {
  private count = 0;
  private first?: RecordedManifest;

  /** Notes the object `key` read as `body`, when it is such a manifest. */
  note(key: string, body: Uint8Array): void {
    // Hashed only when a manifest: the genesis hashes every object of the lake once already.
    if (!key.startsWith(`${TABLE_PREFIXES.coverage}/`)) return;
    const facts = adoptedManifestFacts(key, body, sha256Hex(body));
    if (!facts?.writtenByRecordingVersion) return;
    this.count++;
    if (this.first === undefined || key < this.first.key)
      this.first = { key, runId: facts.runId, fetchedAt: facts.fetchedAt };
  }

  get found(): number {
    return this.count;
  }

  /** The refusal of a genesis over them (or under `checkpoint`); undefined when neither says a chain was. */
  refusal(instance: string, checkpoint?: CheckpointOfChain): DigestChainMissingError | undefined {
    const manifests = this.first === undefined ? undefined : { count: this.count, example: this.first };
    if (manifests === undefined && checkpoint === undefined) return undefined;
    return new DigestChainMissingError(instance, { manifests, checkpoint });
  }
}

/**
 * Before a run pulls anything: the refusal its genesis would meet, so that a run bound to fail
 * neither asks Domo for an hour nor writes one (a refused scheduled run pulled its hours first).
 * One look for digest 0 when the chain is there (HEAD on S3); without it, the instance's coverage
 * manifests are read, as the genesis would read them. The genesis judges again when it adopts.
 */
export async function missingChainRefusal(
  store: ObjectStore,
  instance: string,
  checkpoint: Checkpoint | undefined,
): Promise<DigestChainMissingError | undefined> {
  // A read that fails tells nothing: the run goes on, and its genesis, should it make one, judges.
  return refusalOf(store, instance, checkpoint).catch(() => undefined);
}

async function refusalOf(
  store: ObjectStore,
  instance: string,
  checkpoint: Checkpoint | undefined,
): Promise<DigestChainMissingError | undefined> {
  if (await digestStored(store, instance, 0)) return undefined;
  const recorded = new RecordedManifests();
  const keys: string[] = [];
  for await (const key of store.list(tableInstancePrefix('coverage', instance))) keys.push(key);
  const readOne = async (key: string) => {
    const found = await store.get(key);
    if (found) recorded.note(key, found.body);
  };
  await runPool(keys.values(), Math.min(READS_IN_FLIGHT, Math.max(1, keys.length)), readOne);
  const refusal = recorded.refusal(instance, checkpointOfChain(checkpoint));
  // A first run begun beside this one may have made the genesis since: then there is a chain.
  if (refusal === undefined || (await store.get(digestKey(instance, 0)))) return undefined;
  return refusal;
}

/**
 * No digest chain, yet the lake holds hours a version recording every run wrote, or its checkpoint
 * says the chain held a digest. A configuration error as the ingest tells them: every run fails
 * alike until the operator acts, so the spans in flight stop at once and the failure is said once
 * (as instance-mismatch-error.ts).
 */
export class DigestChainMissingError extends DomoConfigError {
  constructor(instance: string, evidence: ChainEvidence) {
    super(
      `the digest chain of "${instance}" is missing (no digest/instance=${instance}/0000000000.json), ` +
        `yet ${evidenceOf(instance, evidence)}. ` +
        'This is what a deletion of the digests looks like, by tampering or by accident; a new chain ' +
        'would adopt every object as it is now, a forged one included, so this run writes nothing. ' +
        'Restore the digests: on S3, Object Lock keeps their versions (docs/operations.md, ' +
        `"The digest chain is missing"). Only if you know why the chain is gone, ${RESTART_ALLOWED}: ` +
        'its genesis digest records the restart, ' +
        'and the integrity check reports it until the finding is accepted.',
    );
    this.name = 'DigestChainMissingError';
  }
}

/** What says the chain existed: manifests of recording versions, the checkpoint, or both. */
interface ChainEvidence {
  manifests?: { count: number; example: RecordedManifest } | undefined;
  checkpoint?: CheckpointOfChain | undefined;
}

const evidenceOf = (instance: string, { manifests, checkpoint }: ChainEvidence): string => {
  const said: string[] = [];
  if (manifests) {
    const { count, example } = manifests;
    said.push(
      `the lake holds ${count} hour(s) written by a version that records every run in that chain ` +
        `(e.g. ${example.key}, run ${example.runId}, pulled ${example.fetchedAt})`,
    );
  }
  if (checkpoint)
    said.push(
      `its checkpoint ${checkpointKey(instance)} says a run wrote it after the chain held a digest ` +
        `(digests_recorded, run ${checkpoint.runId}, at ${checkpoint.updatedAt})`,
    );
  return said.join(', and ');
};
