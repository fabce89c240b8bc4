import type { IntegrityReport } from '../core/lake/integrity-report.ts';
import type { KnownVersionsFileNote, VersionListing } from '../core/lake/known-versions.ts';
import { visibleLine } from '../core/visible-line.ts';
import { findingsByRun } from './integrity-findings-by-run.ts';
import type { IngestTarget } from './report-ingest-command.ts';
import { shownAndMore } from './shown-and-more.ts';

const MAX_INTEGRITY_LINES = 20;

/**
 * The integrity findings, one a line. With no digest at all every object is `unlisted`, which
 * says nothing of any one of them (a lake older than digests, not adopted yet, or one whose
 * digests were removed: the line above says which to suspect): one line counts them instead of
 * a line each that reads as an object written outside the ingest. `--json` still lists each.
 */
function problemLines(i: IntegrityReport, target: IngestTarget | undefined): string[] {
  const line = (p: IntegrityReport['problems'][number]) => `${p.kind}: ${p.key}: ${p.detail}`;
  if (i.digests > 0) {
    const agreeing = i.problems.filter((p) => p.agreesWithVouchedEvents);
    const rest = agreeing.length > 0 ? i.problems.filter((p) => !p.agreesWithVouchedEvents) : i.problems;
    const byRun = findingsByRun(rest, target);
    return [
      ...agreeingLines(agreeing),
      ...byRun.lines,
      ...cappedLines(byRun.others, MAX_INTEGRITY_LINES, '  ', line),
      ...cutLines(i),
    ];
  }
  const unlisted = i.problems.filter((p) => p.kind === 'unlisted').length;
  const others = i.problems.filter((p) => p.kind !== 'unlisted');
  return [
    ...(unlisted > 0
      ? [
          `  unlisted: ${unlisted} object(s), no digest lists any of them (the line above says why; --json lists each)`,
        ]
      : []),
    ...cappedLines(others, MAX_INTEGRITY_LINES, '  ', line),
    ...cutLines(i),
  ];
}

/**
 * The unvouched manifests whose events are vouched for, on one line: each still fails the check
 * until accepted, but what is in doubt is the figures of the pulls, not an event, so a line each
 * (a re-pull killed mid-way leaves hundreds) would bury the findings about events.
 */
function agreeingLines(agreeing: readonly IntegrityReport['problems'][number][]): string[] {
  if (agreeing.length === 0) return [];
  return [
    `  unvouched: ${agreeing.length} coverage manifest(s) whose events a digest vouches for (their event count and content hash are those of the hour's vouched events object): only their figures of the pulls are no digest's. Compare those, or accept them as they are, with a note (docs/operations.md, "Bytes no digest vouches for"); --json lists each with "agreesWithVouchedEvents": true`,
  ];
}

/**
 * The problems past the report's list: how many, and how to see them. Accepted findings take no
 * place in the list, so a report accepted lists the next ones (and carries the accepted on).
 */
function cutLines(i: IntegrityReport): string[] {
  const notListed = i.problemsFound - i.problems.length;
  if (notListed <= 0) return [];
  // `the 1 others` read as a slip (review R-ROUND3 LOW-3).
  const rest = notListed === 1 ? 'the 1 other' : `the ${notListed} others`;
  return [
    `  ${i.problems.length} of ${i.problemsFound} problem(s) listed (--json lists those ${i.problems.length}): once they are investigated, give that report to --accept and verify again to list ${rest} (docs/operations.md, on --accept)`,
  ];
}

/**
 * When the chain began, and who wrote what its genesis adopted: runs the chain has no record of.
 * Right once, at the upgrade to a version that records digests; otherwise the sign of a chain begun
 * anew over recorded data, whose history (and any forgery in it) the adoption wiped.
 */
