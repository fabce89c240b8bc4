/**
 * A chain that grew while the objects were read (an ingest run writing during the check): walked
 * again, and the objects its new digests can explain judged again by it.
 */
import type { ObjectStore } from '../ports.ts';
import { type ChainIndex, OBJECT_FINDINGS } from './integrity-chain-index.ts';
import { judgeObject, keysBySha256, noteMissing } from './integrity-object-findings.ts';
import type { VerifyIntegrityOptions } from './integrity-options.ts';
import type { IntegrityReport } from './integrity-report.ts';
import { walkedIndex } from './integrity-walked-index.ts';
import { digestKey, digestSequenceFromKey } from './layout.ts';
import type { ObjectSha256Source } from './object-sha256-source.ts';
import { readAhead } from './read-ahead.ts';
import type { VerifyReads } from './verify-progress.ts';

/** The number of the chain's last digest as `index` walked it (-1: none). */
const headSequenceOf = (index: ChainIndex): number =>
  index.report.head === null ? -1 : (digestSequenceFromKey(index.report.head.key) ?? -1);

/**
 * The objects are read after the walk: a run writing meanwhile (an ingest started just before or
 * during the check) lists its writes in digests the walk did not read, and judged by the walked
 * chain they are `changed` ("its bytes are in no digest"), `unlisted` or `missing`: false tamper
 * findings. So once the objects are checked, the chain's next digest is probed; if it is there, the
 * chain is walked again and the objects whose judgement the new digests can change are read again
 * and judged by it: those with a finding, and those the chain lists that were not found. The
 * others keep their judgement (read after the first walk, by an older part of the same chain). A
 * real change outside the ingest is listed by no digest, so it is still found. Undefined when the
 * head did not move. If it moved again meanwhile (a run writing on), the object findings left say
 * so, and to verify again once the run has ended.
 */
export async function rejudgedOnGrownChain(
  store: ObjectStore,
  walked: ChainIndex,
  seen: Map<string, string>,
  source: ObjectSha256Source,
  options: VerifyIntegrityOptions,
): Promise<ChainIndex | undefined> {
  const instance = walked.report.instance;
  if (!(await chainGrew(store, walked, options.reads))) return undefined;
  const index = await walkedIndex(store, instance, options);
  const again = new Set(walked.objectFindingKeys);
  for (const key of index.keys.keys()) if (!seen.has(key) && index.compared.looksFor(key)) again.add(key);
  const listedFor = keysBySha256(index);
  let found = [...seen.keys()].filter((key) => !again.has(key)).length;
  for await (const { key, stored } of readAhead(again, async (key) => ({
    key,
    stored: await store.get(key),
  }))) {
    // `seen` follows what is read again: the noted state is compared with it after.
    const sha256 = source.noteRead(key, stored, true);
    if (sha256 !== undefined) {
      found++;
      seen.set(key, sha256);
      judgeObject(index, key, sha256, listedFor);
    } else {
      seen.delete(key);
      if (index.keys.has(key)) noteMissing(index, key);
    }
  }
  index.report.objectsChecked = found;
  if (await chainGrew(store, index, options.reads)) noteStillGrowing(index.report);
  return index;
}

/**
 * Whether a digest follows the last one `index` walked: runs append at the next number
 * (create-only), so one probe tells whether a run appended since the walk.
 */
async function chainGrew(store: ObjectStore, index: ChainIndex, reads?: VerifyReads): Promise<boolean> {
  const next = digestKey(index.report.instance, headSequenceOf(index) + 1);
  reads?.expect(1);
  const grew = store.exists ? await store.exists(next) : (await store.get(next)) !== undefined;
  reads?.done();
  return grew;
}

/** The chain grew again while the objects were judged again: the findings may be a run's writes. */
function noteStillGrowing(report: IntegrityReport): void {
  for (const problem of report.problems) {
    if (OBJECT_FINDINGS.has(problem.kind))
      problem.detail += `; the digest chain grew while verify read the lake (an ingest run is writing), so that run may have written it: verify again once the run has ended`;
  }
}
