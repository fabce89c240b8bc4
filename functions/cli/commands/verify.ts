import { basename, resolve } from 'node:path';
import {
  chainsWithoutInstance,
  digestFolderStrays,
  quarantineInstanceFolders,
} from '../../adapters/lake-instances.ts';
import { DEFAULT_LAKE, type LakeSpec } from '../../adapters/lake-location.ts';
import { errorMessage } from '../../core/error-message.ts';
import { acceptsSetting, INGEST_SETTINGS } from '../../core/ingest/ingest-settings.ts';
import { InvalidRangeError } from '../../core/ingest/range-error.ts';
import { AcceptedOfAnotherChainError } from '../../core/lake/accepted-list-chain.ts';
import { agedOutField, withoutAgedOut } from '../../core/lake/aged-out.ts';
import type { RepullFields } from '../../core/lake/checkpoint.ts';
import { readCheckpointMarks } from '../../core/lake/checkpoint-marks.ts';
import { WATERMARK_AHEAD_TOLERANCE_MS } from '../../core/lake/future-hours.ts';
import { ingestBehind } from '../../core/lake/ingest-behind.ts';
import type { VerifyIntegrityOptions } from '../../core/lake/integrity-options.ts';
import type { KnownVersion, KnownVersionsFileNote } from '../../core/lake/known-versions.ts';
import { DEFAULT_LAG_HOURS } from '../../core/lake/lag-threshold.ts';
import { type LastRun, readLastRun } from '../../core/lake/last-run.ts';
import { recordedFinality } from '../../core/lake/recorded-finality.ts';
import { verifyLake } from '../../core/lake/verify-lake.ts';
import {
  type AskedRange,
  type HourRange,
  type VerifyClip,
  type VerifyRangeAt,
  verifyRangeAt,
  verifyRangeOfLake,
} from '../../core/lake/verify-range.ts';
import type { VerifyReport } from '../../core/lake/verify-report.ts';
import { verifyWithIntegrity } from '../../core/lake/verify-with-integrity.ts';
import { wholeLakeEnd, wholeLakeRange } from '../../core/lake/whole-lake-range.ts';
import { type ObjectStore, versionListerOf } from '../../core/ports.ts';
import { floorHour, HOUR_MS } from '../../core/time-units.ts';
import { type CommandIo, clockOf } from '../command-io.ts';
import { demoEmptyLakeNote, isDemoLakeTarget } from '../demo-lake.ts';
import { lakeNamed } from '../filed-facts.ts';
import { fitProse } from '../fit-prose.ts';
import { jsonOutput } from '../json-output.ts';
import {
  assertKnownVersionsWritable,
  type KnownVersionsFile,
  parseExpectedSha256,
  readKnownVersions,
  refuseOtherLake,
  refuseUnexpectedFile,
  writeKnownVersions,
} from '../known-versions-file.ts';
import { openLakeTarget, parseLakeOption } from '../lake-target.ts';
import {
  type OptionSpec,
  optionValue,
  parseHourRange,
  parseInstant,
  parseOptions,
  parseWholeNumber,
} from '../options.ts';
import { type IngestTarget, isCommandLine, shellWord } from '../report-ingest-command.ts';
import { settingOption } from '../setting-option.ts';
import { runProcessesOf } from '../stopped-run.ts';
import { UsageError } from '../usage-error.ts';
import { checkHeaderLines, type VerifyCheck, verifyCheckOf, verifyExitCode } from '../verify-check-header.ts';
import { integrityOptions } from '../verify-integrity-options.ts';
import { maxDaysOption, noteAgedOutHint, retentionOf } from '../verify-max-days.ts';
import { verifyProgressLine } from '../verify-progress-line.ts';
import { describeReport } from '../verify-report-text.ts';
import { runbooksField } from '../verify-runbooks.ts';

/** A year of monthly routine checks re-reads every object once (review revid4 L5). */
const DEFAULT_REREAD_TURNS = 12;