function adoptedLines(i: IntegrityReport): string[] {
  const genesis = i.genesis;
  const began = genesis?.createdAt === undefined ? '' : `, created ${visibleLine(genesis.createdAt)}`;
  // Its run was told to begin anew over recorded hours: said here, not only in the finding.
  const restart = genesis?.restarted
    ? `, a deliberate restart${genesis.runId === undefined ? '' : ` by run ${visibleLine(genesis.runId)}`}`
    : '';
  const lines = genesis ? [`  genesis: ${genesis.key}${began}${restart}, sha256 ${genesis.sha256}`] : [];
  if (i.adoptedAtGenesis === 0) return lines;
  const w = i.adoptedWriters;
  const writers =
    w === undefined
      ? ''
      : `; the ${w.manifests} adopted manifest(s) read name ${w.runs} run(s) the chain has no record of, pulled from ${visibleLine(w.firstFetchedAt ?? '')} to ${visibleLine(w.lastFetchedAt ?? '')}`;
  lines.push(
    `  warning: ${i.adoptedAtGenesis} object(s) adopted at genesis: the chain holds no history of them, only their bytes when it began${writers}. Right once, when a lake written before its version recorded digests is upgraded (docs/upgrading.md); if this lake recorded digests before that time, its chain was begun anew (its digest folder deleted) and a forged object among these passes (docs/guarantees.md §6)`,
  );
  return lines;
}

export function describeIntegrity(i: IntegrityReport, target?: IngestTarget): string[] {
  const lines = [
    `  integrity: ${i.digests} digest(s), ${i.objectsChecked} object(s) checked, ${signatures(i)}${i.adoptedAtGenesis ? `, ${i.adoptedAtGenesis} adopted at genesis` : ''}`,
  ];
  lines.push(...hoursLines(i));
  lines.push(...adoptedLines(i));
  if (i.digests === 0) {
    lines.push(
      '  no digest chain: a lake written before digests, which its next ingest adopts in a genesis digest (run one, then verify again: until then nothing can be vouched for), or a lake whose digests were removed (docs/guarantees.md §6)',
    );
  }
  if (i.head) {
    lines.push(
      `  head: ${i.head.key}, sha256 ${i.head.sha256}: note both with the date; a later check must still find that digest with that sha256 (--expect-head ${i.head.key}=${i.head.sha256}; docs/guarantees.md §6)`,
    );
  }
  for (const noted of i.notedHeads ?? [])
    lines.push(`  noted head still on the chain: ${noted.key}, sha256 ${noted.sha256}`);
  lines.push(...changedSinceNotedLines(i));
  lines.push(`  ${digestVersionsLine(i)}`);
  if (i.versionsTaken) lines.push(`  ${versionsTakenLine(i.versionsTaken)}`);
  if (i.versionsTaken?.file) lines.push(`  ${knownVersionsFileLine(i.versionsTaken.file)}`);
  if (i.unsealedHead) lines.push(unsealedHeadLine(i, i.unsealedHead));
  if (i.recordedOnRead.length > 0) {
    lines.push(
      `  ${i.recordedOnRead.length} version(s) first recorded when a run read them or wrote over them, that a run which never sealed (it died, or still runs) listed in a digest as about to write, before writing them: that run's writes, not a finding; see docs/guarantees.md:`,
      ...cappedLines(
        i.recordedOnRead,
        SHOWN_RECORDED_ON_READ,
        '    ',
        (r) =>
          `${r.key} (${r.as === 'read' ? 'read' : 'written over'} by run ${r.runId} in ${r.digest}; unsealed: run ${r.runs.join(', run ')})`,
      ),
    );
  }
  if (i.agedOut) {
    lines.push(
      `  ${i.agedOut} object(s) the chain lists are gone with the hours the lake aged out by policy (retention.maxDays): not a finding`,
    );
  }
  if (i.maxDaysRefused) {
    const { digest, maxDays } = i.maxDaysRefused;
    lines.push(
      `  ${digest} states retention.maxDays ${maxDays}, a value synth refuses: the digests excuse no hour as aged out`,
    );
  }
  lines.push(...problemLines(i, target));
  if (i.accepted.length > 0) {
    lines.push(
      `  ${i.accepted.length} finding(s) accepted as known (--accept), not counted as problems:`,
      ...cappedLines(
        i.accepted,
        MAX_INTEGRITY_LINES,
        '    ',
        (p) => `${p.kind}: ${p.key}${p.note ? ` (${p.note})` : ''}`,
      ),
    );
  }
  lines.push(...acceptedNotFoundLines(i));
  return lines;
}

/**
 * The objects runs after the noted head wrote over. Signed runs, checked: information (a re-pull,
 * an enrich). Otherwise each is a `changed-since-noted` finding, listed with the others; the line
 * says how many there are, as the findings' list is cut. A noted head that is the chain's head has
 * no digest after it (`signed` is then vacuously true): no run wrote them, as after an erasure by
 * hand, and the chain's own findings name each.
 */
