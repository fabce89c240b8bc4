import type { IntegrityProblem } from './integrity-problem.ts';
import { activityKey, coverageKey, quarantineKey, windowStartFromKey } from './layout.ts';

/** What the two checks of `verify --integrity` know of an hour, to judge its unvouched manifest by. */
interface ManifestEvidence {
  instance: string;
  /** Each hour's verdict from plain verify on its manifest as first read (verify-lake.ts). */
  agrees: ReadonlyMap<number, boolean>;
  /** The SHA-256 of each object plain verify read, which the chain check judged as read. */
  read: ReadonlyMap<string, string>;
  /** Whether the chain check made a finding on an object, accepted or not. */
  hasFinding: (key: string) => boolean;
}

/**
 * Whether an `unvouched` finding on a coverage manifest is of a manifest whose events are vouched
 * for: plain verify read these very bytes (the finding's sha256) and found them counting and
 * hashing exactly the events of the hour's events object, which is there, and whose bytes (those
 * read, the same the chain judged) have no finding; the quarantine object has none either, and
 * holds exactly the entries the manifest counts; and its window fields are those of its key's hour
 * (a `window_start` moved to another hour took the hour out of the report's data health: review
 * R-EVIDENCE3 M1). The ingest writes an hour's events object once it has read the
 * whole hour, so a vouched object is a whole pull's events: what the manifest adds that no digest
 * vouches for are figures of the pulls (fetch_count, late_events, pages, times, run_id, …), not
 * an event, nor whether the hour was pulled, nor which hour. An hour with no events object has nothing to agree
 * with: a manifest saying 0 events there may as well hide a pull that never ended.
 */
function agreesWithVouchedEvents(problem: IntegrityProblem, evidence: ManifestEvidence): boolean {
  const start = windowStartFromKey(problem.key);
  if (problem.kind !== 'unvouched' || start === undefined) return false;
  if (problem.key !== coverageKey(evidence.instance, start)) return false;
  if (evidence.agrees.get(start) !== true || evidence.read.get(problem.key) !== problem.sha256) return false;
  const events = activityKey(evidence.instance, start);
  if (!evidence.read.has(events) || evidence.hasFinding(events)) return false;
  return !evidence.hasFinding(quarantineKey(evidence.instance, start));
}

const AGREES =
  " Its event count and content hash are those of the hour's events object, whose bytes a digest vouches for (so are the quarantine object's, which holds just the quarantined_count entries it counts), and its window (window_start, window_start_ms, window_end_ms) is its key's hour: what no digest vouches for is the rest of it, figures of the pulls (fetch_count, late_events, late_events_total, out_of_window_count, pages, requests, the times, run_id, code_version), not an event";

/**
 * Marks the `unvouched` findings on coverage manifests whose events are vouched for
 * ({@link agreesWithVouchedEvents}) and says so in their detail. They stay findings, accepted as
 * any other: the figures are still no digest's, and they feed the report's data health.
 */
export function noteManifestsAgreeing(problems: IntegrityProblem[], evidence: ManifestEvidence): void {
  for (const problem of problems) {
    if (!agreesWithVouchedEvents(problem, evidence)) continue;
    problem.agreesWithVouchedEvents = true;
    problem.detail = `${problem.detail.replace(/\.?$/, '.')}${AGREES}`;
  }
}
