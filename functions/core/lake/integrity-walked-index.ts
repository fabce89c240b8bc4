import type { ObjectStore } from '../ports.ts';
import { NO_BYTES_SHA256, refuseOtherChain } from './accepted-list-chain.ts';
import { digestPublicKey } from './digest-public-key.ts';
import { checkDigestVersions } from './digest-versions.ts';
import { ChainIndex } from './integrity-chain-index.ts';
import { walkChain } from './integrity-chain-walk.ts';
import { judgeCreatedAnew } from './integrity-created-anew.ts';
import { checkNotedHeads, earliestNoted } from './integrity-noted-heads.ts';
import type { VerifyIntegrityOptions } from './integrity-options.ts';
import { digestPrefix } from './layout.ts';
import { refusedStatement } from './signed-retention.ts';
import { SinceNoted } from './verify-changed-since-noted.ts';

/** Walks the chain into a {@link ChainIndex}, with the findings about the digests themselves. */
export async function walkedIndex(
  store: ObjectStore,
  instance: string,
  options: VerifyIntegrityOptions,
): Promise<ChainIndex> {
  const index = new ChainIndex(instance, options.hours, options.accepted);
  const publicKey = options.publicKey === undefined ? undefined : digestPublicKey(options.publicKey);
  index.report.signaturesChecked = publicKey !== undefined;
  const earliest = earliestNoted(instance, options.notedHeads);
  if (earliest !== undefined) index.sinceNoted = new SinceNoted(earliest);
  index.report.lake = store.location;
  await walkChain(store, index, publicKey, options.reads);
  const agedOut = options.agedOut?.(index.retention);
  if (agedOut !== undefined) index.agedOut = agedOut;
  const refused = options.agedOut === undefined ? undefined : refusedStatement(index.retention);
  if (refused?.key !== undefined && refused.maxDays !== null)
    index.report.maxDaysRefused = { digest: refused.key, maxDays: refused.maxDays };
  // Before any finding is taken as accepted: a list of another chain's would take its findings.
  for (const list of options.acceptedFrom ?? []) refuseOtherChain(list, index.report);
  checkNotedHeads(index, options.notedHeads);
  // After the noted heads: a version first read after one held is judged by it.
  index.judgeReadFirst();
  judgeCreatedAnew(index);
  const versions = await checkDigestVersions(options.versions, instance);
  index.report.digestVersions = versions.check;
  // About the digest the key holds now (none: deleted): deleted or written again later is another finding.
  for (const finding of versions.findings) {
    const sha256 = index.digestSha256.get(finding.key) ?? NO_BYTES_SHA256;
    index.problem('digest-deleted', finding.key, finding.detail, sha256);
  }
  if (versions.failure !== undefined) {
    // A full check needs the versions: without them a deleted and re-written head passes unseen.
    index.problem(
      'versions-not-checked',
      digestPrefix(instance),
      `the digests' versions could not be listed, so a digest deleted or written twice goes unseen: ${versions.failure}`,
    );
  }
  const head = index.report.head;
  if (publicKey && head !== null && index.report.signedDigests === 0) {
    // The last digest's sha256: it links to every one before it, so an accepted finding holds for
    // this chain only.
    index.problem(
      'unsigned',
      digestPrefix(instance),
      `no digest is signed, but a public key was given (the chain up to ${head.key}, sha256 ${head.sha256.slice(0, 12)}…)`,
      head.sha256,
    );
  }
  return index;
}