function changedSinceNotedLines(i: IntegrityReport): string[] {
  const changed = i.changedSinceNoted;
  if (changed === undefined || changed.count === 0) return [];
  if (i.head?.key === changed.after) {
    return [
      `  ${changed.count} object(s) the store holds otherwise than at the noted head ${changed.after}, and no digest follows that head (it is the chain's head): no run since wrote them; they were rewritten outside the ingest (by hand, as an erasure, or by a forger): the findings below name each`,
    ];
  }
  if (!changed.signed) {
    return [
      `  ${changed.count} object(s) the store holds otherwise than the digests up to the noted head ${changed.after} left them, and no checked signature vouches for every digest after it: the \`changed-since-noted\` and \`created-since-noted\` findings below (docs/operations.md says how to tell a re-pull)`,
    ];
  }
  return [
    `  ${changed.count} object(s) the store holds otherwise than at the noted head ${changed.after}, and every digest after it is signed, checked: those a digest after it lists (its run named) are a re-pull of late events, or an enrich; bytes a run only read, that no digest vouches for, or that no digest after the head lists, are findings below:`,
    ...cappedLines(
      changed.objects,
      SHOWN_RECORDED_ON_READ,
      '    ',
      (c) =>
        `${c.key} (${c.what}${c.runId === undefined ? (c.what === 'gone' ? '' : ', listed by no digest after the head') : `, run ${visibleLine(c.runId)} in ${c.digest}`})`,
    ),
  ];
}

/**
 * What became of accepted findings the check no longer makes. One whose kind and key are still a
 * problem names other bytes now: what was accepted was rewritten since, and dropping it from the
 * list to accept the new finding would bless the rewrite unseen.
 */
function acceptedNotFoundLines(i: IntegrityReport): string[] {
  const stillFound = (f: { kind: string; key: string }) =>
    i.problems.some((p) => p.kind === f.kind && p.key === f.key);
  const rewritten = i.acceptedNotFound.filter(stillFound);
  const gone = i.acceptedNotFound.length - rewritten.length;
  const lines: string[] = [];
  if (rewritten.length > 0) {
    lines.push(
      `  ${rewritten.length} accepted finding(s) now name other bytes (the same kind and key are a problem above, with the sha256 found now): what was accepted was rewritten since; find out who wrote it before accepting anything again (docs/operations.md, on --accept):`,
      ...cappedLines(rewritten, MAX_INTEGRITY_LINES, '    ', (f) => `${f.kind}: ${f.key}`),
    );
  }
  if (gone > 0) {
    lines.push(
      `  ${gone} accepted finding(s) no longer found (another instance's, or the chain no longer shows them): the --accept list can drop them`,
    );
  }
  return lines;
}

const SHOWN_RECORDED_ON_READ = 5;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The days a check of some hours looked for objects in: those its hours touch (`to` is out). */
const daysOf = (hours: { fromMs: number; toMs: number }): string =>
  `${day(hours.fromMs)} .. ${day(Math.max(hours.fromMs, hours.toMs - 1))}`;

/**
 * A check of some hours: every object held was judged, but of those the chain lists, only the
 * ones of the range's days were looked for; the others not there are counted (not `missing`: a
 * copy of those days leaves them out).
 */
function hoursLines(i: IntegrityReport): string[] {
  const hours = i.hours;
  if (hours === undefined) return [];
  return [
    `  objects compared: every object held, and the whole chain; looked for: those the chain lists for the days ${daysOf(hours)} (the range's); ${hours.outsideNotChecked} object(s) it lists for other days are not there, not looked for (docs/guarantees.md §6)`,
  ];
}

/**
 * The last digest not sealed, and what to do. When the last run record says the chain went further
 * (`chain-shorter-than-recorded`), the seal may be what was removed: ingests refuse to append over
 * the cut (lake/chain-cut-guard.ts), so none is advised (review R-AUDITOR M1).
 */
function unsealedHeadLine(i: IntegrityReport, head: NonNullable<IntegrityReport['unsealedHead']>): string {
  const digest = `the last digest (${head.key}, run ${visibleLine(head.runId)}, ${visibleLine(head.createdAt)}) is not sealed`;
  if (i.problems.some((p) => p.kind === 'chain-shorter-than-recorded'))
    return `  ${digest}, and the lake's last run record says the chain went further (chain-shorter-than-recorded below): its seal may be what was removed. Ingests refuse to append until the digests are restored or the record is moved aside: keep a copy of the lake as it is, and find out what happened first`;
  return `  ${digest}: that run died or is still running, and what it wrote after that digest is in no digest yet. Once it has ended, run an ingest (it records those objects, even one with nothing to pull), then verify again: what is still "changed" or "unlisted" then was not written by the ingest`;
}

