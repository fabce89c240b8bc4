import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { quarantineInstanceFolders } from '../../adapters/lake-instances.ts';
import { DEFAULT_LAKE, type LakeSpec } from '../../adapters/lake-location.ts';
import { errorMessage } from '../../core/error-message.ts';
import { acceptsSetting, INGEST_SETTINGS } from '../../core/ingest/ingest-settings.ts';
import { InvalidRangeError } from '../../core/ingest/range-error.ts';
import {
  type AcceptedFinding,
  AcceptedFindingsError,
  parseAcceptedFindings,
} from '../../core/lake/accepted-findings.ts';
import { deleteGuardNote } from '../../core/lake/delete-guard-note.ts';
import { WATERMARK_AHEAD_TOLERANCE_MS } from '../../core/lake/future-hours.ts';
import { ranByDemo, readLastRun } from '../../core/lake/last-run.ts';
import { DAY_MS, HOUR_MS, lakeTimestamp } from '../../core/lake/layout.ts';
import { hoursBefore, RUN_SILENCE_MS } from '../../core/lake/runs-in-progress.ts';
import { digestPublicKey, type IntegrityReport } from '../../core/lake/verify-integrity.ts';
import {
  readCheckpointMarks,
  type VerifyReport,
  verifyLake,
  wholeLakeRange,
} from '../../core/lake/verify-lake.ts';
import { type NotedHead, NotedHeadError, parseNotedHead } from '../../core/lake/verify-noted-head.ts';
import { VerifyReads } from '../../core/lake/verify-progress.ts';
import {
  type AskedRange,
  type HourRange,
  type VerifyClip,
  type VerifyRangeAt,
  verifyRangeAt,
  verifyRangeOfLake,
} from '../../core/lake/verify-range.ts';
import { verifyWithIntegrity } from '../../core/lake/verify-with-integrity.ts';
import { capped } from '../../core/mail/render-limits.ts';
import { type ObjectStore, versionListerOf } from '../../core/ports.ts';
import { visibleLine } from '../../core/visible-line.ts';
import { type CommandIo, clockOf } from '../command-io.ts';
import { DEMO_STOPPED_FIRST, demoEmptyLakeNote, isDemoLakeTarget } from '../demo-lake.ts';
import { fitProse } from '../fit-prose.ts';
import { jsonOutput } from '../json-output.ts';
import { openLakeTarget, parseLakeOption } from '../lake-target.ts';
import { type OptionSpec, parseHourRange, parseOptions } from '../options.ts';
import { formatEta } from '../progress.ts';
import { settingOption } from '../setting-option.ts';
import { runProcessesOf, stoppedRunNote } from '../stopped-run.ts';
import { UsageError } from '../usage-error.ts';

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
  --from <time> --to <time>  hours to check (default: from where the lake
                             began, the earliest of its first covered hour
                             and the starts its genesis digest and
                             checkpoint record, to the last covered hour or
                             the watermark); a --to past the newest hour
                             that can be pulled (or the lake's watermark,
                             when later) is clipped to its end (a range with
                             none of its hours closed yet checks nothing),
                             and a --from after now refused: no run can have
                             pulled those
  --settle-minutes <n>    how long an hour must be closed before it is pulled,
                          as the ingest's setting (default: the one the lake's
                          last ingest run recorded, else ${INGEST_SETTINGS.settleMinutes.default})
  --integrity             also walk the digest chain: every object listed with
                          the bytes a digest recorded, no listed object gone,
                          every link intact
  --public-key <file>     with --integrity: the digest signing key's public key
                          (PEM, base64 or DER file; see the stack output
                          DigestPublicKeyCommand); every digest must then carry
                          a valid signature (without it, signatures are counted,
                          not checked)
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
} as const;

/** The command's options, for the entry's check of the ones npm took (npm-taken-options.ts). */
export const verifyOptions: OptionSpec = spec;

/**
 * The digest public key as base64 DER, from `--public-key`: a file holding it as PEM, as base64
 * (`aws kms get-public-key --query PublicKey --output text`) or as raw DER, or the base64 inline.
 */
export function readPublicKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const bytes = existsSync(value) ? readKeyFile(value) : Buffer.from(value, 'utf8');
  const text = bytes.toString('latin1');
  const base64 =
    /^[\sA-Za-z0-9+/=-]*$/.test(text) || text.includes('-----BEGIN')
      ? text.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '')
      : bytes.toString('base64');
  try {
    digestPublicKey(base64);
  } catch (error) {
    // A path that does not exist was read as an inline key; say the file is missing first.
    const why = existsSync(value)
      ? errorMessage(error)
      : `there is no such file, and it is not a key given inline either (${errorMessage(error)})`;
    throw new UsageError(`--public-key ${value}: ${why}. ${KEY_ADVICE}`);
  }
  return base64;
}

/** The bytes of a `--public-key` file; one that cannot be read (a directory, no permission) is a usage error. */
function readKeyFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new UsageError(`--public-key ${file}: it cannot be read (${errorMessage(error)}). ${KEY_ADVICE}`);
  }
}

const KEY_ADVICE =
  'Give the file written by the command of the stack output DigestPublicKeyCommand (or a PEM of that key).';

/** The findings an `--accept` file lists; a file that is missing or not such a list is a usage error. */
function readAcceptedFindings(file: string): AcceptedFinding[] {
  let json: unknown;
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
    json = JSON.parse(text);
  } catch (error) {
    // The parser quotes the text it stopped at, newlines included; the command prints one line.
    const reason = errorMessage(error).replaceAll('\r', '\\r').replaceAll('\n', '\\n');
    const banner = /^\s*> /.test(text)
      ? ' It starts with the lines `npm run` prints before the output: write the report with `npm run -s cli -- verify …` (or the bin), or delete the lines before its first "{".'
      : '';
    throw new UsageError(
      `--accept ${file}: ${reason}.${banner} Give a JSON file: the report of verify --integrity --json whose findings you investigated, or a list of those findings.`,
    );
  }
  try {
    return parseAcceptedFindings(json, `--accept ${file}`);
  } catch (error) {
    if (error instanceof AcceptedFindingsError) {
      throw new UsageError(
        error.staleDigestFinding
          ? `${error.message} Run verify --integrity --json again, check that the finding is still the digest you investigated, and accept that report instead.`
          : error.message,
      );
    }
    throw error;
  }
}

