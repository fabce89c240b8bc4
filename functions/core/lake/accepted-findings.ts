import * as z from 'zod';
import { type AcceptedListChain, chainOfList, NO_BYTES_SHA256 } from './accepted-list-chain.ts';
import { INTEGRITY_PROBLEM_KINDS, type IntegrityProblem } from './integrity-problem.ts';

/**
 * A finding of the integrity check that the operator has investigated and dealt with. The chain
 * never forgets a version made outside the ingest (a later run read it into a digest), so without a
 * way to say "known" every later check would fail on the same incident and hide a new one. A
 * finding about bytes, an object's or a digest's, is accepted only for those bytes (its sha256):
 * the same key changed again is a new finding.
 */
export interface AcceptedFinding {
  kind: IntegrityProblem['kind'];
  key: string;
  sha256?: string;
  /** `broken-link`: the digest before it, as the finding named it. */
  previousSha256?: string;
  /** The operator's words: the incident, who repaired it, when. */
  note?: string;
}

export type AcceptedProblem = IntegrityProblem & { note?: string };

const sha256Schema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lower-case hex digits')
  .optional();

const findingSchema = z.object({
  kind: z.enum(INTEGRITY_PROBLEM_KINDS),
  key: z.string().min(1),
  sha256: sha256Schema,
  previousSha256: sha256Schema,
  note: z.string().optional(),
});

/**
 * A report's findings: its problems, and those it lists as accepted already. A check of more
 * problems than its report lists is passed in rounds (each report accepted lists the next ones), so
 * a report of a check given a list carries that list's findings on.
 */
const reportSchema = z
  .object({ problems: z.array(z.unknown()), accepted: z.array(z.unknown()).optional() })
  .transform((r) => [...(r.accepted ?? []), ...r.problems]);

/** A list of findings, or a whole report of the check as its JSON output gives it (`integrity.problems`). */
const listSchema = z.union([
  z.array(z.unknown()),
  reportSchema,
  z.object({ integrity: reportSchema }).transform((r) => r.integrity),
]);

/** Thrown when a list of accepted findings cannot be read; the message names the source and the entry. */
export class AcceptedFindingsError extends Error {
  /**
   * @param staleDigestFinding the list gives a digest finding no sha256, as reports did before
   *   they carried one: the command says how to make a report that does.
   */
  constructor(
    message: string,
    readonly staleDigestFinding = false,
  ) {
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
  return parseAcceptedList(json, source).findings;
}

/**
 * {@link parseAcceptedFindings}, with the chain the list names (undefined: a plain list, or a
 * report of a version that named none). A list that names none cannot accept a finding about
 * bytes that are gone (the sha256 of no bytes): the same finding is made of any lake.
 */
export function parseAcceptedList(
  json: unknown,
  source: string,
): { findings: AcceptedFinding[]; chain?: AcceptedListChain } {
  const chain = chainOfList(json, source);
  const findings = parsedFindings(json, source);
  const unbound = chain === undefined ? findings.findIndex((f) => f.sha256 === NO_BYTES_SHA256) : -1;
  const finding = findings[unbound];
  if (finding !== undefined) {
    throw new AcceptedFindingsError(
      `${source}: finding ${unbound + 1} (${finding.kind} ${finding.key}) is about bytes that are gone (the sha256 of no bytes), and the list names no lake: the same finding is made of any lake of this instance's name, so it is accepted only from a report that names its lake.`,
      true,
    );
  }
  return chain === undefined ? { findings } : { findings, chain };
}

function parsedFindings(json: unknown, source: string): AcceptedFinding[] {
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
        `${source}: finding ${i + 1} ${withoutSha256(finding)}`,
        DIGEST_KINDS.has(finding.kind),
      );
    }
    return finding;
  });
}

/** Why a finding without a sha256 is refused, and what to do instead. */
function withoutSha256(finding: AcceptedFinding): string {
  const what = `(${finding.kind} ${finding.key}) has no sha256: findings of kind ${finding.kind} are accepted only for the bytes they were about.`;
  if (!DIGEST_KINDS.has(finding.kind)) {
    return `${what} Copy the finding from the check's JSON report, which gives its sha256.`;
  }
  // Reports of earlier versions gave digest findings no sha256, so an old list fails here.
  return `${what} A list written before findings about digests carried one (or a hand-written entry) cannot say which bytes.`;
}