export const verifyHelp = `Usage: domo-activity-lake verify [options]

Checks what the lake promises for one instance: every hour covered, no event
stored twice, every record in the right hour and date partition, manifests that
match the stored objects, every object readable, no other file in its tables'
folders (with --from/--to, in the days checked), no object of an hour that has
not begun, nor a file named for one in any folder, and what was quarantined and
why. Exits 1 when a promise is broken. Hours that hold events or quarantined
entries but no manifest (a pull interrupted, inside the lake, before its first
hour or after its last, unless a run in progress pulls them) are named with how
to re-pull them, and do not fail the check.

Options:
  --instance <name>       instance (default: the lake's only instance)
  --lake <dir|s3://b/p>   where the lake is (default: ${DEFAULT_LAKE})
  --from <time> --to <time>  hours to check (--from alone: up to where
                             the default ends; default: from where the
                             lake began, the earliest of its first
                             covered hour and the starts its genesis
                             digest and checkpoint record, to the last
                             covered hour or the watermark); a --to
                             past the newest hour that can be pulled (or
                             the lake's watermark, when later) is clipped
                             to its end (a range with none of its hours
                             closed yet checks nothing), and a --from
                             after now refused: no run can have pulled
                             those
  --settle-minutes <n>    how long an hour must be closed before it is pulled,
                          as the ingest's setting (default: the one the lake's
                          last ingest run recorded, else ${INGEST_SETTINGS.settleMinutes.default})
  --integrity             also walk the digest chain: every object listed with
                          the bytes a digest recorded, no listed object gone,
                          every link intact; with --from/--to, the chain and
                          every object held are checked, but only the
                          objects of the range's days are looked for: a copy
                          of those days and the digest folder passes, the
                          chain's objects of other days not there counted
  --public-key <file>     with --integrity: the digest signing key's public key
                          (PEM, base64 or DER file; see the stack output
                          DigestPublicKeyCommand); every digest must then carry
                          a valid signature (without it, signatures are counted,
                          not checked). The report prints the key's SHA-256
                          fingerprint: compare it with the one recorded when
                          the stack was deployed, as a key handed over with
                          the lake may be anyone's
  --accept <file>         with --integrity: findings already investigated and
                          repaired (the JSON report of an earlier check, or a
                          list of its findings); they are shown as accepted and
                          do not fail the check. Repeatable
  --expect-head <digest>=<sha256>
                          with --integrity: a head an earlier check printed
                          (its key and sha256, or the JSON of integrity.head);
                          fails unless that digest still has that sha256 and
                          is on the chain; each object stored otherwise than
                          the digests up to it left it is a finding
                          (changed-since-noted, created-since-noted), unless
                          the digests after it are signed and checked with
                          --public-key. Repeatable
  --known-versions <file>
                          with --integrity, on S3: the routine check. The file
                          holds the S3 version of each object an earlier check
                          read, with its bytes' SHA-256; an object whose current
                          version is there is judged by it without a GET, the
                          others are read, and the file is then rewritten with
                          the versions seen (created when missing: that first
                          check reads every object). Keep it where the lake's
                          writers cannot edit it, as the noted head. With
                          --from/--to, the lake's checks read those hours
                          only, and every object the chain lists is still
                          looked for; a lake on disk is read whole
  --expect-known-versions <sha256>
                          with --known-versions: the sha256 the previous check
                          wrote it with (its "known versions:" line); a file
                          read otherwise is refused, before anything is read
  --reread-turns <n>      with --known-versions: read again 1/n of the objects
                          the file would spare, a share in turn, so n checks
                          read every object again (default ${DEFAULT_REREAD_TURNS}; 0: none)
  --lag-hours <n>         a check without --to notes a watermark behind by more
                          than this (default ${DEFAULT_LAG_HOURS}, as status and alarms.lagHours);
                          the note does not fail the check
  --max-days <n>          hours older than n days are aged out by policy, not
                          checked (default: with --integrity, the bound the
                          digests state of retention.maxDays, only signed ones
                          with --public-key, else said unverified; else none)
  --require-anchor        with --integrity: a pass that nothing outside the lake
                          anchors ends NOT ANCHORED and exits 3, not 0: no
                          signature checked and no noted head, or no noted
                          head and no digest versions for the chain's end
                          (for scripts and alarms that go by the exit code)
  --json                  print the report as JSON
`;

