import type { IntegrityProblemKind } from '../core/lake/integrity-problem.ts';
import { type VerifyFindingKind, verifyFindingKinds } from '../core/lake/verify-finding-kinds.ts';
import type { VerifyReport } from '../core/lake/verify-report.ts';

const LAKE_FINDINGS =
  'verify reports a gap, a mismatch, an unreadable object, a misplaced record or a file not of the lake';

/**
 * The section of docs/operations.md that says what each finding of a plain verify means, whether
 * data is lost and how to get it back, quoted as its heading reads (code marks left out, as the
 * alarms quote theirs), with the words the report's lines use for it.
 */
export const VERIFY_FINDING_RUNBOOKS: Record<VerifyFindingKind, { heading: string; words: string }> = {
  gap: { heading: LAKE_FINDINGS, words: 'gap' },
  duplicate: { heading: 'Duplicate ids in two hours', words: 'duplicate id' },
  misplaced: { heading: LAKE_FINDINGS, words: 'misplaced' },
  'not-from-raw': {
    heading: 'Bytes no digest vouches for (unvouched)',
    words: 'event that disagrees with its raw entry',
  },
  mismatch: { heading: LAKE_FINDINGS, words: 'mismatch' },
  unreadable: { heading: LAKE_FINDINGS, words: 'unreadable' },
  foreign: { heading: LAKE_FINDINGS, words: 'not an object of this lake' },
  'future-object': { heading: 'Objects of hours not begun', words: 'object of an hour not begun' },
  'watermark-ahead': { heading: 'Watermark in the future', words: 'the watermark is in the future' },
  'start-unlinked': {
    heading: 'verify --integrity reports broken-link, bad-signature, unsigned or not-a-digest',
    words: 'is not the one the next digest names',
  },
};

const OBJECT_FINDINGS =
  'verify --integrity reports changed, unlisted, rolled-back, holds-changed, missing or removed';
const DIGEST_FINDINGS = 'verify --integrity reports broken-link, bad-signature, unsigned or not-a-digest';
const DELETED = 'verify --integrity reports digest-deleted';
const SINCE_NOTED = 'verify --integrity --expect-head reports changed-since-noted or created-since-noted';

/** The section of docs/operations.md for each finding of `verify --integrity`, as its heading reads. */
export const INTEGRITY_FINDING_RUNBOOKS: Record<IntegrityProblemKind, string> = {
  changed: OBJECT_FINDINGS,
  unvouched: 'Bytes no digest vouches for (unvouched)',
  'rolled-back': OBJECT_FINDINGS,
  'holds-changed': OBJECT_FINDINGS,
  unlisted: OBJECT_FINDINGS,
  missing: OBJECT_FINDINGS,
  removed: OBJECT_FINDINGS,
  'broken-link': DIGEST_FINDINGS,
  'bad-digest': 'A digest of the chain is not a digest',
  'bad-signature': DIGEST_FINDINGS,
  unsigned: DIGEST_FINDINGS,
  'digest-deleted': DELETED,
  'versions-not-checked': DELETED,
  'noted-head': DELETED,
  'changed-since-noted': SINCE_NOTED,
  'created-since-noted': SINCE_NOTED,
  'restarted-chain': 'verify --integrity reports restarted-chain, or warns of objects adopted at genesis',
  'not-a-digest': DIGEST_FINDINGS,
  'chain-shorter-than-recorded': 'verify --integrity reports chain-shorter-than-recorded (status: CUT)',
};

/**
 * A section of docs/operations.md that says what to do about some of a report's findings: its
 * heading, and the kinds of finding it is for (`verify --json`'s `runbooks`).
 */
export interface RunbookSection {
  /** The file the section is in. */
  doc: 'docs/operations.md';
  /** Its heading, as it reads (code marks left out). */
  section: string;
  /** The kinds of finding it is for: {@link VerifyFindingKind}s and `--integrity`'s kinds. */
  findings: string[];
}

/** The sections for the report's findings, each once, with the words the text's line names them by. */
function sectionsOf(r: VerifyReport): Map<string, { words: string[]; kinds: string[] }> {
  const sections = new Map<string, { words: string[]; kinds: string[] }>();
  const add = (heading: string, words: string, kind: string) => {
    const named = sections.get(heading) ?? { words: [], kinds: [] };
    if (!named.words.includes(words)) named.words.push(words);
    if (!named.kinds.includes(kind)) named.kinds.push(kind);
    sections.set(heading, named);
  };
  for (const kind of verifyFindingKinds(r)) {
    const { heading, words } = VERIFY_FINDING_RUNBOOKS[kind];
    add(heading, words, kind);
  }
  for (const { kind } of r.integrity?.problems ?? []) add(INTEGRITY_FINDING_RUNBOOKS[kind], kind, kind);
  return sections;
}

/**
 * `verify --json`'s `runbooks`: the sections the text names above `PROBLEMS FOUND`, for a script to
 * link; absent from a report that passes, as the text's lines are.
 */
export function runbooksField(r: VerifyReport): { runbooks?: RunbookSection[] } {
  if (r.ok) return {};
  const runbooks = [...sectionsOf(r)].map(([section, { kinds }]): RunbookSection => {
    return { doc: 'docs/operations.md', section, findings: kinds };
  });
  return { runbooks };
}

/**
 * One line per section of docs/operations.md that says what to do about the report's findings,
 * naming the findings it is for: the on-call reading `PROBLEMS FOUND` goes straight to it.
 */
export function runbookLines(r: VerifyReport): string[] {
  return [...sectionsOf(r)].map(
    ([heading, { words }]) => `  what to do (${words.join(', ')}): see docs/operations.md "${heading}"`,
  );
}
