/**
 * The judgement of one object against the walked chain: bytes no digest lists for it (`unlisted`,
 * `changed`), a version a later write replaced (`rolled-back`), bytes found made outside the ingest
 * (`holds-changed`), or gone (`missing`, unless aged out).
 */
import type { ChainIndex, ProblemExtra } from './integrity-chain-index.ts';
import type { KeyHistory } from './integrity-key-history.ts';
import type { IntegrityReport } from './integrity-report.ts';
import { digestKey, windowStartFromKey } from './layout.ts';

/** Where the runbook says what to do about a finding on an object's bytes. */
const RUNBOOK = 'docs/operations.md, the section on the integrity findings `changed` and `rolled-back`';

/** Whether the unsealed digests at the end pulled `hour`. */
const pulledByHead = (head: NonNullable<IntegrityReport['unsealedHead']>, hour: number): boolean =>
  (head.fromMs === null || hour >= head.fromMs) && (head.toMs == null || hour < head.toMs);

/** For each version some digest lists, the first key it is listed for: where swapped bytes came from. */
export function keysBySha256(index: ChainIndex): Map<string, string> {
  const keys = new Map<string, string>();
  for (const [key, history] of index.keys) {
    for (const sha256 of history.listedAt.keys()) if (!keys.has(sha256)) keys.set(sha256, key);
  }
  return keys;
}

export function judgeObject(
  index: ChainIndex,
  key: string,
  sha256: string,
  listedFor: Map<string, string>,
): void {
  const history = index.keys.get(key);
  const head = index.report.unsealedHead;
  const hour = windowStartFromKey(key);
  // Writes after an unsealed head are listed by no digest yet: say so, without excusing them, and
  // only of hours that run pulled (from its `from_ms` on, before its `to_ms` when known).
  const mayBeTheRuns = head !== null && (hour === undefined || pulledByHead(head, hour));
  const unsealed = mayBeTheRuns
    ? `; the last digest (${head.key}, run ${head.runId}) is not sealed, so that run may have written it after its last digest`
    : '';
  // Bytes a digest lists for another key: an object swapped or copied there outside the ingest.
  const other = history?.listedAt.has(sha256) ? undefined : listedFor.get(sha256);
  const elsewhere =
    other === undefined
      ? undefined
      : `its bytes (sha256 ${sha256.slice(0, 12)}…) are those a digest lists for ${other}, not for this key: copied or swapped outside the ingest`;
  // The run the text groups such findings by (review R-UPGRADE M1): not bytes copied from elsewhere.
  const headRuns = (): ProblemExtra =>
    head !== null && mayBeTheRuns && elsewhere === undefined ? { runs: index.spansOf([head.runId]) } : {};
  if (!history) {
    index.problem(
      'unlisted',
      key,
      `no digest lists this object${elsewhere ? `; ${elsewhere}` : unsealed}`,
      sha256,
      headRuns(),
    );
    return;
  }
  const recorded = lastRecorded(index.report.instance, history);
  const replacedAt = history.superseded.get(sha256);
  if (replacedAt !== undefined)
    index.problem(
      'rolled-back',
      key,
      `holds a version (sha256 ${sha256.slice(0, 12)}…) that a later write, recorded in ${digestKey(index.report.instance, replacedAt)}, replaced; ${recorded.text}`,
      sha256,
      recorded.fields,
    );
  else if (!history.listedAt.has(sha256))
    index.problem(
      'changed',
      key,
      `${elsewhere ?? `its bytes (sha256 ${sha256.slice(0, 12)}…) are in no digest${unsealed}`}; ${recorded.text}`,
      sha256,
      {
        ...recorded.fields,
        ...headRuns(),
      },
    );
  else if (index.changedOnRead.get(key)?.has(sha256)) {
    // The `changed` finding of these bytes is about the past, and stays once accepted: without a
    // finding of its own, the same forged bytes put back after a repair passed as accepted.
    index.objectFindingKeys.add(key);
    index.holdingChanged.push({
      kind: 'holds-changed',
      key,
      detail: `holds now the bytes (sha256 ${sha256.slice(0, 12)}…) that its \`changed\` finding says were made outside the ingest; ${recorded.text}`,
      sha256,
      ...recorded.fields,
    });
  }
}

/**
 * What the chain last recorded for a key, the version to look for among the object's stored
 * versions: as the report's field, and as words that point to the runbook.
 */
function lastRecorded(instance: string, history: KeyHistory): { fields: ProblemExtra; text: string } {
  const last = history.last;
  if (last === undefined) return { fields: {}, text: `see ${RUNBOOK}` };
  const digest = digestKey(instance, last.sequence);
  return {
    fields: { recorded: { sha256: last.sha256, digest, runId: last.runId } },
    text: `the chain last recorded sha256 ${last.sha256.slice(0, 12)}… for it (${digest}, run ${last.runId}); see ${RUNBOOK}`,
  };
}

export function noteMissing(index: ChainIndex, key: string): void {
  const hourMs = windowStartFromKey(key);
  const beforeMs = index.agedOut?.beforeMs;
  if (beforeMs !== undefined && hourMs !== undefined && hourMs < beforeMs) {
    index.report.agedOut = (index.report.agedOut ?? 0) + 1;
    return;
  }
  index.problem('missing', key, 'a digest lists this object, but it is gone');
}