/** A head noted earlier, from `--expect-head`; one that is not one is a usage error. */
function readNotedHead(value: string): NotedHead {
  try {
    return parseNotedHead(value);
  } catch (error) {
    if (error instanceof NotedHeadError) throw new UsageError(`--expect-head: ${error.message}`);
    throw error;
  }
}

/** `--public-key`, `--accept` and `--expect-head`, which only the integrity check reads, read. */
function integrityOptions(values: {
  integrity?: boolean;
  'public-key'?: string;
  accept?: string[];
  'expect-head'?: string[];
}) {
  if (values['public-key'] !== undefined && !values.integrity) {
    throw new UsageError('--public-key checks digest signatures: use it with --integrity');
  }
  if (values.accept !== undefined && !values.integrity) {
    throw new UsageError('--accept lists known findings of the integrity check: use it with --integrity');
  }
  if (values['expect-head'] !== undefined && !values.integrity) {
    throw new UsageError('--expect-head checks a noted head of the digest chain: use it with --integrity');
  }
  const notedHeads = values['expect-head']?.map(readNotedHead);
  return {
    publicKey: readPublicKey(values['public-key']),
    accepted: values.accept?.flatMap(readAcceptedFindings),
    ...(notedHeads === undefined ? {} : { notedHeads }),
  };
}

export async function verifyCommand(argv: readonly string[], io: CommandIo): Promise<VerifyReport> {
  const { values } = parseOptions(argv, spec);
  const nowMs = clockOf(io).now();
  // Checked before the lake is opened, as ingest checks its range; clipped once its watermark is read.
  const asked = rangeOption(values, nowMs);
  // Before the lake too: a lake that is not there would hide a usage error behind exit 1.
  const { publicKey, accepted, ...notedHeads } = integrityOptions(values);
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
  // Every option checked first: a checkpoint that cannot be read is the lake's failure (exit 1).
  const closed = asked && (await closedRangeOf(store, instance, asked, nowMs));
  // The checkpoint read to clip the range is the one the report judges it by: not read again.
  const marks = closed ?? (await readCheckpointMarks(store, instance));
  const { watermarkMs, heldFromMs } = marks;
  // Without --from/--to too, only hours that have ended: a watermark in the future vouches for none
  // after. Its start from the same read of the checkpoint.
  const range = closed ? closed.range : await wholeLakeRange(store, instance, marks, nowMs);
  // Now too: hours past the watermark that a run in progress pulls are not a failed run's gaps.
  const watermark = {
    watermarkMs,
    heldFromMs,
    nowMs,
    strayFolders: [...strayInstanceFolders, ...quarantined.strayFolders].sort(),
    quarantineOnlyInstances: quarantined.withoutTables,
    interruptedFirstIngests: quarantined.firstIngests,
    // A run whose process is gone (a lake on disk only) is not one in progress: its hours are gaps.
    ...runProcessesOf(lakeSpec),
  };
  const versions = versionListerOf(store);
  const progress = verifyProgressLine(`verify ${instance}`, io.stderr);
  const reads = progress.reads === undefined ? {} : { reads: progress.reads };
  // With --integrity, one pass: the objects the lake's checks read are not read again.
  const report = await (values.integrity
    ? verifyWithIntegrity(store, instance, range, {
        ...(versions === undefined ? {} : { versions }),
        ...(publicKey === undefined ? {} : { publicKey }),
        ...(accepted === undefined ? {} : { accepted }),
        ...notedHeads,
        ...reads,
        ...watermark,
      })
    : verifyLake(store, instance, range, { ...reads, ...watermark })
  ).finally(() => progress.done());
  if (closed?.clipped) report.clipped = closed.clipped;
  // Judged as the ingest and status judge it: the scheduled ingest refuses to run past it.
  if (watermarkMs !== null && watermarkMs > nowMs + WATERMARK_AHEAD_TOLERANCE_MS) {
    report.watermarkAhead = true;
    report.ok = false;
  }
  const target = ingestTargetOf(lakeSpec, values, instances, instance);
  io.stdout.write(
    values.json ? jsonOutput(report) : await reportText(report, store, io, { lakeSpec, target }),
  );
  return report;
}

/** The report for the terminal, fitted to its width. */
async function reportText(
  report: VerifyReport,
  store: ObjectStore,
  io: CommandIo,
  { lakeSpec, target }: { lakeSpec: LakeSpec; target: IngestTarget },
): Promise<string> {
  // Only gaps (and hours after the lake's end) need the last run read: whether the demo built the
  // lake decides who fills them.
  const needed = report.gaps.length > 0 || report.heldAfterLake !== undefined;
  // The demo's marker too: a demo killed mid-ingest recorded no run (review R-LOOKA F3).
  const byDemo =
    needed && (isDemoLakeTarget(lakeSpec) || ranByDemo(await readLastRun(store, report.instance)));
  // A lake without an hour that the demo made: building now, or stopped early; said as status says it.
  const emptyNote = report.fromMs === null ? await demoEmptyLakeNote(lakeSpec) : undefined;
  return fitProse(
    describeReport(report, store.location, byDemo, emptyNote, target),
    io.stdout,
    isCommandLine,
  );
}

const iso = (ms: number) => new Date(ms).toISOString();
/** An hour as `--from`/`--to` take it, as ingest writes it. */
const hourFlag = (ms: number): string => iso(ms).replace('.000Z', 'Z');

/**
 * Where the commands the report prints pull into: the lake as verify was given it, and the
 * instance when the lake holds more than one or it was named. A bare command pulled into ./lake of
 * wherever it was pasted, from the default API, and was refused on a lake of two instances.
 */
export interface IngestTarget {
  lake: string;
  instance?: string;
}

