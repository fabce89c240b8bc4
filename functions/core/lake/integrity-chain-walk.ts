/**
 * The walk of one instance's digests in chain order, each read once: the numbers missing, the files
 * in the digest folder that are no digest, each digest's decoding, number, link and signature, then
 * its entries taken into the index.
 */
import type { KeyObject } from 'node:crypto';
import { errorMessage } from '../error-message.ts';
import type { ObjectStore } from '../ports.ts';
import { NO_BYTES_SHA256 } from './accepted-list-chain.ts';
import { type Digest, decodeDigest, listDigestKeys, sha256Hex } from './digest.ts';
import type { ChainIndex } from './integrity-chain-index.ts';
import type { IntegrityReport } from './integrity-report.ts';
import { checkSignature } from './integrity-signature.ts';
import { digestKey, digestSequenceFromKey } from './layout.ts';
import { readAhead } from './read-ahead.ts';
import type { VerifyReads } from './verify-progress.ts';

/** What a file in the digest folder that is no digest of the chain is. */
const NOT_A_DIGEST =
  'a file in the digest folder that is no digest of the chain (a digest is <10-digit number>.json): the chain neither reads nor vouches for it; find out who put it there, then move it out of the lake (or delete it)';

/**
 * Checks one digest's link to the digest before it. A finding names both digests' sha256: accepted
 * (a gap the operator explained), it does not hold once another digest is put in the gap.
 */
function checkLink(
  index: ChainIndex,
  key: string,
  digest: Digest,
  sha256: string,
  previous?: { key: string; sha256: string },
) {
  if (previous === undefined) {
    if (digest.previous !== null || !digest.genesis) {
      index.problem(
        'broken-link',
        key,
        'the first digest of the chain must be a genesis digest with no previous one',
        sha256,
      );
    }
    return;
  }
  const link = digest.previous;
  if (!link || link.key !== previous.key || link.sha256 !== previous.sha256) {
    index.problem(
      'broken-link',
      key,
      `names ${link ? `${link.key} (sha256 ${link.sha256.slice(0, 12)}…)` : 'no previous digest'}, but the digest before it is ${previous.key} (sha256 ${previous.sha256.slice(0, 12)}…)`,
      sha256,
      { previousSha256: previous.sha256 },
    );
  }
}

/**
 * Reports each digest number from `expected` up to `sequence` (the next one listed) as missing,
 * once: the numbers after a gap are not missing too. Returns the number expected after `sequence`.
 * The finding is about no bytes (its sha256 is that of none): a digest put back there is judged
 * on its own, and the next one's link to it is a finding of its own.
 */
function reportMissingNumbers(index: ChainIndex, expected: number, sequence: number): number {
  for (let n = expected; n < sequence; n++) {
    index.problem(
      'broken-link',
      digestKey(index.report.instance, n),
      'this digest number is missing',
      NO_BYTES_SHA256,
    );
  }
  return sequence + 1;
}

/**
 * The chain's digest keys, in order. Any other file in the digest folder is a finding, as the table
 * folders' foreign files are: nothing the chain reads or vouches for, and a copy of a digest kept
 * beside it (`.bak`) or one misnumbered passed unseen (review F-EVID7 L6).
 */
async function digestKeysOf(store: ObjectStore, index: ChainIndex): Promise<string[]> {
  const others: string[] = [];
  const keys = await listDigestKeys(store, index.report.instance, (key) => others.push(key));
  for (const key of others) index.problem('not-a-digest', key, NOT_A_DIGEST);
  return keys;
}

/** The genesis digest as the report names it: when it began, by which run, and whether as a restart. */
const genesisOf = (key: string, sha256: string, digest: Digest): NonNullable<IntegrityReport['genesis']> => ({
  key,
  sha256,
  createdAt: digest.created_at,
  runId: digest.run_id,
  ...(digest.genesis && digest.restarted ? { restarted: true as const } : {}),
});

/** Checked against a key (`publicKey`), a digest the key did not sign. */
const unvouchedBy = (publicKey: KeyObject | undefined, signedByKey: boolean): boolean =>
  publicKey !== undefined && !signedByKey;

export async function walkChain(
  store: ObjectStore,
  index: ChainIndex,
  publicKey?: KeyObject,
  reads?: VerifyReads,
): Promise<void> {
  const keys = await digestKeysOf(store, index);
  reads?.expect(keys.length);
  let previous: { key: string; sha256: string } | undefined;
  let expected = 0;
  // Read ahead, judged in chain order: one GET at a time, a year of digests took ~13 minutes on S3.
  for await (const { key, stored } of readAhead(keys, async (key) => ({
    key,
    stored: await store.get(key),
  }))) {
    reads?.done();
    expected = reportMissingNumbers(index, expected, digestSequenceFromKey(key) ?? expected);
    if (!stored) continue;
    index.report.digests++;
    const sha256 = sha256Hex(stored.body);
    index.digestSha256.set(key, sha256);
    if (digestSequenceFromKey(key) === 0) index.report.genesis = { key, sha256 };
    let digest: Digest;
    try {
      // A first-version digest (no `sealed`) leaves its run open: it never said the run ended.
      digest = decodeDigest(key, stored.body, 'open');
    } catch (error) {
      index.problem('bad-digest', key, errorMessage(error), sha256);
      previous = { key, sha256 };
      continue;
    }
    // Signed, these two bind a digest to its place: it cannot be copied to another number or instance.
    if (digest.instance !== index.report.instance || digest.sequence !== digestSequenceFromKey(key)) {
      index.problem(
        'bad-digest',
        key,
        `says it is digest ${digest.sequence} of instance "${digest.instance}", not what its key says`,
        sha256,
      );
    }
    checkLink(index, key, digest, sha256, previous);
    if (index.report.genesis?.key === key) index.report.genesis = genesisOf(key, sha256, digest);
    index.digestLinks.set(key, digest.previous);
    // Checked against a key, a digest it did not sign says what anyone wrote (review R-EVIDENCE3 L1):
    // its runner, and its retention bound (review F-EVID10 3).
    const unvouched = unvouchedBy(
      publicKey,
      checkSignature(index, key, digest, { body: stored.body, sha256 }, publicKey),
    );
    index.runsNoted.note(key, digest.run_id, digest.runner, unvouched);
    index.addDigest(digest, key);
    index.noteRetention(digest, key, unvouched);
    previous = { key, sha256 };
    index.noteHead(key, digest);
  }
  index.report.head = previous ?? null;
}