/**
 * Kinds whose findings are about a digest's bytes. Reports before they carried a sha256 gave none:
 * an acceptance then held for the key, so for any later rewrite of the digest too.
 */
const DIGEST_KINDS: ReadonlySet<string> = new Set([
  'unsigned',
  'bad-signature',
  'bad-digest',
  'broken-link',
  'digest-deleted',
]);

/** Kinds whose findings are about bytes (an object's or a digest's), and carry their sha256. */
const BYTE_KINDS: ReadonlySet<string> = new Set([
  'changed',
  'unvouched',
  'unlisted',
  'rolled-back',
  'holds-changed',
  'removed',
  'changed-since-noted',
  'created-since-noted',
  ...DIGEST_KINDS,
]);

/**
 * Kinds no list accepts. `versions-not-checked` says the check could not look (the digest versions
 * were not listed), not what it saw, so accepting one would pass every later check without that
 * look, whatever a deleted and re-written digest left. `noted-head` is about a head the operator
 * gave to this check: one the chain no longer holds is dropped from the heads given (and a head
 * noted anew), not accepted. An incident's whole report holding one is still taken; the finding
 * just stays a problem until the permission is granted, or the head is no longer given.
 * `not-a-digest` is a file that does not belong in the digest folder: moved out, as a table
 * folder's foreign file is, not accepted (accepted by key, its bytes could change unseen).
 */
const NEVER_ACCEPTED: ReadonlySet<string> = new Set(['versions-not-checked', 'noted-head', 'not-a-digest']);

/**
 * Whether an accepted finding is this problem: a problem about bytes only for those bytes (one of
 * such a kind without them is never accepted), and a broken link only to the same digest before it.
 */
const matches = (problem: IntegrityProblem, finding: AcceptedFinding): boolean =>
  !NEVER_ACCEPTED.has(problem.kind) &&
  problem.kind === finding.kind &&
  problem.key === finding.key &&
  (problem.sha256 === undefined ? !BYTE_KINDS.has(problem.kind) : problem.sha256 === finding.sha256) &&
  problem.previousSha256 === finding.previousSha256;

/**
 * The operator's list of accepted findings, matched against each problem as the check makes it:
 * an accepted one is set apart before the report's cap of listed problems, so that it takes no
 * place there. Were the cap applied first, a check of more findings than the cap could never pass,
 * however many of them were accepted (those past the cap were never matched).
 */
export class AcceptedFindings {
  private readonly byKey = new Map<string, AcceptedFinding[]>();
  private readonly used = new Set<AcceptedFinding>();

  constructor(private readonly findings: readonly AcceptedFinding[]) {
    for (const finding of findings) {
      const at = `${finding.kind}\n${finding.key}`;
      const same = this.byKey.get(at);
      if (same) same.push(finding);
      else this.byKey.set(at, [finding]);
    }
  }

  /**
   * The problem as accepted (with the operator's note), or undefined when no listed finding is it.
   * A `changed-since-noted` finding is also accepted by an accepted `changed` one of the same key
   * and the same bytes: both say the store holds those bytes otherwise than the chain left it, and
   * the operator vouched for them already (an erasure by hand accepts its `changed` findings, which
   * a check with --expect-head makes again as `changed-since-noted`). Other bytes are a new finding.
   */
  take(problem: IntegrityProblem): AcceptedProblem | undefined {
    const listed = (as: IntegrityProblem) =>
      this.byKey.get(`${as.kind}\n${as.key}`)?.find((f) => matches(as, f));
    const finding =
      listed(problem) ??
      (problem.kind === 'changed-since-noted' ? listed({ ...problem, kind: 'changed' }) : undefined);
    if (!finding) return undefined;
    this.used.add(finding);
    return finding.note === undefined ? problem : { ...problem, note: finding.note };
  }

  /** The listed findings no problem matched: the check no longer makes them. */
  notFound(): AcceptedFinding[] {
    return this.findings.filter((f) => !this.used.has(f));
  }
}