/** The lake verified (a folder as an absolute path), and the instance when named or not the lake's only one. */
function ingestTargetOf(
  lakeSpec: LakeSpec,
  values: { lake: string; instance?: string | undefined },
  instances: readonly string[],
  instance: string,
): IngestTarget {
  const named = values.instance !== undefined || instances.length > 1;
  // Absolute: a relative lake (./lake by default) pasted in another folder made a new lake there.
  const lake = lakeSpec.kind === 'fs' ? resolve(lakeSpec.dir) : values.lake;
  return { lake, ...(named ? { instance } : {}) };
}

/** `value` as one word of a POSIX shell: as it is when nothing in it is special, else in single quotes. */
const shellWord = (value: string): string =>
  /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;

/**
 * The ingest of `range` as a line to paste: every command the report prints is built here, so each
 * names the lake (and instance) verified. Without a target (reports built by other callers), bare.
 */
/**
 * A command of the report on a line of its own, indented under its sentence: printed whole at any
 * terminal width ({@link isCommandLine}), so that a paste runs it as printed. A command wrapped
 * inside a quoted path ran with the path cut in two, and made a lake there.
 */
const commandLine = (command: string): string => `${COMMAND_INDENT}${command}`;
const COMMAND_INDENT = '    ';
const isCommandLine = (line: string): boolean => line.startsWith(`${COMMAND_INDENT}ingest `);

const ingestCommand = (range: { fromMs: number; toMs: number }, target: IngestTarget | undefined): string => {
  const lake = target ? ` --lake ${shellWord(target.lake)}` : '';
  const instance = target?.instance === undefined ? '' : ` --instance ${shellWord(target.instance)}`;
  return `ingest${lake}${instance} --from ${hourFlag(range.fromMs)} --to ${hourFlag(range.toMs)}`;
};

/**
 * The hours of `--from`/`--to` and `--settle-minutes`; undefined for the whole lake. A range that
 * starts after now is refused here, before the lake is opened: no watermark makes its hours closed.
 */
