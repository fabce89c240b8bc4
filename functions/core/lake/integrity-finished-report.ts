/**
 * The report's last steps once the objects are checked: who wrote the objects the genesis adopted,
 * the hours asked for, and the accepted findings set apart.
 */
import type { AcceptedFinding } from './accepted-findings.ts';
import { type AdoptedManifestFacts, adoptedWriters, restartedChainDetail } from './adopted-at-genesis.ts';
import { type ChainIndex, OBJECT_FINDINGS } from './integrity-chain-index.ts';
import type { IntegrityProblemKind } from './integrity-problem.ts';
import type { IntegrityReport } from './integrity-report.ts';
import type { HourRange } from './verify-range.ts';

/**
 * The index's report with the accepted findings set apart. An object holding bytes whose `changed`
 * finding is accepted is a `holds-changed` finding; while that `changed` finding is a problem it
 * says the same and fails the check already, so `holds-changed` is not made: an incident's report
 * never lists it, and accepting that report does not accept those bytes put back after a repair.
 */
export function finishedReport(
  index: ChainIndex,
  accepted: readonly AcceptedFinding[] | undefined,
  seen: ReadonlyMap<string, string>,
): IntegrityReport {
  if (!accepted) return index.report;
  // An object not there, of days not asked for, is not looked for: a finding not made says nothing.
  const notLookedFor = (f: AcceptedFinding) =>
    (OBJECT_FINDINGS.has(f.kind) || SINCE_NOTED_FINDINGS.has(f.kind)) &&
    !seen.has(f.key) &&
    !index.compared.looksFor(f.key);
  const changed = new Set(accepted.filter((f) => f.kind === 'changed').map((f) => `${f.key}\n${f.sha256}`));
  for (const holding of index.holdingChanged) {
    if (!changed.has(`${holding.key}\n${holding.sha256}`)) continue;
    const { kind, key, detail, sha256, ...extra } = holding;
    index.problem(kind, key, detail, sha256, extra);
  }
  index.report.acceptedNotFound = index.accepted.notFound().filter((f) => !notLookedFor(f));
  return index.report;
}

/**
 * Who wrote the adopted objects, of the manifests read (`manifests`, by key); a `restarted-chain`
 * finding about the genesis digest when some were written by a version that records every run.
 */
export function judgeAdopted(index: ChainIndex, manifests: ReadonlyMap<string, AdoptedManifestFacts>): void {
  const writers = adoptedWriters(index.adopted, manifests);
  if (writers !== undefined) index.report.adoptedWriters = writers;
  const genesis = index.report.genesis;
  if (genesis === null) return;
  // A restart the genesis records is one whatever the manifests read say now (edited, or unread).
  if (!genesis.restarted && !writers?.byRecordingVersion) return;
  index.problem('restarted-chain', genesis.key, restartedChainDetail(writers, genesis), genesis.sha256);
}

/** Findings of an object against the state at a noted head. */
const SINCE_NOTED_FINDINGS: ReadonlySet<IntegrityProblemKind> = new Set([
  'changed-since-noted',
  'created-since-noted',
]);

/**
 * The hours asked for, and how many objects the chain lists are not there and were not looked for,
 * being of other days (`seen`: the objects the store holds, every one judged, by key).
 */
export function noteHours(index: ChainIndex, hours: HourRange, seen: ReadonlyMap<string, string>): void {
  let outsideNotChecked = 0;
  for (const key of index.keys.keys())
    if (!seen.has(key) && !index.compared.looksFor(key)) outsideNotChecked++;
  index.report.hours = { fromMs: hours.fromMs, toMs: hours.toMs, outsideNotChecked };
}