const spec = {
  instance: { type: 'string' },
  lake: { type: 'string', default: DEFAULT_LAKE },
  from: { type: 'string' },
  to: { type: 'string' },
  'settle-minutes': { type: 'string' },
  json: { type: 'boolean', default: false },
  integrity: { type: 'boolean', default: false },
  'public-key': { type: 'string' },
  accept: { type: 'string', multiple: true },
  'expect-head': { type: 'string', multiple: true },
  'known-versions': { type: 'string' },
  'expect-known-versions': { type: 'string' },
  'reread-turns': { type: 'string' },
  'lag-hours': { type: 'string' },
  'max-days': { type: 'string' },
  'require-anchor': { type: 'boolean', default: false },
} as const;

/** The command's options, for the entry's check of the ones npm took (npm-taken-options.ts). */
export const verifyOptions: OptionSpec = spec;

export async function verifyCommand(argv: readonly string[], io: CommandIo): Promise<VerifyReport> {
  return (await verifyChecked(argv, io)).report;
}

/** Runs the check and gives its exit code: 0 `OK`, 1 `PROBLEMS FOUND`, 3 `NOT ANCHORED`. */
export async function verifyRun(argv: readonly string[], io: CommandIo): Promise<number> {
  return verifyExitCode((await verifyChecked(argv, io)).check);
}