function rangeOption(
  values: { from?: string; to?: string; 'settle-minutes'?: string },
  nowMs: number,
): AskedRange | undefined {
  const range = parseHourRange(values.from, values.to);
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
 * The hours of `asked` verify checks at `nowMs`, the lake's watermark read, judged as the core
 * judges them ({@link verifyRangeOfLake}: by the settle time the lake's last ingest run recorded
 * when `--settle-minutes` was not given).
 */
async function closedRangeOf(
  store: ObjectStore,
  instance: string,
  asked: AskedRange,
  nowMs: number,
): Promise<{
  range: HourRange;
  clipped?: VerifyClip;
  watermarkMs: number | null;
  heldFromMs: number | null;
}> {
  const acceptsSettle = (minutes: number) => acceptsSetting('settleMinutes', minutes);
  const { at, watermarkMs, heldFromMs } = await verifyRangeOfLake(
    store,
    instance,
    asked,
    nowMs,
    acceptsSettle,
  );
  return { ...closedOrRefused(at, asked.range), watermarkMs, heldFromMs };
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

/**
 * The line a verify shows on a terminal (stderr) while it reads: objects read, of about how many,
 * and the time so far, redrawn at most five times a second (a year's lake on S3 takes a minute or
 * more, and printed nothing until its report). Off when stderr is not a TTY, so pipes, logs and
 * `--json` output stay clean; cleared before the report.
 */
export function verifyProgressLine(
  label: string,
  stream: NodeJS.WriteStream,
  // Monotonic: after a wall clock set back an hour, the line was not redrawn for that hour.
  now: () => number = () => performance.now(),
): { reads?: VerifyReads; done(): void } {
  if (!stream.isTTY) return { done() {} };
  const started = now();
  let last = Number.NEGATIVE_INFINITY;
  let shown = false;
  // Reads still in flight when a verify fails count on after done(): nothing is drawn then.
  let finished = false;
  const reads = new VerifyReads(({ read, expected }) => {
    const at = now();
    if (finished || at - last < 200) return;
    last = at;
    shown = true;
    const count = (n: number) => n.toLocaleString('en-US');
    const counts = `${label}: ${count(read)} of ~${count(expected)} objects read`;
    const line = `${counts}, ${formatEta(at - started)}`;
    // Within the terminal's width (a wrapped line cannot be redrawn in place with \r): the time
    // goes first, then the line is cut.
    const width = stream.columns ? stream.columns - 1 : line.length;
    stream.write(`\r${(line.length <= width ? line : counts).slice(0, width)}\x1b[K`);
  });
  return {
    reads,
    done() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
      finished = true;
    },
  };
}

const SHOWN_REASONS = 5;

/**
 * The first `cap` items and how many more there are; all of them when only one more would be left
 * out: the line saying so would take the place that item needs.
 */
function shownAndMore<T>(items: readonly T[], cap: number): { shown: readonly T[]; more: number } {
  return items.length === cap + 1 ? { shown: items, more: 0 } : capped(items, cap);
}

/** The most frequent quarantine reasons, and how many more there are (`--json` lists them all). */
function topReasons(reasons: VerifyReport['quarantineReasons']): string[] {
  const { shown, more } = shownAndMore(reasons, SHOWN_REASONS);
  // A reason quotes Domo's text (a time it could not read): shown as the report shows Domo's strings.
  const lines = shown.map((q) => `    ${q.count} x ${visibleLine(q.reason)}`);
  if (more > 0) {
    const entries = reasons.slice(shown.length).reduce((sum, q) => sum + q.count, 0);
    lines.push(`    and ${more} more reasons (${entries} entries): --json lists them all`);
  }
  return lines;
}

const hour = (ms: number | null) => (ms === null ? '-' : `${lakeTimestamp(ms).slice(0, 13)}:00Z`);

/** What duplicates in two hours mean, and the way out. */
const acrossHours = (n: number): string =>
  !n
    ? ''
    : ` (${n} also stored in another hour: the same entry in two hours, as a time read in the wrong zone and re-pulled in the right one leaves; see docs/operations.md "Duplicate ids in two hours")`;

/** Where a range reaching past the closed hours stopped, and by what. */
function clippedLine(clipped: VerifyClip, toMs: number | null): string {
  const recorded = "the settle time the lake's last ingest run recorded";
  const settle = `windows must end ${clipped.settleMinutes} min before now${clipped.settleFromLastRun ? `, ${recorded}` : ''}`;
  if (clipped.noneClosedBeforeMs !== undefined) {
    return `  no hour from ${hour(toMs)} on has closed yet: nothing to check; the closed hours end at ${hour(clipped.noneClosedBeforeMs)} (${settle})`;
  }
  const setting = clipped.settleFromLastRun ? recorded : '--settle-minutes';
  const why = clipped.atWatermark
    ? `the lake's watermark: hours before it are complete by its checkpoint, later ones end less than ${clipped.settleMinutes} min before now (${setting})`
    : clipped.watermarkAhead
      ? `the start of the current hour: the lake's watermark lies past now (its checkpoint was edited ahead; see docs/operations.md, "Watermark in the future")`
      : `where the newest hour that can be pulled ends (${settle})`;
  return `  --to ${hour(clipped.requestedToMs)} is not closed yet: checked up to ${hour(toMs)}, ${why}`;
}

/** The objects read that are not what they should be, and how to repair them. */
function unreadableLines(r: VerifyReport): string[] {
  if (r.unreadableCount === 0) return [];
  const lines = r.unreadable.map((u) => `  unreadable ${u.key}: ${u.detail}`);
  const more = r.unreadableCount - r.unreadable.length;
  if (more > 0) lines.push(`  ... and ${more} more unreadable object(s)`);
  lines.push(
    `  ${r.unreadableCount} object(s) could not be read as the lake writes them, and were not checked past the damage (an ingest cannot merge into them either): restore each one's previous version (S3: Show versions), or delete it (an hour's events object with the hour's manifest) and re-pull its hour with ingest --from/--to`,
  );
  return lines;
}

/** The files in the tables' folders that are none of the lake's, and what to do with them. */
function foreignLines(r: VerifyReport): string[] {
  if (r.foreignKeyCount === 0) return [];
  const lines = r.foreignKeys.map((key) => `  not an object of this lake: ${key}`);
  const more = r.foreignKeyCount - r.foreignKeys.length;
  if (more > 0) lines.push(`  ... and ${more} more key(s) that are not objects of this lake`);
  lines.push(
    `  ${r.foreignKeyCount} file(s) in the lake's table folders are not the hour objects the lake writes (<date>T<hour> of their dt= folder), so verify does not check them, while queries may read them (Athena every file there whose name starts with neither "_" nor ".", DuckDB those ending .ndjson.gz or .json): move them out of the lake (or delete them)`,
  );
  lines.push(...quarantineOnlyInstanceLines(r));
  return lines;
}

/**
 * The quarantine table's folders of instances no ingest ran for (no events, manifest, checkpoint
 * or digest folder): put there, so they go, as the line before says.
 */
function quarantineOnlyInstanceLines(r: VerifyReport): string[] {
  // A report built without the field (older callers) has none.
  return (r.quarantineOnlyInstances ?? []).map((folder) => {
    const name = instanceNamed(folder);
    return `  ${folder} is a folder of the quarantine table (with or without files) of an instance "${name}" that has no events, manifest, checkpoint or digest (no activity_log/, coverage/, state/ or digest/ folder): no check reads it, while a local query of the quarantine table over every instance does. No ingest of "${name}" ran (an ingest writes its digest first), so it was put there by hand: look at it (its records' run_id say which run stored them), then move it out of the lake`;
  });
}

const instanceNamed = (folder: string): string => /instance=([^/]*)\//.exec(folder)?.[1] ?? folder;

/**
 * The quarantine table's folders of instances whose first ingest ran (a digest folder) but wrote no
 * manifest yet: not a failure; what goes on from there.
 */
function interruptedFirstIngestLines(r: VerifyReport): string[] {
  // A report built without the field (older callers) has none.
  return (r.interruptedFirstIngests ?? []).map((folder) => {
    const name = instanceNamed(folder);
    return `  ${folder} is the quarantine table's folder of an instance "${name}" whose first ingest ran (digest/instance=${name}/ is there) but wrote no manifest yet: interrupted before its first manifest, every entry of its first hours set aside, or still running. Not a failure of this instance: the next ingest of "${name}" (its scheduled run, or ingest --instance ${name}) goes on from there and writes its events and manifests. If no ingest of "${name}" was meant, move digest/instance=${name}/ and this folder out of the lake`;
  });
}

/**
 * The objects of hours that have not begun, and what to do with them: no run writes one, so each is
 * looked at and deleted (an hour's events object is then gone from the queries, its copy too).
 */
function futureLines(r: VerifyReport): string[] {
  // A report built without the fields (older callers) has none.
  if (!r.futureObjectCount) return [];
  const lines = r.futureObjects.map(
    (f) => `  object of an hour not begun (${hour(f.windowStartMs)}): ${f.key}`,
  );
  const more = r.futureObjectCount - r.futureObjects.length;
  if (more > 0) lines.push(`  ... and ${more} more object(s) of hours not begun`);
  lines.push(
    `  ${r.futureObjectCount} object(s) are keyed to hours from ${hour(r.futureFromMs ?? null)} on, which have not begun by this machine's clock: no ingest writes an hour before it has closed, so each was put there by hand, copied from another hour or restored from another lake (or written by an ingest on a machine whose clock was ahead). Queries read them all the same (DuckDB now, Athena once their date comes), so a copy counts its events twice, and the ingest that pulls the hour keeps its records as Domo's. Look at each first: verify --integrity says whose bytes a copy holds, and the bucket's versions and access logs who wrote it; keep a copy outside the lake if it is evidence. Then delete it. If this machine's clock is behind, set it right and verify again instead: see docs/operations.md, "Objects of hours not begun"`,
  );
  return lines;
}

/** Where the duplicates are: each listed id, its hour and the other hour holding it. */
function duplicateLines(r: VerifyReport): string[] {
  const lines = r.duplicates.map(
    (d) =>
      `  duplicate id ${d.eventId} at ${hour(d.windowStartMs)}${d.alsoAtMs === undefined ? ' (twice in that hour)' : `, also at ${hour(d.alsoAtMs)}`}`,
  );
  const more = r.duplicateIds - r.duplicates.length;
  if (more > 0) lines.push(`  ... and ${more} more duplicate id(s)`);
  return lines;
}

/** What the hours not covered are, after the count of those covered. */
function notCovered(r: VerifyReport): string {
  const parts = [
    ...(r.gaps.length ? [`${r.gaps.length} gap(s)`] : []),
    ...(r.beingWritten ? [`${r.beingWritten.hourCount} hour(s) being written`] : []),
  ];
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** The hours a run in progress pulls, which are not gaps (yet), and when to look again. */
function beingWrittenLines(r: VerifyReport): string[] {
  const w = r.beingWritten;
  if (!w) return [];
  const lines = w.hours.slice(0, 10).map((h) => `  being written: ${hour(h.fromMs)} .. ${hour(h.toMs)}`);
  const runs = w.runs.map(
    (run) => `run ${visibleLine(run.runId)} (last digest ${visibleLine(run.lastWriteAt)}, not sealed)`,
  );
  const events = w.withEventsOnly ? `; ${w.withEventsOnly} of them hold events, their manifest not yet` : '';
  lines.push(
    `  ${w.hourCount} hour(s) ${whereBeingWritten(r.watermarkMs, w)} are not covered yet, pulled by an ingest in progress: ${runs.join(', ')}${events}. An ingest reads several spans of hours at once, later ones may finish first: verify again once it has ended (a run that writes no digest for ${RUN_SILENCE_MS / 60_000} minutes is taken as dead, and its hours as gaps)`,
  );
  return lines;
}

/**
 * Where the hours being written lie against the watermark. Before it, they are a re-pull of older
 * history only when a range run (`--from/--to`) pulls them, which scheduled runs never go back
 * for; a run from the checkpoint pulls hours before it too (its lookback, or hours another run's
 * watermark passed), and those are its own hours, not a re-pull.
 */
function whereBeingWritten(
  watermarkMs: number | null,
  written: NonNullable<VerifyReport['beingWritten']>,
): string {
  if (watermarkMs === null) return '(the lake has no checkpoint yet)';
  const before = hoursBefore(written.hours, watermarkMs);
  if (before === 0) return 'at or after the watermark';
  const rePull = written.runs.some((run) => run.mode === 'range');
  if (before === written.hourCount)
    return `before the watermark${rePull ? ' (a re-pull of older hours)' : ''}`;
  return `(${before} of them before the watermark${rePull ? ': a re-pull of older hours' : ''})`;
}

/** The hours not covered, and who fills them. */
function gapLines(r: VerifyReport, byDemo: boolean): string[] {
  const lines: string[] = [];
  for (const g of r.gaps.slice(0, 10)) lines.push(`  gap: ${hour(g.fromMs)} .. ${hour(g.toMs)}`);
  if (r.uncoveredBelowWatermark > 0) lines.push(belowWatermarkLine(r, byDemo));
  const uncoveredAbove =
    r.gaps.reduce((sum, g) => sum + (g.toMs - g.fromMs) / HOUR_MS, 0) - r.uncoveredBelowWatermark;
  if (r.watermarkMs !== null && uncoveredAbove > 0)
    lines.push(
      `  ${uncoveredAbove} hour(s) at or after the watermark are not covered (a run failed or stopped before them): ${byDemo ? DEMO_GAPS : 'the next ingest without --from/--to pulls every hour from the watermark on and fills them'}`,
    );
  return lines;
}

/**
 * Where a verify without --from/--to began, when a record of the lake, not its first covered hour,
 * set the start; and when that start lies further back than any ingest backfills, that the record
 * looks edited: re-pulling hours Domo no longer keeps restores nothing.
 */
function beganLines(r: VerifyReport): string[] {
  const b = r.began;
  if (!b) return [];
  const record =
    b.from === 'checkpoint'
      ? `the checkpoint's plan start (plan_from_ms, state/instance=${r.instance}/checkpoint.json)`
      : `the genesis digest's start (from_ms, digest/instance=${r.instance}/0000000000.json)`;
  const first =
    b.coveredFromMs === null ? 'no hour is covered' : `the first covered hour is ${hour(b.coveredFromMs)}`;
  const lines = [`  from ${hour(b.fromMs)}: ${record}; ${first}`];
  if (b.looksEdited) {
    const days = Math.floor(((b.coveredFromMs ?? r.toMs ?? b.fromMs) - b.fromMs) / DAY_MS);
    lines.push(
      `  that start is ${days} day(s) before ${b.coveredFromMs === null ? 'the last hour checked' : 'the first covered hour'}, further back than any ingest backfills (${INGEST_SETTINGS.backfillDays.max} days): the record looks edited (or the oldest hours were deleted long ago); Domo keeps about a year, so do not re-pull those hours: compare the record with a copy kept and find who changed it (docs/operations.md, "What verify reports")`,
    );
  }
  return lines;
}

/** What fills the gaps of a lake the demo built: `ingest` refuses it, only another demo run does. */
const DEMO_GAPS = "this is the demo's lake, which ingest refuses: run the demo again to build it whole";

/**
 * What to do about hours below the watermark that are not covered: re-pull them, unless every gap
 * lies from the hour the checkpoint keeps on, which the next ingest pulls again by itself.
 */
function belowWatermarkLine(r: VerifyReport, byDemo: boolean): string {
  if (byDemo)
    return `  ${r.uncoveredBelowWatermark} hour(s) below the watermark are not covered: ${DEMO_GAPS}`;
  const held = r.heldFromMs;
  const below = r.gaps.filter((g) => r.watermarkMs !== null && g.fromMs < r.watermarkMs);
  // A report built without the field (older callers) has none.
  if (typeof held === 'number' && below.every((g) => g.fromMs >= held))
    return `  ${r.uncoveredBelowWatermark} hour(s) below the watermark are not covered: the checkpoint keeps ${hour(held)} (retry_from_ms) for the next ingest without --from/--to, which pulls every hour from there again once a new hour has closed and settled (settle minutes, 15 by default), and fills them`;
  const notFirst = r.began?.looksEdited
    ? ', all but the first, which begins at the start that looks edited (above)'
    : '';
  return `  ${r.uncoveredBelowWatermark} hour(s) below the watermark are not covered: scheduled runs do not go back for them; re-pull the gaps with ingest --from/--to${notFirst}`;
}

/**
 * The report for a terminal. Its lines quote what anyone who can write the lake wrote (file names,
 * stored reasons and details, run ids, digest keys), so each goes out as {@link visibleLine} makes
 * it: no escape sequence in a key can rewrite the screen, no line break start a line of its own.
 * `byDemo`: the demo built the lake ({@link ranByDemo}), so its gaps are the demo's to fill;
 * `emptyNote`: what a lake without any hour says of itself (the demo's: building, or stopped early).
 */
export const describeReport = (
  r: VerifyReport,
  location: string,
  byDemo = false,
  emptyNote = byDemo ? DEMO_STOPPED_FIRST : undefined,
  target?: IngestTarget,
): string => `${reportLines(r, { location, byDemo, emptyNote, target }).map(visibleLine).join('\n')}\n`;

function reportLines(
  r: VerifyReport,
  {
    location,
    byDemo,
    emptyNote,
    target,
  }: { location: string; byDemo: boolean; emptyNote: string | undefined; target: IngestTarget | undefined },
): string[] {
  if (r.fromMs === null) return noHourLines(r, location, emptyNote, target);
  const lines = [
    `verify ${r.instance} at ${location}: ${hour(r.fromMs)} .. ${hour(r.toMs)}`,
    ...(r.clipped ? [clippedLine(r.clipped, r.toMs)] : []),
    ...beganLines(r),
    `  hours covered: ${r.windowsCovered} of ${r.windowsExpected}${notCovered(r)}`,
    `  events: ${r.events}, duplicate ids: ${r.duplicateIds}${acrossHours(r.duplicateIdsAcrossHours)}, misplaced: ${r.misplacedRecords}, late events found: ${r.lateEventsTotal}`,
    ...(r.repeatedHourTwins
      ? [
          `  ids in both readings of a repeated hour (an hour apart, 30 minutes on Lord Howe), from a zone-less time string: ${r.repeatedHourTwins} (identical entries in the two occurrences of the hour that repeats as clocks go back share an id; not a duplicate, see docs/operations.md "Duplicate ids in two hours")`,
        ]
      : []),
    ...(r.copiesInAnotherShape
      ? [
          `  events also stored in another shape: ${r.copiesInAnotherShape} (the same time and columns as another event of their hour, from other bytes: Domo changed how it serves entries and older code stored them twice, or they differ only in fields not read; not a failure, see docs/operations.md "Events stored in two shapes")`,
        ]
      : []),
    `  quarantined: ${r.quarantined}${r.outOfWindow ? ` (outside their window: ${r.outOfWindow})` : ''}`,
    ...topReasons(r.quarantineReasons),
    `  watermark: ${hour(r.watermarkMs)}`,
  ];
  lines.push(...gapLines(r, byDemo));
  lines.push(...beingWrittenLines(r));
  for (const run of r.stoppedRuns ?? []) lines.push(`  ${stoppedRunNote(run, byDemo)}`);
  if (r.interruptedWindows > 0)
    lines.push(
      `  ${r.interruptedWindows} hour(s) hold events but no manifest (a pull was interrupted): a scheduled run repairs those from its lookback on; re-pull older ones with ingest --from/--to`,
    );
  lines.push(
    ...quarantineOnlyLines(r, byDemo, target),
    ...heldBeforeLakeLines(r, target),
    ...heldAfterLakeLines(r, byDemo, target),
  );
  lines.push(...duplicateLines(r), ...unreadableLines(r), ...foreignLines(r));
  lines.push(...interruptedFirstIngestLines(r), ...futureLines(r));
  for (const m of r.manifestMismatches) lines.push(`  mismatch at ${hour(m.windowStartMs)}: ${m.detail}`);
  for (const g of r.grownPastManifest)
    lines.push(
      `  object grew past its manifest at ${hour(g.windowStartMs)}: ${g.detail}: a pull in progress, or one interrupted before its manifest — the next run that pulls the hour rewrites it (a scheduled run from its lookback on; re-pull older ones with ingest --from/--to)`,
    );
  lines.push(...watermarkAheadLines(r));
  if (r.integrity) lines.push(...describeIntegrity(r.integrity));
  // Last, so that "above" takes in every line that says to delete or move out, any added later too.
  lines.push(...deleteGuardLines(r, location));
  lines.push(r.ok ? '  OK' : '  PROBLEMS FOUND');
  return lines;
}

/**
 * The hours in the span holding a quarantine object but neither events nor a manifest: gaps (or
 * hours a run in progress pulls, not counted here) that the gap lines name without saying what they
 * hold, while queries of the quarantine table read it; the ranges to re-pull, not a failure. One
 * re-pull per gap holding them, each a command to paste: their span re-pulled the covered hours
 * between two gaps too (61 hours for 2 that lay 60 apart), and the gap lines name no command. On a
 * lake the demo built, which ingest refuses, the demo is what builds them again.
 */
function quarantineOnlyLines(r: VerifyReport, byDemo: boolean, target: IngestTarget | undefined): string[] {
  const held = r.quarantineOnly;
  // A report built without the field (older callers) has none.
  if (!held) return [];
  const { ranges } = held;
  const look =
    'look at them first (verify --integrity says whether a digest records them), then, once no ingest runs,';
  const repair = byDemo
    ? DEMO_GAPS
    : ranges.length === 1
      ? `${look} re-pull them with:`
      : `${look} re-pull them, one range for each gap that holds them (the span above holds hours that need none: covered, or pulled by a run in progress):`;
  const line = `  ${held.hourCount} hour(s) between ${hour(held.fromMs)} and ${hour(held.toMs)} hold quarantined entries but neither events nor a manifest: an ingest of those hours was interrupted between its quarantine objects and their manifests (an hour whose every entry was set aside has no events object), or the objects were planted; queries of the quarantine table read them all the same, so ${repair}`;
  if (byDemo) return [line];
  const { shown, more } = shownAndMore(ranges, SHOWN_REPULLS);
  return [
    line,
    ...shown.map((range) => commandLine(ingestCommand(range, target))),
    ...(more > 0
      ? [`    ... and ${more} more range(s): verify --json lists them all (quarantineOnly.ranges)`]
      : []),
  ];
}

/**
 * The re-pulls the line lists, one per gap: few enough to paste one after another at a terminal;
 * `--json` lists them all.
 */
const SHOWN_REPULLS = 5;

/**
 * The hours before the lake's start (with no hour covered, any hour) holding events or quarantined
 * entries but no manifest: queries read them, while no check did; the range to re-pull, not a
 * failure (as an interrupted hour inside the lake is none).
 */
function heldBeforeLakeLines(r: VerifyReport, target: IngestTarget | undefined): string[] {
  const held = r.heldBeforeLake;
  // A report built without the field (older callers) has none.
  if (!held) return [];
  const where =
    r.fromMs === null
      ? 'in a lake that covers no hour yet'
      : `before the lake began (its first hour checked is ${hour(r.fromMs)})`;
  // On to the lake's first hour (HeldBeforeLakeHours.repull); a report of an older caller has none.
  const range = held.repull ?? { fromMs: held.fromMs, toMs: r.fromMs ?? held.toMs };
  return [
    `  ${held.hourCount} hour(s) between ${hour(held.fromMs)} and ${hour(held.toMs)} hold events or quarantined entries but no manifest, ${where}: an ingest of those hours was interrupted between its objects and their manifests (an ingest --from/--to of older history, or a first run), or still runs; queries read them all the same, so once no ingest runs, re-pull them${r.fromMs === null ? '' : ' and the hours up to the lake'} with:`,
    commandLine(ingestCommand(range, target)),
  ];
}

/**
 * The hours after the last hour checked (the later of the last covered hour and the watermark)
 * holding events or quarantined entries but no manifest: those no run in progress pulls, with who
 * fills them (not a failure), and those one does, with the run.
 */
function heldAfterLakeLines(r: VerifyReport, byDemo: boolean, target: IngestTarget | undefined): string[] {
  const lines: string[] = [];
  const held = r.heldAfterLake;
  // A report built without the fields (older callers) has none.
  if (held) {
    const repair = byDemo ? { text: DEMO_GAPS } : heldAfterLakeRepair(r, held, target);
    lines.push(
      `  ${held.hourCount} hour(s) between ${hour(held.fromMs)} and ${hour(held.toMs)} hold events or quarantined entries but no manifest, after the last hour checked (the later of the last covered hour and the watermark), and no ingest in progress pulls them: an ingest of those hours was interrupted between their objects and their manifests, or the objects were planted; queries read them all the same, so ${repair.text}`,
      ...(repair.command ? [commandLine(repair.command)] : []),
    );
  }
  const writing = r.afterLakeBeingWritten;
  if (writing) {
    const runs = writing.runs.map(
      (run) => `run ${visibleLine(run.runId)} (last digest ${visibleLine(run.lastWriteAt)}, not sealed)`,
    );
    lines.push(
      `  ${writing.hourCount} hour(s) between ${hour(writing.fromMs)} and ${hour(writing.toMs)}, after the last hour checked, hold events or quarantined entries but no manifest yet, pulled by an ingest in progress: ${runs.join(', ')}. It writes an hour's objects before its manifest: verify again once it has ended (a run that writes no digest for ${RUN_SILENCE_MS / 60_000} minutes is taken as dead, and its hours are then named as an interrupted pull's)`,
    );
  }
  const notEnded = r.heldNotEnded;
  if (notEnded)
    lines.push(
      `  ${notEnded.hourCount} hour(s) between ${hour(notEnded.fromMs)} and ${hour(notEnded.toMs)} hold events or quarantined entries but no manifest, and have not ended yet: no ingest pulls an hour before it has closed, so the objects were put there (a copy, a restore from another lake, or an ingest on a machine whose clock is ahead); queries read them all the same: look at them (verify --integrity says whether a digest records them), then move them out of the lake`,
    );
  return lines;
}

/**
 * Who fills the hours after the lake's end: the next ingest from the watermark, or the re-pull the
 * report names (from the lake's end on, so no hour before them is left a gap).
 */
function heldAfterLakeRepair(
  r: VerifyReport,
  held: NonNullable<VerifyReport['heldAfterLake']>,
  target: IngestTarget | undefined,
): { text: string; command?: string } {
  const look = 'look at them first (verify --integrity says whether a digest records them)';
  const command = held.repull && ingestCommand(held.repull, target);
  const withCommand = command ? { command } : {};
  if (r.watermarkMs === null) {
    const repull = command
      ? 're-pull from the last hour checked on with:'
      : 'none has settled yet: verify again once they have';
    return { text: `${look}, then, once no ingest runs, ${repull}`, ...withCommand };
  }
  const next = 'the next ingest without --from/--to pulls every hour from the watermark on';
  const or = command ? '; or, once no ingest runs, re-pull from the last hour checked on with:' : '';
  return { text: `${look}: ${next} and writes their manifests${or}`, ...withCommand };
}

const watermarkAheadLines = (r: VerifyReport): string[] =>
  r.watermarkAhead
    ? [
        '  the watermark is in the future: the checkpoint was edited or restored from elsewhere (or this machine\'s clock is behind), and the scheduled ingest refuses to run until it is fixed; no hour after the current one\'s start was checked: see docs/operations.md, section "Watermark in the future"',
      ]
    : [];

/**
 * The report of a lake with no hour to check. Holding nothing else, it passes (exit 0): nothing
 * the lake holds is wrong, and whether runs make progress is status's to judge (it exits 1); the
 * demo's lake says why it is empty and what fills it. What fails it (files that are no hour object,
 * objects of hours not begun, a watermark ahead, the chain's findings) is named as the report of a
 * lake with hours names it, with what to do: one line with no reason left a failure unexplained.
 */
function noHourLines(
  r: VerifyReport,
  location: string,
  emptyNote: string | undefined,
  target: IngestTarget | undefined,
): string[] {
  const demo = emptyNote ? `: ${emptyNote}` : '';
  const head = `verify ${r.instance} at ${location}: the lake holds no covered hour yet${demo}`;
  if (r.ok)
    return [
      head,
      ...heldBeforeLakeLines(r, target),
      ...interruptedFirstIngestLines(r),
      ...deleteGuardLines(r, location),
    ];
  return [
    head,
    ...heldBeforeLakeLines(r, target),
    ...foreignLines(r),
    ...interruptedFirstIngestLines(r),
    ...futureLines(r),
    ...watermarkAheadLines(r),
    ...(r.integrity ? describeIntegrity(r.integrity) : []),
    ...deleteGuardLines(r, location),
    '  PROBLEMS FOUND',
  ];
}

/**
 * The lines above that say to delete or move objects out of the lake, on a lake on S3: the stack's
 * bucket policy refuses the delete (a move out is one too) to every principal it does not name.
 * Each kind of line that says so counts here: one left out printed its advice without the note.
 */
function deleteGuardLines(r: VerifyReport, location: string): string[] {
  const note = deleteGuardNote(location);
  // Reports built without the later fields (older callers) have none of those.
  const advised =
    r.unreadableCount + r.foreignKeyCount + r.futureObjectCount > 0 ||
    // Duplicates foreignKeyCount (noteInstanceFolders counts these folders there too): kept for a
    // report that names them without counting them.
    (r.quarantineOnlyInstances?.length ?? 0) > 0 ||
    (r.interruptedFirstIngests?.length ?? 0) > 0 ||
    r.heldNotEnded !== undefined;
  return advised && note !== '' ? [`  every delete or move out of the lake above${note}`] : [];
}

const MAX_INTEGRITY_LINES = 20;

/**
 * The integrity findings, one a line. With no digest at all every object is `unlisted`, which
 * says nothing of any one of them (a lake older than digests, not adopted yet, or one whose
 * digests were removed: the line above says which to suspect): one line counts them instead of
 * a line each that reads as an object written outside the ingest. `--json` still lists each.
 */
function problemLines(i: IntegrityReport): string[] {
  const line = (p: IntegrityReport['problems'][number]) => `${p.kind}: ${p.key}: ${p.detail}`;
  if (i.digests > 0) return cappedLines(i.problems, MAX_INTEGRITY_LINES, '  ', line);
  const unlisted = i.problems.filter((p) => p.kind === 'unlisted').length;
  const others = i.problems.filter((p) => p.kind !== 'unlisted');
  return [
    ...(unlisted > 0
      ? [
          `  unlisted: ${unlisted} object(s), no digest lists any of them (the line above says why; --json lists each)`,
        ]
      : []),
    ...cappedLines(others, MAX_INTEGRITY_LINES, '  ', line),
  ];
}

function describeIntegrity(i: IntegrityReport): string[] {
  const lines = [
    `  integrity: ${i.digests} digest(s), ${i.objectsChecked} object(s) checked, ${signatures(i)}${i.adoptedAtGenesis ? `, ${i.adoptedAtGenesis} adopted at genesis` : ''}`,
  ];
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
  if (i.unsealedHead) {
    lines.push(
      `  the last digest (${i.unsealedHead.key}, run ${visibleLine(i.unsealedHead.runId)}, ${visibleLine(i.unsealedHead.createdAt)}) is not sealed: that run died or is still running, and what it wrote after that digest is in no digest yet. Once it has ended, run an ingest (it records those objects), then verify again: what is still "changed" or "unlisted" then was not written by the ingest`,
    );
  }
  if (i.recordedOnRead.length > 0) {
    lines.push(
      `  ${i.recordedOnRead.length} version(s) first recorded when a run read them or wrote over them, written by no digest: a run that never sealed its digests (it ended before its digest, or still runs) may have written them; see docs/guarantees.md:`,
      ...cappedLines(
        i.recordedOnRead,
        SHOWN_RECORDED_ON_READ,
        '    ',
        (r) =>
          `${r.key} (${r.as === 'read' ? 'read' : 'written over'} by run ${r.runId} in ${r.digest}; unsealed: run ${r.runs.join(', run ')})`,
      ),
    );
  }
  lines.push(...problemLines(i));
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
 * says how many there are, as the findings' list is cut.
 */
function changedSinceNotedLines(i: IntegrityReport): string[] {
  const changed = i.changedSinceNoted;
  if (changed === undefined || changed.count === 0) return [];
  if (!changed.signed) {
    return [
      `  ${changed.count} object(s) the store holds otherwise than the digests up to the noted head ${changed.after} left them, and no checked signature vouches for the digests after it: the \`changed-since-noted\` and \`created-since-noted\` findings below (docs/operations.md says how to tell a re-pull)`,
    ];
  }
  return [
    `  ${changed.count} object(s) rewritten or created since the noted head ${changed.after}, by signed runs (a re-pull of late events, or an enrich; not a finding):`,
    ...cappedLines(
      changed.objects,
      SHOWN_RECORDED_ON_READ,
      '    ',
      (c) =>
        `${c.key} (${c.what}${c.runId === undefined ? '' : `, run ${visibleLine(c.runId)} in ${c.digest}`})`,
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

/** How many digests are signed; without a public key, that they carry a signature no one checked. */
const signatures = (i: IntegrityReport): string =>
  i.signaturesChecked
    ? `${i.signedDigests} signed${i.unsignedBeforeSigning ? ` (${i.unsignedBeforeSigning} unsigned from before signing began)` : ''}`
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
  if (more > 0) lines.push(`${indent}... and ${more} more (--json lists them all)`);
  return lines;
}
