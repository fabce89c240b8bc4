import * as z from 'zod';
import { INTEGRITY_PROBLEM_KINDS, type IntegrityProblem } from './integrity-problem.ts';

/**
 * A finding of the integrity check that the operator has investigated and dealt with. The chain
 * never forgets a version made outside the ingest (a later run read it into a digest), so without a
 * way to say "known" every later check would fail on the same incident and hide a new one. A
 * finding about bytes is accepted only for those bytes (its sha256): the same key changed again is
 * a new finding.
 */
export interface AcceptedFinding {
  kind: IntegrityProblem['kind'];
  key: string;
  sha256?: string;
  /** The operator's words: the incident, who repaired it, when. */
  note?: string;
}

export type AcceptedProblem = IntegrityProblem & { note?: string };

const findingSchema = z.object({
  kind: z.enum(INTEGRITY_PROBLEM_KINDS),
  key: z.string().min(1),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lower-case hex digits')
    .optional(),
  note: z.string().optional(),
});

/** A list of findings, or a whole report of the check as its JSON output gives it (`integrity.problems`). */
const listSchema = z.union([
  z.array(z.unknown()),
  z.object({ problems: z.array(z.unknown()) }).transform((r) => r.problems),
  z
    .object({ integrity: z.object({ problems: z.array(z.unknown()) }) })
    .transform((r) => r.integrity.problems),
]);

/** Thrown when a list of accepted findings cannot be read; the message names the source and the entry. */
export class AcceptedFindingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AcceptedFindingsError';
  }
}

/**
 * The findings listed in `json` (parsed from `source`, named in errors). Findings about bytes must
 * name them: an entry without a sha256 would accept any later change to its key, which is what the
 * check exists to catch.
 */
export function parseAcceptedFindings(json: unknown, source: string): AcceptedFinding[] {
  const list = listSchema.safeParse(json);
  if (!list.success) {
    throw new AcceptedFindingsError(
      `${source} is not a list of findings: give a JSON array of { "kind", "key", "sha256", "note" } entries, or the JSON report of the integrity check whose findings are known`,
    );
  }
  return list.data.map((entry, i) => {
    const parsed = findingSchema.safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      throw new AcceptedFindingsError(
        `${source}: finding ${i + 1}: ${where}${issue?.message ?? 'not a finding'} (each entry needs "kind" (${INTEGRITY_PROBLEM_KINDS.join(', ')}) and "key", as the check's JSON report lists them)`,
      );
    }
    const finding = parsed.data;
    if (finding.sha256 === undefined && BYTE_KINDS.has(finding.kind)) {
      throw new AcceptedFindingsError(
        `${source}: finding ${i + 1} (${finding.kind} ${finding.key}) has no sha256: a ${finding.kind} finding is accepted only for the bytes it was about. Copy the finding from the check's JSON report, which gives its sha256.`,
      );
    }
    return finding;
  });
}

/** Kinds whose findings are about an object's bytes, and carry their sha256. */
const BYTE_KINDS: ReadonlySet<string> = new Set(['changed', 'unlisted', 'rolled-back', 'removed']);

/**
 * Kinds no list accepts: they say the check could not look (the digest versions were not listed),
 * not what it saw, so accepting one would pass every later check without that look, whatever a
 * deleted and re-written digest left. An incident's whole report holding one is still taken; the
 * finding just stays a problem until the permission is granted.
 */
const NEVER_ACCEPTED: ReadonlySet<string> = new Set(['versions-not-checked']);

const matches = (problem: IntegrityProblem, finding: AcceptedFinding): boolean =>
  !NEVER_ACCEPTED.has(problem.kind) &&
  problem.kind === finding.kind &&
  problem.key === finding.key &&
  (problem.sha256 === undefined || problem.sha256 === finding.sha256);

/**
 * The report with the problems `accepted` lists moved to `accepted`, and those it lists that the
 * check no longer made in `acceptedNotFound`. The check passes again when no other problem is left,
 * unless the problems were cut at `maxProblems` (the ones not listed could be anything).
 */
export function setAcceptedApart<R extends { problems: IntegrityProblem[]; ok: boolean }>(
  report: R,
  accepted: readonly AcceptedFinding[],
  maxProblems: number,
): R & { accepted: AcceptedProblem[]; acceptedNotFound: AcceptedFinding[] } {
  const used = new Set<AcceptedFinding>();
  const problems: IntegrityProblem[] = [];
  const known: AcceptedProblem[] = [];
  for (const problem of report.problems) {
    const finding = accepted.find((f) => matches(problem, f));
    if (!finding) {
      problems.push(problem);
      continue;
    }
    used.add(finding);
    known.push(finding.note === undefined ? problem : { ...problem, note: finding.note });
  }
  const complete = report.problems.length < maxProblems;
  return {
    ...report,
    problems,
    accepted: known,
    acceptedNotFound: accepted.filter((f) => !used.has(f)),
    ok: report.ok || (complete && problems.length === 0),
  };
}