/** The check and its report, printed. */
async function verifyChecked(
  argv: readonly string[],
  io: CommandIo,
): Promise<{ report: VerifyReport; check: VerifyCheck }> {
  const { values } = parseOptions(argv, spec);
  const nowMs = clockOf(io).now();
  // Checked before the lake is opened, as ingest checks its range; clipped once its watermark is read.
  const asked = rangeOption(values, nowMs);
  // Before the lake too: a lake that is not there would hide a usage error behind exit 1.
  const given = integrityOptions(values);
  const knownFile = knownVersionsOption(values);
  const rereadTurns = rereadTurnsOption(values);
  const maxDays = maxDaysOption(values['max-days']);
  // status's option and limits: the two judge a watermark late by one threshold.
  const lagHours = parseWholeNumber('--lag-hours', values['lag-hours'], DEFAULT_LAG_HOURS, {
    min: 1,
    max: 168,
  });
  const {
    store,
    instance,
    instances,
    strayInstanceFolders,
    spec: lakeSpec,
    s3Client,
  } = await openLakeTarget(parseLakeOption(values.lake), values.instance, { access: 'read' });
  // The quarantine table's instance folders, which the lake's instances are not found by.
  const quarantined = await quarantineInstanceFolders(lakeSpec, instances, s3Client);
  const digestFolders = await digestFolderStrays(lakeSpec, s3Client);
  // Every option checked first: a checkpoint that cannot be read is the lake's failure (exit 1).
  // A range asked for without its end is one given by `--from` alone.
  const closed = asked && (await closedRangeOf(store, instance, asked, nowMs, values.to === undefined));
  // The checkpoint read to clip the range is the one the report judges it by: not read again.
  const marks = closed ?? (await readCheckpointMarks(store, instance));
  const { watermarkMs, heldFromMs, repull } = marks;
  const lastRun = await readLastRun(store, instance);
  // Hours the deployment's retention.maxDays expired are no gaps: not checked. Never by the run
  // record, which any lake writer edits (review R-SECOND6 H1): by the operator, or the signed chain.
  const retention = retentionOf(maxDays, nowMs, values.integrity === true);
  // Without --from/--to too, only hours that have ended: a watermark in the future vouches for none
  // after. Its start from the same read of the checkpoint.
  const lakeRange = closed ? closed.range : await wholeLakeRange(store, instance, marks, nowMs);
  // With --integrity the chain's bound is known once it is walked, and the range narrowed then.
  const range = withoutAgedOut(lakeRange, retention.unwalked);
  // Now too: hours past the watermark that a run in progress pulls are not a failed run's gaps.
  const watermark = {
    watermarkMs,
    heldFromMs,
    // Which covered hours a scheduled run still pulls again: the report says they are not final.
    ...(repull ? { repull } : {}),
    nowMs,
    strayFolders: [...strayInstanceFolders, ...quarantined.strayFolders, ...digestFolders.strays].sort(),
    quarantineOnlyInstances: quarantined.withoutTables,
    interruptedFirstIngests: quarantined.firstIngests,
    // A run whose process is gone (a lake on disk only) is not one in progress: its hours are gaps.
    ...runProcessesOf(lakeSpec),
    // Which hours are final by the deployment's lookback and later pull, when its last run says.
    finality: recordedFinality(lastRun, instance, acceptsSetting),
  };
  if (knownFile) refuseOtherLake(knownFile, store.location, instance);
  const written: KnownVersionsWrite = {};
  const progress = verifyProgressLine(`verify ${instance}`, io.stderr);
  const reads = progress.reads === undefined ? {} : { reads: progress.reads };
  // With --integrity, one pass: the objects the lake's checks read are not read again.
  const report = await (values.integrity
    ? verifyWithIntegrity(store, instance, range, {
        // The routine check looks for every object the chain lists, whatever the range: on S3 that
        // costs the listings it makes anyway, and a range then only spares the lake's checks the
        // hours the checks before read (an object of theirs changed is a new version, read).
        ...chainOptions(store, given, knownFile === undefined ? asked : undefined),
        ...knownVersionsOf(knownFile, { lake: store.location, instance, nowMs }, written),
        ...rereadShareOf(knownFile, rereadTurns),
        agedOut: retention.fromChain,
        ...recordedHeadOf(lastRun),
        ...reads,
        ...watermark,
      })
    : verifyLake(store, instance, range, { ...reads, ...watermark })
  )
    .catch(refusedAcceptList)
    .finally(() => progress.done());
  // A --to not given is not one clipped: said only when no hour of the range has closed.
  if (closed?.clipped && (values.to !== undefined || closed.clipped.noneClosedBeforeMs !== undefined))
    report.clipped = closed.clipped;
  Object.assign(report, agedOutField(retention.unwalked, lakeRange?.fromMs, undefined));
  noteAgedOutHint(report, lastRun, instance, { given: maxDays, stated: retention.stated() });
  const firstIngests = quarantined.firstIngests.map((folder) => /instance=([^/]*)\//.exec(folder)?.[1] ?? '');
  const unread = chainsWithoutInstance(digestFolders.chains, instances, firstIngests);
  if (unread.length > 0) report.chainsWithoutInstance = unread;
  noteKnownVersionsFile(report, knownFile, written);
  judgeWatermark(report, { watermarkMs, nowMs, lagHours }, values.to === undefined ? asked : null);
  const target = { ...ingestTargetOf(lakeSpec, values, instances, instance), ...checkOptionsOf(values) };
  // Names the lake as the report's first line does: a folder by its absolute path.
  const check = verifyCheckOf(report, target.lake, values, nowMs);
  io.stdout.write(
    values.json
      ? jsonOutput({ check, ...report, ...runbooksField(report) })
      : await reportText(report, store, io, { lakeSpec, target, check }),
  );
  failUnwritten(knownFile, written);
  return { report, check };
}

/** The head the lake's last run record says its run left the chain at, when it says one. */
function recordedHeadOf(lastRun: LastRun | null | undefined): Pick<VerifyIntegrityOptions, 'recordedHead'> {
  if (lastRun?.digest_head === undefined) return {};
  return { recordedHead: { sequence: lastRun.digest_head, runId: lastRun.run_id, outcome: lastRun.outcome } };
}

/**
 * What the watermark says of the check: one in the future fails it, judged as the ingest and status
 * judge it (the scheduled ingest refuses to run past it); one late is said, without failing, when
 * the check runs on to the lake's end (`toLakeEnd` not null: no `--to`, the range asked for if any),
 * as one given its end checks the hours it names.
 */
function judgeWatermark(
  report: VerifyReport,
  { watermarkMs, nowMs, lagHours }: { watermarkMs: number | null; nowMs: number; lagHours: number },
  toLakeEnd: AskedRange | undefined | null,
): void {
  if (watermarkMs !== null && watermarkMs > nowMs + WATERMARK_AHEAD_TOLERANCE_MS) {
    report.watermarkAhead = true;
    report.ok = false;
  }
  const behind =
    toLakeEnd === null
      ? undefined
      : ingestBehind(watermarkMs, toLakeEnd?.range, nowMs, lagHours, report.toMs);
  if (behind) report.ingestBehind = behind;
}

/** The `--known-versions` file read, when given (only with `--integrity`). */
function knownVersionsOption(values: {
  integrity?: boolean;
  'known-versions'?: string;
  'expect-known-versions'?: string;
}): KnownVersionsFile | undefined {
  const path = values['known-versions'];
  const given = values['expect-known-versions'];
  if (path === undefined) {
    if (given !== undefined)
      throw new UsageError(
        '--expect-known-versions checks the file --known-versions names: use it with --known-versions',
      );
    return undefined;
  }
  if (!values.integrity)
    throw new UsageError(
      '--known-versions takes objects by the versions the integrity check read: use it with --integrity',
    );
  const expected = given === undefined ? undefined : parseExpectedSha256(given);
  const file = readKnownVersions(path);
  assertKnownVersionsWritable(path);
  // Before anything is read: a file not the one noted takes no object.
  refuseUnexpectedFile(file, expected);
  return file;
}

/** `--reread-turns`: a whole number from 0 to 1000, only with `--known-versions`. */
function rereadTurnsOption(values: { 'known-versions'?: string; 'reread-turns'?: string }): number {
  const given = values['reread-turns'];
  if (given === undefined) return DEFAULT_REREAD_TURNS;
  if (values['known-versions'] === undefined)
    throw new UsageError(
      '--reread-turns shares out the objects --known-versions spares: use it with --known-versions',
    );
  return optionValue('--reread-turns', given, (text) => {
    const turns = /^\d{1,4}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
    if (!(turns <= 1000)) throw new Error('give a whole number from 0 (read none again) to 1000');
    return turns;
  });
}

/** The share read again this time: the file's count of checks, in turn (none for 0 turns). */
function rereadShareOf(
  file: KnownVersionsFile | undefined,
  turns: number,
): Pick<VerifyIntegrityOptions, 'rereadShare'> {
  if (file === undefined || turns === 0) return {};
  return { rereadShare: { of: turns, turn: file.checks % turns } };
}

/**
 * The versions to take, and the writing of those seen once the check is done. A write that fails
 * is kept in `written.error`, not thrown: the report of a check that read the lake is printed first.
 */
function knownVersionsOf(
  file: KnownVersionsFile | undefined,
  of: { lake: string; instance: string; nowMs: number },
  written: KnownVersionsWrite,
): Pick<VerifyIntegrityOptions, 'knownVersions'> & { onVersionsSeen?: (seen: KnownVersion[]) => void } {
  if (file === undefined) return {};
  return {
    knownVersions: file.versions,
    onVersionsSeen: (seen) => {
      try {
        written.file = writeKnownVersions(file.path, { ...of, checks: file.checks + 1 }, seen);
      } catch (error) {
        written.error = errorMessage(error);
      }
    },
  };
}

/** What came of writing the known-versions file: what was written, or why nothing was. */
interface KnownVersionsWrite {
  file?: NonNullable<KnownVersionsFileNote['written']>;
  error?: string;
}

/** Names the file read and written in the report (text and JSON), the sha256 of each with it. */
function noteKnownVersionsFile(
  report: VerifyReport,
  file: KnownVersionsFile | undefined,
  written: KnownVersionsWrite,
): void {
  const taken = report.integrity?.versionsTaken;
  if (file === undefined || taken === undefined) return;
  taken.file = {
    path: file.path,
    ...(file.read ? { read: file.read } : {}),
    ...(written.file ? { written: written.file } : {}),
    ...(written.error === undefined ? {} : { writeError: written.error }),
  };
}

/** After the report: a known-versions file that could not be written fails the command (exit 1). */
function failUnwritten(file: KnownVersionsFile | undefined, written: KnownVersionsWrite): void {
  if (file === undefined || written.error === undefined) return;
  throw new Error(
    `--known-versions ${file.path} was not written (${written.error}): the report above stands, but the next check that gives this file takes no version from this one (it reads what the file it finds does not hold). Fix the path, then verify again`,
  );
}

/** An `--accept` list of another lake's chain, found once the chain is walked: a usage error. */
function refusedAcceptList(error: unknown): never {
  if (error instanceof AcceptedOfAnotherChainError) throw new UsageError(error.message);
  throw error;
}

/** The report for the terminal, fitted to its width. */
async function reportText(
  report: VerifyReport,
  store: ObjectStore,
  io: CommandIo,
  { lakeSpec, target, check }: { lakeSpec: LakeSpec; target: IngestTarget; check: VerifyCheck },
): Promise<string> {
  // Whether the demo's gaps are the demo's to fill: by its marker alone, which is what ingest
  // refuses (a demo killed mid-ingest recorded no run, review R-LOOKA F3). A copy of the demo's
  // lake without it records the demo's last run, yet ingest takes it (review ONCALL).
  const byDemo = isDemoLakeTarget(lakeSpec);
  // A lake without an hour that the demo made: building now, or stopped early; said as status says it.
  const emptyNote = report.fromMs === null ? await demoEmptyLakeNote(lakeSpec) : undefined;
  // The header under the first line, which names the lake and the hours as before; none for a lake
  // of no covered hour, which checks nothing and gives no verdict (the JSON has it all the same).
  const [first, ...rest] = describeReport(report, store.location, byDemo, emptyNote, target).split('\n');
  const header = report.fromMs === null ? [] : checkHeaderLines(check);
  return fitProse(
    [first, ...header, ...rest.map(notAnchoredVerdict(check))].join('\n'),
    io.stdout,
    isCommandLine,
  );
}

/** The verdict line of a pass `--require-anchor` fails: `NOT ANCHORED (…)`, with what the `OK (…)` said. */
const notAnchoredVerdict =
  (check: VerifyCheck) =>
  (line: string): string =>
    check.result === 'NOT ANCHORED' && line.startsWith('  OK')
      ? `  NOT ANCHORED (${(check.caveats ?? []).join('; ')})`
      : line;

/** What the chain check is given: the digests' versions, the options, the hours asked for. */
function chainOptions(
  store: ObjectStore,
  given: ReturnType<typeof integrityOptions>,
  asked: AskedRange | undefined,
): VerifyIntegrityOptions {
  const { publicKey, accepted, acceptedFrom, ...notedHeads } = given;
  const versions = versionListerOf(store);
  return {
    ...(versions === undefined ? {} : { versions }),
    ...(publicKey === undefined ? {} : { publicKey }),
    ...(accepted === undefined ? {} : { accepted }),
    ...(acceptedFrom === undefined ? {} : { acceptedFrom }),
    // The hours asked for, not as clipped: an object the chain lists in them must be there.
    ...(asked === undefined ? {} : { hours: asked.range }),
    ...notedHeads,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
/** The lake verified (a folder as an absolute path), and the instance when named or not the lake's only one. */
function ingestTargetOf(
  lakeSpec: LakeSpec,
  values: { lake: string; instance?: string | undefined },
  instances: readonly string[],
  instance: string,
): IngestTarget {
  const named = values.instance !== undefined || instances.length > 1;
  return { lake: lakeNamed(lakeSpec, values.lake), ...(named ? { instance } : {}) };
}

const findingsFileName = (n: number) => (n === 1 ? 'findings.json' : `findings-${n}.json`);

/**
 * The options of this check that the accept round it prints must repeat: the noted heads, the key,
 * the files already accepted and the hours. Files as absolute paths, as the lake is.
 */
function checkOptionsOf(values: {
  from?: string;
  to?: string;
  'settle-minutes'?: string;
  'max-days'?: string;
  'public-key'?: string;
  accept?: string[];
  'expect-head'?: string[];
}): { checkOptions?: string; findingsFile?: string } {
  const words = [
    ...(values['expect-head'] ?? []).map((head) => ['--expect-head', head]),
    ...(values['public-key'] === undefined ? [] : [['--public-key', resolve(values['public-key'])]]),
    ...(values.accept ?? []).map((file) => ['--accept', resolve(file)]),
    // The operator's bound too: without it the round would find the hours it excused missing.
    ...(['from', 'to', 'settle-minutes', 'max-days'] as const).flatMap((name) => {
      const value = values[name];
      return value === undefined ? [] : [[`--${name}`, value]];
    }),
  ];
  if (words.length === 0) return {};
  // By name: the round may be pasted in the folder of any file accepted.
  const accepted = new Set((values.accept ?? []).map((file) => basename(file)));
  let n = 1;
  while (accepted.has(findingsFileName(n))) n++;
  return {
    checkOptions: words.map(([flag, value]) => ` ${flag} ${shellWord(value as string)}`).join(''),
    ...(n === 1 ? {} : { findingsFile: findingsFileName(n) }),
  };
}

/**
 * The hours of `--from`/`--to` and `--settle-minutes`; undefined for the whole lake. A range that
 * starts after now is refused here, before the lake is opened: no watermark makes its hours closed.
 */
function rangeOption(
  values: { from?: string; to?: string; 'settle-minutes'?: string },
  nowMs: number,
): AskedRange | undefined {
  const range = fromOnward(values.from, values.to, nowMs) ?? parseHourRange(values.from, values.to);
  const settleMinutes = settingOption('--settle-minutes', values['settle-minutes'], 'settleMinutes');
  if (range) {
    const settleGiven = values['settle-minutes'] !== undefined;
    closedOrRefused(verifyRangeAt(range, nowMs, settleMinutes), range);
    return { range, settleMinutes, settleGiven };
  }
  if (values['settle-minutes'] !== undefined) {
    throw new UsageError('--settle-minutes judges the hours of --from/--to: use it with them');
  }
  return undefined;
}

/**
 * `--from` alone: from that hour to the end of the current one, clipped as any range is to the
 * hours closed, then, once the lake is read, to where a verify without a range ends
 * ({@link closedRangeOf}). The documented monthly routine check gives only its start (review
 * F-EVID7 HIGH 3).
 * A `--from` after now ends an hour after it, so that it is refused as a range after now is.
 */
function fromOnward(from: string | undefined, to: string | undefined, nowMs: number): HourRange | undefined {
  if (from === undefined || to !== undefined) return undefined;
  const fromMs = parseInstant('--from', from);
  const toMs = Math.max(floorHour(nowMs), fromMs) + HOUR_MS;
  return parseHourRange(from, iso(toMs));
}

/**
 * The hours of `asked` verify checks at `nowMs`, the lake's watermark read, judged as the core
 * judges them ({@link verifyRangeOfLake}: by the settle time the lake's last ingest run recorded
 * when `--settle-minutes` was not given); with `toLakeEnd` (`--from` alone), not past where a verify
 * without a range ends.
 */
async function closedRangeOf(
  store: ObjectStore,
  instance: string,
  asked: AskedRange,
  nowMs: number,
  toLakeEnd: boolean,
): Promise<{
  range: HourRange;
  clipped?: VerifyClip;
  watermarkMs: number | null;
  heldFromMs: number | null;
  repull?: RepullFields;
}> {
  const acceptsSettle = (minutes: number) => acceptsSetting('settleMinutes', minutes);
  const { at, watermarkMs, heldFromMs, repull } = await verifyRangeOfLake(
    store,
    instance,
    asked,
    nowMs,
    acceptsSettle,
  );
  const closed = closedOrRefused(at, asked.range);
  // Not past where a verify without a range ends: an hour settled since the last scheduled run is
  // one the next run pulls, no gap (review F-SECOND3 H1).
  if (toLakeEnd) {
    const endMs = await wholeLakeEnd(store, instance, watermarkMs, nowMs);
    const { fromMs, toMs } = closed.range;
    closed.range = { fromMs, toMs: Math.max(fromMs, Math.min(toMs, endMs)) };
  }
  return { ...closed, watermarkMs, heldFromMs, ...(repull ? { repull } : {}) };
}

/**
 * The hours of `--from`/`--to` verify checks (see {@link verifyRangeAt}); a range with no hour
 * closed yet is a usage error worded as ingest words its `--to`.
 */
function closedOrRefused(at: VerifyRangeAt, range: HourRange): { range: HourRange; clipped?: VerifyClip } {
  if (at.kind === 'closed') return at;
  // Worded as ingest words a --to not closed yet, said of the --from.
  const closed = { endMs: at.closedEndMs, settleMinutes: at.settleMinutes };
  const { fromMs } = range;
  const notClosed = new InvalidRangeError('not-closed', fromMs, fromMs, closed);
  throw new UsageError(
    `${notClosed.describe({ from: '--from', to: '--from' })}, so no hour of the range can be in the lake: give a --from before ${iso(at.closedEndMs)} (a --to past it is clipped)`,
  );
}