/** How many digests are signed; without a public key, that they carry a signature no one checked. */
const signatures = (i: IntegrityReport): string =>
  i.signaturesChecked
    ? `${i.signedDigests} signed${i.unsignedBeforeSigning ? ` (${i.unsignedBeforeSigning} unsigned from before signing began)` : ''}`
    : i.signedDigests === 0 && i.digests > 0
      ? 'none signed (an unsigned chain: a key checks nothing)'
      : `${i.signedDigests} carry a signature (not checked: give --public-key)`;

/** What the check of the digests' stored versions found possible, a line each. */
const DIGEST_VERSIONS: Record<IntegrityReport['digestVersions'], string> = {
  checked: 'digest versions: checked (a digest deleted or written twice is a finding)',
  unversioned:
    'digest versions: the bucket keeps none (versioning off): a deleted last digest goes unseen once the next run writes its number again',
  failed:
    'digest versions: not checked (listing them failed, see the problem below): a deleted last digest goes unseen once the next run writes its number again',
  'not-available':
    'digest versions: not checked (the store keeps none, or lists none: a lake on disk, or an S3-compatible store without the versions API): a deleted last digest goes unseen once the next run writes its number again',
};

/** Why a routine check read every object: the current versions could not be gone by. */
const NOT_TAKEN: Record<Exclude<VersionListing, 'listed'>, string> = {
  unversioned: 'the bucket keeps none (versioning off)',
  failed: 'listing them failed: the caller may lack s3:ListBucketVersions',
  'not-available': 'the store keeps none: a lake on disk, or an S3-compatible store without the versions API',
};

/** What the routine check (`--known-versions`) took by version and what it read. */
function versionsTakenLine(taken: NonNullable<IntegrityReport['versionsTaken']>): string {
  if (taken.listing !== 'listed')
    return `object versions: not listed (${NOT_TAKEN[taken.listing]}): all ${taken.read} object(s) read`;
  const share = taken.rereadShare;
  const inTurn = share
    ? ` (${taken.rereadInTurn ?? 0} of them read again in turn: share ${share.turn + 1} of ${share.of}, so every object is read again within ${share.of} checks)`
    : '';
  return `object versions: ${taken.taken} object(s) judged by the version an earlier check read (not read again), ${taken.read} read${inTurn}; the file now holds the versions seen`;
}

/**
 * The file a routine check rests on, read and written, each with its sha256: noted beside the head,
 * the next check's `read` sha256 shows the file it took is the one this check wrote.
 */
function knownVersionsFileLine(file: KnownVersionsFileNote): string {
  const read = file.read
    ? `read ${visibleLine(file.path)} sha256 ${file.read.sha256} (written ${visibleLine(file.read.writtenAt)}, ${file.read.entries} entries)`
    : `no file at ${visibleLine(file.path)} yet`;
  const written = file.written
    ? `wrote sha256 ${file.written.sha256} (${file.written.entries} entries): note it with the head`
    : `not written (${visibleLine(file.writeError ?? 'unknown error')})`;
  return `known versions: ${read}; ${written}`;
}

/**
 * The line on the digests' versions. Where none are kept, the head noted earlier is the check of a
 * deleted head: the line says to give it, or points at what came of the heads given.
 */
function digestVersionsLine(i: IntegrityReport): string {
  const line = DIGEST_VERSIONS[i.digestVersions];
  if (i.digestVersions !== 'not-available') return line;
  if (i.notedHeads === undefined) return `${line}; check the head you noted with --expect-head`;
  return i.notedHeads.length > 0
    ? `${line}; the noted head still on the chain (above) rules that out up to it`
    : `${line}; see the noted-head finding below`;
}

/** The first `cap` items as lines at `indent`, then a line saying how many more there are. */
function cappedLines<T>(
  items: readonly T[],
  cap: number,
  indent: string,
  line: (item: T) => string,
): string[] {
  const { shown, more } = shownAndMore(items, cap);
  const lines = shown.map((item) => `${indent}${line(item)}`);
  if (more > 0) lines.push(`${indent}... and ${more} more (--json lists them)`);
  return lines;
}
