/**
 * Heads of the chain noted outside the lake by earlier checks: which the chain still holds (a
 * `noted-head` finding for one it does not), and what the store holds otherwise than the digests up
 * to the latest one held left it.
 */
import { NO_BYTES_SHA256 } from './accepted-list-chain.ts';
import type { ChainIndex } from './integrity-chain-index.ts';
import { MAX_PROBLEMS } from './integrity-report.ts';
import { digestKey } from './layout.ts';
import { changedSinceNotedDetail } from './verify-changed-since-noted.ts';
import { type NotedHead, notedHeadFinding } from './verify-noted-head.ts';

/** The number of the earliest head noted for `instance` (undefined: none). */
export function earliestNoted(
  instance: string,
  notedHeads: readonly NotedHead[] | undefined,
): number | undefined {
  const numbers = (notedHeads ?? [])
    .filter((noted) => noted.instance === undefined || noted.instance === instance)
    .map((noted) => noted.sequence);
  return numbers.length === 0 ? undefined : numbers.reduce((a, b) => Math.min(a, b));
}

/**
 * Each noted head the chain still holds goes into the report; one it does not is a finding, about
 * the digest at that number and the bytes it holds now (none: the sha256 of no bytes), listed
 * first. The objects rewritten after the latest head held are then named.
 */
export function checkNotedHeads(index: ChainIndex, notedHeads: readonly NotedHead[] | undefined): void {
  if (notedHeads === undefined) return;
  const chain = {
    instance: index.report.instance,
    head: index.report.head,
    sha256Of: index.digestSha256,
    linkOf: index.digestLinks,
  };
  const held: { key: string; sha256: string; sequence: number }[] = [];
  const findings: { key: string; detail: string; sha256: string }[] = [];
  for (const noted of notedHeads) {
    const finding = notedHeadFinding(chain, noted);
    if (finding === undefined)
      held.push({
        key: digestKey(chain.instance, noted.sequence),
        sha256: noted.sha256,
        sequence: noted.sequence,
      });
    else
      findings.push({ key: finding.key, detail: finding.detail, sha256: finding.found ?? NO_BYTES_SHA256 });
  }
  for (const finding of findings.reverse())
    index.problemFirst('noted-head', finding.key, finding.detail, finding.sha256);
  index.report.notedHeads = held.map(({ key, sha256 }) => ({ key, sha256 }));
  const latest = held.reduce<(typeof held)[number] | undefined>(
    (a, b) => (a === undefined || b.sequence > a.sequence ? b : a),
    undefined,
  );
  if (latest === undefined || index.sinceNoted === undefined) return;
  const signed = index.report.signaturesChecked && index.sinceNoted.signedAfter(latest.sequence);
  index.notedHeld = { key: latest.key, sequence: latest.sequence, signed };
}

/**
 * What the store holds (`stored`: each key read, with the sha256 of its bytes) otherwise than the
 * digests up to the latest noted head held left it. Without a checked signature on every digest
 * after it, each is a finding (a forger can append them, listing anything); with them, information.
 */
export function judgeSinceNoted(index: ChainIndex, stored: ReadonlyMap<string, string>): void {
  const since = index.sinceNoted;
  const noted = index.notedHeld;
  if (since === undefined || noted === undefined) return;
  const instance = index.report.instance;
  // Of hours not asked for, an object is not looked for: its absence says nothing.
  const changed = since
    .changedAfter(instance, noted.sequence, stored, NO_BYTES_SHA256)
    .filter((object) => object.what !== 'gone' || index.compared.looksFor(object.key));
  index.report.changedSinceNoted = {
    after: noted.key,
    signed: noted.signed,
    count: changed.length,
    objects: changed.slice(0, MAX_PROBLEMS),
  };
  if (noted.signed) return;
  const at = {
    key: noted.key,
    createdAt: since.createdAtOf(noted.sequence),
    isHead: index.report.head?.key === noted.key,
  };
  for (const object of changed) {
    const kind = object.what === 'created' ? 'created-since-noted' : 'changed-since-noted';
    const claimed =
      object.digest === undefined || object.runId === undefined
        ? {}
        : { recorded: { sha256: object.sha256, digest: object.digest, runId: object.runId } };
    const notedSha = object.notedSha256 === null ? {} : { notedSha256: object.notedSha256 };
    index.problem(kind, object.key, changedSinceNotedDetail(object, at), object.sha256, {
      ...claimed,
      ...notedSha,
    });
  }
}
