import type { S3Client } from '@aws-sdk/client-s3';
import { loadGeoDatabase } from '../../adapters/geo-file-lookup.ts';
import { chainsWithoutInstance, digestFolderStrays } from '../../adapters/lake-instances.ts';
import { DEFAULT_LAKE, type LakeSpec } from '../../adapters/lake-location.ts';
import { LATER_PULL_TRIES } from '../../core/ingest/later-pulls.ts';
import { deleteGuardNote } from '../../core/lake/delete-guard-note.ts';
import { DEFAULT_LAG_HOURS } from '../../core/lake/lag-threshold.ts';
import { ranByDemo } from '../../core/lake/last-run.ts';
import { lakeTimestamp } from '../../core/lake/layout.ts';
import { plural } from '../../core/report/number-format.ts';
import { COUNTED_KEYS } from '../../core/status/held-span.ts';
import {
  DEFAULT_LAG_WINDOW_MINUTES,
  type InstanceStatus,
  type RecentQuarantine,
  readInstanceStatus,
} from '../../core/status/instance-status.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../core/time-units.ts';
import { visibleLine } from '../../core/visible-line.ts';
import { wrapNote } from '../../core/wrap-note.ts';
import { type CommandIo, clockOf } from '../command-io.ts';
import { demoEmptyLakeNote, isDemoLakeTarget } from '../demo-lake.ts';
import { failureRunbook } from '../failure-runbook.ts';
import { fieldGapStatusNote } from '../field-gap-notes.ts';
import { jsonOutput } from '../json-output.ts';
import { openLakeTarget, parseLakeOption } from '../lake-target.ts';
import { type OptionSpec, optionValue, parseOptions, parseTimeZone, parseWholeNumber } from '../options.ts';
import {
  NO_RUN_GOES_BACK,
  REPULLED_CAUSES,
  repulledByText,
  skippedAfterWrittenText,
  skippedButCoveredText,
  skippedButStoredText,
} from '../repull-text.ts';
import { STACK_CONFIG_FILE, stackRetiredInstances } from '../stack-retired-instances.ts';
import { runProcessesOf, stoppedRunNote } from '../stopped-run.ts';
import { fitTable, terminalWidth } from '../terminal-table.ts';
import { utcHourLabel } from '../utc-hour-label.ts';
import { VERIFY_FINDING_RUNBOOKS } from '../verify-runbooks.ts';

export const statusHelp = `Usage: domo-activity-lake status [options]

Is it working? For each instance of the lake: the Domo customer it is bound to
(once its first run bound one), the watermark (every hour before it is complete)
and how far behind now it is, the last ingest run (time, outcome, events), hours
missing and entries quarantined in the last 7 days (and, when the last 24 hours
quarantined 20 or more, a tenth of what they read, since when and why), the
last weekly report sent
and the next one due ("not enabled" while no report was ever sent to this lake,
"demo: no mail" on the demo's, whose report is a file in its out folder,
"stopped" after a whole week without one, OVERDUE a day after its week ended),
and the corrections of weeks mailed with hours missing (due, sent, or blocked by
a marker to remove); and the geo database this installation ships (its version
and age: update it by bumping the packages). Exits 1 when an instance is LATE:
further behind than the lag alarm's threshold, or with no watermark (none saved
yet, or its checkpoint deleted or lost though a run recorded one: the note says
which; a lake the demo built whole reads demo instead: nothing updates it, and
no alarm watches it); SILENT: the deployed schedule recorded no run for longer
than the lag alarm's window; AHEAD: its watermark lies in the future (the
checkpoint was edited); FAILED: the deployed schedule's last run failed (as the
IngestErrors alarm fires); CORRUPT or NEWER: its checkpoint cannot be read, or a
newer release wrote it; CUT: its digest chain ends before the head its last run
recorded; DAMAGED: hours deleted or edited as no ingest does (in the last 7
days, a manifest unreadable, or none below the watermark of an hour no run pulls
again: one its lookback or later pull stores again is told, not counted, as is
one skipped on purpose by state/instance=<i>/skipped-hours.json; or events gone
under their manifest; or the lake's oldest hours gone); or QUARANTINE: at least
20 entries of the last 7 days quarantined, more than the events stored (the
Quarantine alarm's rule, but over 7 days: the alarm weighs only its last 3 to 24
hours of runs, so it fires sooner and clears sooner). The report never changes
the exit code, nor does an instance retired (removed from the deployment: named
by --retired, or in retiredInstances of the cdk.json of the directory status
runs in when --lake is the bucket that cdk.json deploys, or marked by
state/instance=<i>/retired.json, docs/operations.md). A lake filled only by
ingest --from/--to (no checkpoint, no scheduled run recorded) shows range-only
and the hours it holds instead: it has no lag to check. A lake no run has
written to yet (an empty directory, or a new stack's bucket while its secret
holds the placeholder) is an error (exit 1) that says so and what to do. Reads
only: against S3 it needs nothing but s3:ListBucket and s3:GetObject on the
bucket (and AWS_REGION).

Options:
  --lake <dir|s3://b/p>       where the lake is (default: ${DEFAULT_LAKE})
  --instance <name>           one instance (default: every instance the lake
                              holds)
  --lag-hours <n>             behind by more than this is late (default 3, as
                              alarms.lagHours)
  --lag-window-minutes <n>    no run of the deployed schedule recorded for
                              longer than this is SILENT (default 60: the lag
                              alarm's window with the default ingest.schedule;
                              its description names its own)
  --report-time-zone <zone>   zone of the report weeks (default UTC, as
                              report.timeZone)
  --retired <a,b>             instances removed from the deployment: shown
                              retired, not counted in the exit code (beside
                              cdk.json's retiredInstances)
  --format <f>                table (default) or json
`;

const spec = {
  lake: { type: 'string', default: DEFAULT_LAKE },
  instance: { type: 'string' },
  'lag-hours': { type: 'string' },
  'lag-window-minutes': { type: 'string' },
  'report-time-zone': { type: 'string', default: 'UTC' },
  retired: { type: 'string' },
  format: { type: 'string', default: 'table' },
} as const;

/** The command's options, for the entry's check of the ones npm took (npm-taken-options.ts). */
export const statusOptions: OptionSpec = spec;

/** The geo database this installation ships and enriches with (what a deploy from it carries). */
export interface GeoDatabaseStatus {
  version: string | null;
  /** ISO date the oldest source data was published: the database is only as current as that. */
  releasedAt: string | null;
  ageDays: number | null;
  /** Why it could not be read, when it could not. */
  error?: string;
}

interface StatusResult {
  location: string;
  lagHours: number;
  /** The lag alarm's window: a scheduled lake with no run recorded for longer is SILENT. */
  lagWindowMinutes: number;
  instances: InstanceStatus[];
  /** The lake's `instance=` folders of a name no instance can have: told, not part of `ok`. */
  strayInstanceFolders: string[];
  /**
   * The digest chains (`digest/instance=<name>/`) of a valid name the lake holds no instance of
   * (adapters/lake-instances.ts): no instance's status or check reads them. Told, not part of `ok`.
   */
  chainsWithoutInstance: string[];
  geoDatabase: GeoDatabaseStatus;
  ok: boolean;
}

/** DB-IP publishes monthly; past this age the README's update (bump the packages) is due. */
export const GEO_DATABASE_STALE_DAYS = 90;

export function geoDatabaseStatus(
  nowMs: number,
  load: () => { releasedAt: string; version: string } = () => loadGeoDatabase().database.info,
): GeoDatabaseStatus {
  try {
    const { version, releasedAt } = load();
    const released = Date.parse(`${releasedAt}T00:00:00Z`);
    return {
      version,
      releasedAt,
      ageDays: Number.isFinite(released) ? Math.floor((nowMs - released) / DAY_MS) : null,
    };
  } catch (error) {
    return { version: null, releasedAt: null, ageDays: null, error: (error as Error).message };
  }
}

/**
 * The version under its title, two columns in: whole when it fits, else broken before each `+`
 * of its parts. It is one word (about 67 characters since it names the lookup rules), which the
 * notes' wrapping between words would leave for the terminal to cut anywhere.
 */
function versionLines(version: string, maxWidth: number): string[] {
  if (2 + version.length <= maxWidth) return [`  ${version}`];
  const lines: string[] = [];
  for (const part of version.split(/(?=\+)/)) {
    const last = lines.length - 1;
    if (last >= 0 && (lines[last] as string).length + part.length <= maxWidth) lines[last] += part;
    else lines.push(`  ${part}`);
  }
  return lines;
}

/**
 * What to do of a geo database past {@link GEO_DATABASE_STALE_DAYS}: install newer releases, or,
 * when npm has none (the installed ones were the newest, and their publisher is ending its npm
 * releases: docs/geo.md), nothing, knowing what the age means. Status cannot ask npm (it runs
 * offline), so it says both, and how to tell which.
 */
export const GEO_STALE_ADVICE = `geo database over ${GEO_DATABASE_STALE_DAYS} days old: run \`npm outdated @ip-location-db/dbip-country @ip-location-db/asn\` and install the newer releases it lists (README, "Geo data"); if it lists none, these are the newest published: nothing to install, but places of networks moved since may be out of date`;

/**
 * The geo database's lines: what to do once it is stale, but on the demo's lake (`demoLake`),
 * whose addresses are made up and which nothing deploys: there the note was noise on every fresh
 * clone (review STATUS6).
 */
function geoLine(geo: GeoDatabaseStatus, maxWidth: number, demoLake: boolean): string[] {
  if (geo.version === null) return ['geo database: unavailable', `  ${geo.error ?? 'unknown error'}`];
  const age = geo.ageDays === null ? '' : `, ${geo.ageDays} days old`;
  const lines = [`geo database: released ${geo.releasedAt}${age}`, ...versionLines(geo.version, maxWidth)];
  if (!demoLake && geo.ageDays !== null && geo.ageDays > GEO_DATABASE_STALE_DAYS)
    lines.push(GEO_STALE_ADVICE);
  return lines;
}

function parseFormat(value: string): 'table' | 'json' {
  if (value !== 'table' && value !== 'json') throw new Error('must be table or json');
  return value;
}

/**
 * A lake a demo built whole and nothing has run since: behind only because nothing ever updates
 * it. No alarm watches it, and it is as it should be, so its lag is no fault to exit 1 on. One the
 * demo left incomplete (stopped early, or failed) still is: it lacks hours it was meant to hold.
 * `demoLake`: the lake carries the demo's marker ({@link isDemoLakeTarget}), verify's and ingest's
 * rule; a copy of the demo's lake without it records the demo's last run, yet ingest takes it.
 */
const demoBuilt = (i: InstanceStatus, demoLake: boolean): boolean =>
  demoLake && ranByDemo(i.lastRun) && i.lastRun.outcome === 'ok';

/** What the exit code says: every alarm about the lake itself would be OK (the report's aside). */
const healthy = (i: InstanceStatus, demoLake: boolean): boolean =>
  Boolean(i.retired) ||
  (!(i.late && !demoBuilt(i, demoLake)) &&
    !i.silent &&
    !i.failing &&
    !i.ahead &&
    i.checkpointProblem === null &&
    !i.mostlyQuarantined &&
    !i.chainShorter &&
    !damaged(i));

/** Hours deleted or edited in a way no ingest makes (hour-findings.ts): the state DAMAGED, exit 1. */
const damaged = (i: InstanceStatus): boolean =>
  i.hours !== undefined &&
  (i.hours.unreadableManifests.length > 0 ||
    i.hours.eventsGone.length > 0 ||
    i.hours.oldestGone !== null ||
    i.hours.startUnlinked === true ||
    i.hours.scheduleStartUnlinked !== undefined ||
    i.hours.uncovered.length > 0);

/** What tests replace: the S3 client of an s3:// lake (the clock comes with `io`), the cdk.json read. */
interface StatusDeps {
  s3Client?: S3Client;
  stackConfigFile?: string;
}

/**
 * Marks an instance retired by `--retired` (`given`), or by the retiredInstances of the cdk.json
 * (`file`) of the lake it deploys, so no retired.json by hand: the offboarding's own record. The
 * operator's retired.json comes first, keeping its reason. Tells on stderr of a cdk.json whose
 * list it left out, unless --retired names them all (the way that note advises).
 */
function retirements(
  given: string | undefined,
  lake: LakeSpec,
  location: string,
  io: CommandIo,
  file: string | undefined,
): (status: InstanceStatus) => InstanceStatus {
  const byOption = (given ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const stack = stackRetiredInstances(lake, location, file);
  if (stack.notApplied && stack.leftOut.some((name) => !byOption.includes(name)))
    io.stderr.write(`note: ${stack.notApplied}\n`);
  return (status) => {
    if (status.retired) return status;
    if (byOption.includes(status.instance)) return { ...status, retired: { reason: '', byOption: true } };
    if (stack.names.includes(status.instance)) return { ...status, retired: { reason: '', byStack: true } };
    return status;
  };
}

export async function statusCommand(
  argv: readonly string[],
  io: CommandIo,
  deps: StatusDeps = {},
): Promise<StatusResult> {
  const { values } = parseOptions(argv, spec);
  const format = optionValue('--format', values.format, parseFormat);
  const lagHours = parseWholeNumber('--lag-hours', values['lag-hours'], DEFAULT_LAG_HOURS, {
    min: 1,
    max: 168,
  });
  // The alarm's window is 2 to 48 periods of 30 minutes (infra/constructs/monitoring.ts).
  const lagWindowMinutes = parseWholeNumber(
    '--lag-window-minutes',
    values['lag-window-minutes'],
    DEFAULT_LAG_WINDOW_MINUTES,
    { min: 60, max: 1440 },
  );
  const reportTimeZone = parseTimeZone('--report-time-zone', values['report-time-zone']);
  const target = await openLakeTarget(parseLakeOption(values.lake), values.instance, {
    access: 'read',
    everyInstance: true,
    ...(deps.s3Client ? { s3Client: deps.s3Client } : {}),
  });
  const names = values.instance === undefined ? target.instances : [target.instance];
  const nowMs = clockOf(io).now();
  const retire = retirements(values.retired, target.spec, values.lake, io, deps.stackConfigFile);
  const instances: InstanceStatus[] = [];
  for (const name of names) {
    const status = await readInstanceStatus(target.store, name, {
      nowMs,
      lagHours,
      reportTimeZone,
      lagWindowMinutes,
      ...runProcessesOf(target.spec),
    });
    instances.push(retire(status));
  }
  // The demo's lake by its marker alone, as verify and ingest judge it.
  const demoLake = isDemoLakeTarget(target.spec);
  const result = {
    location: target.store.location,
    lagHours,
    lagWindowMinutes,
    instances,
    strayInstanceFolders: target.strayInstanceFolders,
    chainsWithoutInstance: chainsWithoutInstance(
      (await digestFolderStrays(target.spec, target.s3Client)).chains,
      target.instances,
      [],
    ),
    geoDatabase: geoDatabaseStatus(nowMs),
    ok: instances.every((i) => healthy(i, demoLake)),
  };
  io.stdout.write(
    format === 'json'
      ? // Each instance with the table's state word: `late` alone reads a demo-built lake as late.
        jsonOutput({ ...result, instances: instances.map((i) => ({ ...i, state: stateCell(i, demoLake) })) })
      : statusTable(result, nowMs, terminalWidth(io.stdout), await demoEmptyLakeNote(target.spec)),
  );
  return result;
}

const at = (ms: number) => `${lakeTimestamp(ms).slice(5, 16)}`;

/** `47m`, `5h 03m`, `3d 04h`. */
export function formatLag(ms: number): string {
  const minutes = Math.floor(ms / MINUTE_MS);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${String(hours % 24).padStart(2, '0')}h`;
}

function lastRunCell(s: InstanceStatus): string {
  const run = s.lastRun;
  if (!run) return s.lastRunProblem ? 'newer version' : 'none recorded';
  return `${at(run.finished_at_ms)} ${run.outcome}, ${run.events_written.toLocaleString('en-US')} ev`;
}

/**
 * The last week's sent marker under the lake's reports/. The demo writes its report into its out
 * folder and mails nothing, so its lake has none: `none mailed` there, not `none` right after the
 * demo printed the report's path.
 */
function reportCell(s: InstanceStatus, demoLake: boolean): string {
  const r = s.lastReport;
  if (!r) return demoLake ? 'none mailed' : 'none';
  return `${r.isoWeek} ${r.state} ${r.updatedAt.slice(5, 10)}`;
}

/**
 * `not enabled` and `stopped` have no week due: a report that does not run is never overdue. The
 * demo's lake has no report function: `demo: no mail`.
 */
function nextReportCell(s: InstanceStatus, demoLake: boolean): string {
  if (s.nextReport === null && s.report === 'not-enabled' && demoLake) return 'demo: no mail';
  if (s.nextReport === null) return s.report === 'stopped' ? 'stopped' : 'not enabled';
  const cell = `${s.nextReport.isoWeek} ${at(s.nextReport.dueAfterMs).slice(0, 5)}`;
  return s.nextReport.overdue ? `${cell} OVERDUE` : cell;
}

function stateCell(s: InstanceStatus, demoLake: boolean): string {
  // Removed from the deployment (the operator's note): its stopped watermark is no fault.
  if (s.retired) return 'retired';
  if (s.checkpointProblem) return s.checkpointNewer ? 'NEWER' : 'CORRUPT';
  if (s.ahead) return 'AHEAD';
  if (s.chainShorter) return 'CUT';
  if (damaged(s)) return 'DAMAGED';
  if (s.late) return demoBuilt(s, demoLake) ? 'demo' : 'LATE';
  if (s.silent) return 'SILENT';
  if (s.failing) return 'FAILED';
  if (s.mostlyQuarantined) return 'QUARANTINE';
  return s.rangeOnly ? 'range-only' : 'ok';
}

/**
 * Hours missing of those checked: the closed hours of the last 7 days below the watermark. None
 * checked (a watermark a week or more behind, or a lake with no hour yet) is `-`, not `0/0`, which
 * read as "nothing missing" under a watermark that had stopped days ago; behind says how far.
 */
const missingCell = (s: InstanceStatus): string =>
  s.checkedHours === 0 ? '-' : `${s.missingHours}/${s.checkedHours}`;

function row(s: InstanceStatus, demoLake: boolean): string[] {
  return [
    s.instance,
    stateCell(s, demoLake),
    s.watermarkMs === null ? 'none' : at(s.watermarkMs),
    s.behindMs === null ? '-' : formatLag(s.behindMs),
    lastRunCell(s),
    missingCell(s),
    s.quarantined.toLocaleString('en-US'),
    reportCell(s, demoLake),
    nextReportCell(s, demoLake),
  ];
}

const HEADER = [
  'instance',
  'state',
  'watermark',
  'behind',
  'last run',
  'missing 7d',
  'quar. 7d',
  'last report',
  'next report',
];

/**
 * The Domo customer each instance is bound to, as a column after its name (review R-MSP H1: two
 * customers' secrets swapped at onboarding show as each instance holding the other's company).
 * Only when some instance is bound: a lake whose token answers name none would show a column of
 * dashes.
 */
function withCustomers(
  instances: readonly InstanceStatus[],
  table: { header: string[]; rows: string[][] },
): { header: string[]; rows: string[][] } {
  if (instances.every((s) => s.customer === null)) return table;
  const [name = 'instance', ...rest] = table.header;
  return {
    header: [name, 'customer', ...rest],
    rows: table.rows.map(([first = '', ...cells], index) => [
      first,
      visibleLine(instances[index]?.customer ?? '-'),
      ...cells,
    ]),
  };
}

/**
 * A compact table (times in UTC, MM-DD HH:MM), then one note per problem. A table wider than the
 * terminal would wrap every row into two unreadable lines, so there each instance becomes a block
 * of `label  value` lines instead ({@link fitTable}); a note longer than a line is wrapped between
 * words under the text after its instance's name, or two columns in for a note of no instance (the
 * title, the geo database's) ({@link wrapNote}), where the terminal would cut it mid-word.
 */
export function statusTable(
  result: StatusResult,
  nowMs: number,
  maxWidth = Number.POSITIVE_INFINITY,
  /** What a lake the demo made says while it holds no hour ({@link demoEmptyLakeNote}). */
  demoNote: string | undefined = undefined,
): string {
  // Cells and notes quote what anyone who can write the lake wrote (a week's marker name and time,
  // a stored failure, a run id): one line each, no escape sequence or control left in.
  // The demo's lake: its marker, which is what makes its empty-lake note.
  const demoLake = demoNote !== undefined;
  const rows = result.instances.map((s) => row(s, demoLake).map(visibleLine));
  const body = fitTable(withCustomers(result.instances, { header: HEADER, rows }), maxWidth);
  const notes = result.instances.flatMap((s) => problems(s, result, nowMs, demoNote));
  const prose = (lines: readonly string[]) => lines.flatMap((line) => wrapNote(visibleLine(line), maxWidth));
  return `${[
    ...prose([`status of ${result.location} at ${lakeTimestamp(nowMs).slice(0, 16)} UTC (times in UTC)`]),
    ...prose(notOkLine(result.instances, demoLake)),
    '',
    ...body,
    '',
    ...prose(notes.length > 0 ? notes : ['every instance is within its lag threshold']),
    ...prose(result.strayInstanceFolders.map((folder) => strayFolderNote(folder, result.location))),
    ...prose(result.chainsWithoutInstance.map((folder) => chainWithoutInstanceNote(folder, result.location))),
    ...prose(result.geoDatabase ? geoLine(result.geoDatabase, maxWidth, demoLake) : []),
  ].join('\n')}\n`;
}

/**
 * Of a lake with more than one instance, those whose state makes the exit 1, with their state, on
 * a line above the table: at 20 instances (a provider's customers), one failing customer's row
 * looked like the 19 others'. None when every instance is healthy, or for one instance (its row).
 */
function notOkLine(instances: readonly InstanceStatus[], demoLake: boolean): string[] {
  if (instances.length < 2) return [];
  const notOk = instances.filter((s) => !healthy(s, demoLake));
  if (notOk.length === 0) return [];
  const named = notOk.map((s) => `${s.instance} (${stateCell(s, demoLake)})`).join(', ');
  return [`not ok: ${notOk.length} of ${instances.length} instances: ${named}; see their notes below`];
}

const day = (ms: number) => lakeTimestamp(ms).slice(0, 16);

/**
 * A folder no instance can own: `verify` fails on it (no object of the lake) and no instance's query
 * or report reads it, while a local query over every instance reads it, under the folder's name as
 * it stands (`m%61in`, not decoded to `main`: review R-TAMPER3 F2; until then the note said no
 * command read or checked it, while a report of `main` counted it). A move out of a lake on S3 is a
 * delete there, which the bucket policy keeps to named principals.
 */
const strayFolderNote = (folder: string, location: string): string =>
  `${folder} is no instance of this lake (an instance name is lower-case letters, digits, "-" and "_"): verify fails on it and no instance's query or report reads it, but a local query over every instance reads what it holds, under the folder's own name; move it out of the lake${deleteGuardNote(location)}`;

/**
 * A chain of a name the lake holds no instance of, as verify names it: a first ingest interrupted
 * after its first digest (or one still at its first hours) leaves one, and so does a copy of
 * another instance's chain (`instance=mainbak`), which every check passed unseen.
 */
function chainWithoutInstanceNote(folder: string, location: string): string {
  const name = /instance=([^/]*)\//.exec(folder)?.[1] ?? folder;
  return `${folder} is a digest chain of an instance "${name}" the lake holds no events, manifest or checkpoint of: status and verify read none of it. A first ingest interrupted after its first digest, or still at its first hours, leaves one; a copy of another instance's chain is one too: look at it, and move it out of the lake if no ingest of "${name}" was meant${deleteGuardNote(location)}`;
}

/** Not a failure: such a lake is as current as its last range, which only the operator moves. */
function rangeOnlyNote(instance: string, extent: NonNullable<InstanceStatus['rangeOnly']>): string {
  // The span is its first and last hour: an interrupted range, or ranges apart, leave hours out.
  const missing =
    extent.hours === undefined
      ? undefined
      : Math.round((extent.toMs - extent.fromMs) / HOUR_MS) - extent.hours;
  const gaps =
    missing === undefined
      ? ` (its hours not counted: it has over ${COUNTED_KEYS.toLocaleString('en-US')} coverage keys, more than status lists: run verify for any gaps)`
      : missing > 0
        ? ` (${plural(missing, 'hour')} of it not covered: run verify for the gaps)`
        : '';
  return `${instance}: range-only lake: hours ${day(extent.fromMs)} to ${day(extent.toMs)} UTC ingested with --from/--to${gaps}; no scheduled ingest has run here (no checkpoint), so there is no lag to check. If one is deployed, it has never saved an hour: see docs/operations.md, section "<instance>-NoSuccessfulRun"`;
}

/**
 * Weeks nothing sends by themselves: the schedule reports the last full week only, so these need
 * the invocation each note names (docs/operations.md, "When it fails").
 */
function unsentReportNotes(s: InstanceStatus): string[] {
  return s.unsentReports.map(({ isoWeek, state, updatedAt }) => {
    const event = { week: isoWeek, instance: s.instance };
    return state === 'failed'
      ? `${s.instance}: weekly report ${isoWeek} was not sent (marker failed): invoke the report function with ${JSON.stringify(event)}`
      : `${s.instance}: weekly report ${isoWeek} may not have been sent (marker sending since ${updatedAt.slice(0, 16).replace('T', ' ')} UTC: its run stopped before recording the outcome): check the inbox, then invoke the report function with ${JSON.stringify({ ...event, resend: true })} if it did not arrive`;
  });
}

/**
 * The corrections of weeks mailed with hours missing (docs/operations.md, "Corrections of weeks
 * mailed with hours missing"): a marker that blocks one for good first, with the object to
 * remove, then the weeks a run still corrects, then those corrected. None changes the exit code.
 */
function correctionNotes(s: InstanceStatus): string[] {
  const c = s.corrections;
  if (!c) return [];
  const hours = (covered: number, expected: number) => `${covered} of ${expected} hours`;
  return [
    ...c.stuck.map(
      ({ isoWeek, state, since, address }) =>
        `${s.instance}: the correction of weekly report ${isoWeek} may have been mailed (its marker is ${state} since ${utcMinute(since)}) and is not sent again by itself: check the inbox, and if it did not arrive remove ${address}; the next report run sends it: see docs/operations.md, section "ReportCorrectionStuck"`,
    ),
    ...c.awaiting.map(({ isoWeek, mailedHours, expectedHours, heldHours, refused }) => {
      const mailed = `${s.instance}: weekly report ${isoWeek} was mailed with ${hours(mailedHours, expectedHours)}`;
      if (refused)
        return `${mailed}; its correction was refused by the mail service (marker failed): fix the cause (the report function's log says it), and the next report run sends it`;
      return heldHours > mailedHours
        ? `${mailed}; the lake now holds ${heldHours}: the next report run mails a correction (6 hours or more after the week's last mail)`
        : `${mailed}; the lake holds no more of them yet: a report run mails a correction once it does (runs look back 4 weeks)`;
    }),
    ...c.sent.map(
      ({ isoWeek, coveredHours, expectedHours, sentAt }) =>
        `${s.instance}: weekly report ${isoWeek} was corrected: mailed again ${utcMinute(sentAt)} with ${hours(coveredHours, expectedHours)}`,
    ),
  ];
}

/**
 * Files named like a week's sent marker that are none (no ISO week in the name): skipped, since no
 * report run reads them, and listed so that they can be moved away (on S3 a move is a delete,
 * which the bucket policy keeps to the principals it names). Fixtures built before the field have
 * none.
 */
function strayMarkersNote(s: InstanceStatus, location: string): string | undefined {
  const stray = s.strayMarkers ?? [];
  if (stray.length === 0) return undefined;
  const shown = stray.slice(0, 3).join(', ');
  const more = stray.length > 3 ? ` and ${stray.length - 3} more` : '';
  return `${s.instance}: ${stray.length} file(s) named like a weekly report's sent marker are none (a marker is named <YYYY>-W<ww>.sent.json), so status skipped them and no report run reads them: ${shown}${more}; move them out of reports/ or delete them${deleteGuardNote(location)}`;
}

/**
 * How many more runs a catch-up needs at the last run's pace (review R-ONCALL M1): "run again"
 * alone left the operator to guess whether that meant once or forty times.
 */
function catchUpNote(s: InstanceStatus): string {
  if (!s.catchUp) return '';
  const moved = Math.round(s.catchUp.lastRunMovedMs / HOUR_MS);
  return `, about ${s.catchUp.runsLeft} more run(s) at the last run's pace (it moved the watermark ${moved} h)`;
}

/** The last run's first failure, when it failed: its cause picks the runbook of the lag it left. */
const failedWith = (s: InstanceStatus): string | null | undefined =>
  s.lastRun?.outcome === 'failed' ? s.lastRun.first_failure : undefined;

/**
 * A run that stopped early (Ctrl-C, --max-duration, a Lambda's time budget) left the lag behind
 * it: the same ingest again catches up, and the alarm's runbook (a deployment failing) would send
 * the reader after a fault there is none of; so would a run catching up as status reads, and a
 * lake the demo built, which nothing updates. Any other lateness gets the runbook.
 */
function lateNote(s: InstanceStatus, lagHours: number, demoLake: boolean): string {
  const behind = `${s.instance}: ${formatLag(s.behindMs ?? 0)} behind, over the ${lagHours} h threshold`;
  if (s.ingestRunning)
    return `${behind}: an ingest run is catching up now (run ${s.ingestRunning.runId}, its last digest written ${s.ingestRunning.lastWriteAt.slice(0, 16).replace('T', ' ')} UTC): run status again once it ends`;
  // Before the last run's record: the run that stopped is a later one, which could not record itself.
  if (s.ingestStopped) return `${behind}: ${stoppedRunNote(s.ingestStopped, demoLake)}`;
  if (s.lastRun && demoBuilt(s, demoLake))
    return `${s.instance}: built by the demo at ${day(s.lastRun.finished_at_ms)} UTC; nothing updates it: run the demo again for current data`;
  // No record (a demo killed mid-ingest records none), or the demo's: which no ingest writes here.
  if (demoLake && (s.lastRun === null || s.lastRun.trigger === 'demo'))
    return `${behind}: the demo that built this lake ${s.lastRun?.outcome === 'failed' ? 'failed' : 'stopped early (interrupted)'}: run the demo again to build it whole`;
  // Not ranByDemo: its type guard would leave no run record for the lines below.
  if (s.lastRun?.trigger === 'demo')
    return `${behind}: its last run is the demo's, but the lake lacks the demo's marker file (a copy of the demo's lake): it is no demo lake, and an ingest without --from/--to brings it up to date`;
  return s.lastRun?.outcome === 'stopped-early'
    ? `${behind}${catchUpNote(s)}: the last run stopped early (interrupted, or out of its --max-duration or time budget): run the same ingest again to catch up (on a deployed schedule, its next run does)`
    : `${behind}: see docs/operations.md, section "${failureRunbook(failedWith(s)) ?? '<instance>-Lag'}"`;
}

/**
 * The ingest runs and says ok, yet sets most entries aside: Domo's entries no longer read as this
 * deployment expects them. Lag and the run's outcome cannot show it; only this share does.
 */
function quarantineNote(s: InstanceStatus): string {
  const count = (n: number) => n.toLocaleString('en-US');
  // Which window: the alarm weighs its last hours of runs, a window the lake does not record (the
  // deployed schedule sets it), so it may have cleared already or not be the reason this shows.
  return `${s.instance}: ${count(s.quarantined)} entries of the last 7 days were quarantined, more than the ${count(s.eventsStored)} events stored in those days: the ingest sets most of what Domo serves aside instead of storing it (a wrong docTimeZone, or a time format Domo changed); they are kept, not lost. The ${s.instance}-Quarantine alarm fires from 5 % but weighs its last 3 to 24 hours of runs only, so it may have cleared already: see docs/operations.md, section "<instance>-Quarantine"`;
}

/** The notes of entries quarantined: most of the week's, and those of the last 24 hours. */
function quarantineNotes(s: InstanceStatus): string[] {
  const notes = s.mostlyQuarantined ? [quarantineNote(s)] : [];
  if (s.recentQuarantine) notes.push(recentQuarantineNote(s, s.recentQuarantine));
  return notes;
}

/**
 * Domo changed a field or its time hours ago, and what it served since is set aside: the 7 days'
 * share shows it only once it outweighs a week of sound hours, and the Quarantine alarm not at all
 * while it is under half. Says since when, how many and why (the reasons of the last run that read entries).
 */
function recentQuarantineNote(s: InstanceStatus, q: RecentQuarantine): string {
  const count = (n: number) => n.toLocaleString('en-US');
  const when =
    q.hours === 1
      ? `in the hour ${utcHourLabel(q.firstMs)}`
      : `since ${utcHourLabel(q.firstMs)} (in ${q.hours} hours, the last ${utcHourLabel(q.lastMs)})`;
  const reasons = s.lastRun?.quarantine_reasons?.map((r) => `${r.kind} (${count(r.count)})`).join('; ');
  const why = reasons
    ? `; the last run to read entries quarantined most for: ${reasons}`
    : ' (verify names their reasons)';
  return `${s.instance}: last 24 h: ${count(q.quarantined)} of the ${count(q.read)} entries read were quarantined ${when}${why}. The queries, alerts and report do not see them; they are kept, not lost: see docs/operations.md, section "<instance>-Quarantine"`;
}

/**
 * The Lag alarm fires on silence too: no run reported its lag for its window. The watermark is
 * then still within its threshold, and runs that end at all record themselves: what is left is a
 * schedule that stopped, or runs that never start or end.
 */
function silentNote(s: InstanceStatus, windowMinutes: number, nowMs: number): string {
  const since = formatLag(nowMs - (s.lastRun?.finished_at_ms ?? nowMs));
  return `${s.instance}: no scheduled run recorded for ${since}, longer than the ${windowMinutes} min the <instance>-Lag alarm waits for one (--lag-window-minutes): the schedule stopped firing (disabled, deleted), or its runs do not start or never end (throttled, killed by their timeout), or skip on the secret's placeholder: see docs/operations.md, section "<instance>-Lag"`;
}

/**
 * A week the report schedule should have mailed a day ago. A week with a marker (failed, or still
 * sending) has its own note, or a run at it: this is the week no run has claimed.
 */
function overdueNote(s: InstanceStatus, nowMs: number): string | undefined {
  const next = s.nextReport;
  if (!next?.overdue || s.lastReport?.isoWeek === next.isoWeek) return undefined;
  return `${s.instance}: weekly report ${next.isoWeek} is overdue: its week ended ${day(next.dueAfterMs)} UTC, ${formatLag(nowMs - next.dueAfterMs)} ago, and no run has marked it sent: the report stopped without failing (its schedule disabled, a run that returned without sending): see docs/operations.md, section "<instance>-NoReportSent"`;
}

/** A checkpoint deleted or lost, and what the run record last saw (the ingest's warning). */
function checkpointMissingNote(
  instance: string,
  { runId, watermarkMs }: NonNullable<InstanceStatus['checkpointMissing']>,
): string {
  return `${instance}: no watermark: the checkpoint is missing, though run ${runId} left the watermark at ${new Date(watermarkMs).toISOString()}: it was deleted or lost: the next scheduled run plans as a first run and pulls the backfill again; unless it was reset on purpose, restore its previous version before then (see docs/operations.md, section "Recovery")`;
}

/** The checkpoint and the run record lost together, told by the chain and the hours held. */
function stateMissingNote(instance: string, held: NonNullable<InstanceStatus['stateMissing']>): string {
  return `${instance}: no watermark: the checkpoint and the run record are both missing, though the digest chain shows a scheduled run and the lake holds hours ${day(held.fromMs)} to ${day(held.toMs)} UTC: both were deleted or lost (a restore that left state/ out), unless the first scheduled run died before it saved an hour: the next scheduled run plans as a first run and pulls the backfill again; unless they were reset on purpose, restore their previous versions before then (see docs/operations.md, section "Recovery")`;
}

/** The lag's note: why the watermark tells nothing, or that it is too far behind. */
function lagNote(s: InstanceStatus, lagHours: number, demoNote: string | undefined): string | undefined {
  if (s.checkpointProblem) return `${s.instance}: ${s.checkpointProblem}`;
  if (s.rangeOnly) return rangeOnlyNote(s.instance, s.rangeOnly);
  if (s.checkpointMissing) return checkpointMissingNote(s.instance, s.checkpointMissing);
  if (s.stateMissing) return stateMissingNote(s.instance, s.stateMissing);
  // The demo's lake with no hour saved: a demo still building it, or one stopped before its ingest
  // saved one (Ctrl-C while it simulated, or in its first hour). No schedule fills it.
  if (s.watermarkMs === null && demoNote) return `${s.instance}: no watermark yet: ${demoNote}`;
  if (s.watermarkMs === null)
    return `${s.instance}: no watermark yet: the first scheduled ingest has not saved an hour`;
  return s.late ? lateNote(s, lagHours, demoNote !== undefined) : undefined;
}

/**
 * What the last run left of the later pulls (hours pulled once more a day after their first pulls,
 * by default): hours given up after their last try, and hours due that the next run pulls. No
 * fault of the lake (the exit code is unchanged): what their earlier pulls stored stands.
 */
function laterPullNotes(s: InstanceStatus): string[] {
  const later = s.lastRun?.later_pulls;
  if (!later) return [];
  const notes: string[] = [];
  if (later.given_up > 0)
    notes.push(
      `${s.instance}: the last run gave up the later pull of ${later.given_up} hour(s) after ${LATER_PULL_TRIES} tries; what their earlier pulls stored stands: see docs/operations.md, section "Later pulls"`,
    );
  if (later.due_from_ms !== null)
    notes.push(
      `${s.instance}: later pulls due from ${day(later.due_from_ms)} UTC: the next run with a new hour pulls them (not if the later pull is off: see docs/operations.md, section "Later pulls")`,
    );
  return notes;
}

/**
 * The lag can be fine while the integrity check fails: a run killed mid-write leaves the chain's
 * last digest unsealed, and what it may have left is a finding until an ingest records it (any
 * ingest, one with nothing to pull too). Not a fault of freshness: the exit code is unchanged.
 */
const unsealedHeadNote = (
  instance: string,
  head: NonNullable<InstanceStatus['unsealedHead']>,
  lastRun: InstanceStatus['lastRun'],
): string =>
  `${instance}: integrity: the last digest is not sealed: run ${visibleLine(head.runId)} ${unsealedRunText(head, lastRun)}`;

/**
 * The chain ends before the head the last run record names (review R-AUDITOR M1): a tamper sign
 * status sees with one probe. Not a cause told as fact, and no ingest advised: ingests refuse to
 * append over the cut (lake/chain-cut-guard.ts).
 */
const chainShorterNote = (instance: string, cut: NonNullable<InstanceStatus['chainShorter']>): string =>
  `${instance}: integrity: the last run record says run ${visibleLine(cut.runId)} ended ${cut.outcome} with the digest chain at digest ${cut.recorded}, but the chain ${cut.endsAt === null ? 'holds no digest' : `ends at digest ${cut.endsAt}`}: digests were removed from its end, or the record was edited (no ingest deletes a digest). Ingests refuse to append until the digests are restored or the record is moved aside. Keep a copy of the lake as it is, then run verify --integrity with the head last noted (--expect-head); docs/operations.md, "verify --integrity reports chain-shorter-than-recorded"`;

const utcMinute = (iso: string): string => `${visibleLine(iso).slice(0, 16).replace('T', ' ')} UTC`;

/** What the lake tells of the run that left the chain unsealed, and what seals it. */
function unsealedRunText(
  head: NonNullable<InstanceStatus['unsealedHead']>,
  lastRun: InstanceStatus['lastRun'],
): string {
  const lastWrite = `last write ${utcMinute(head.createdAt)}`;
  const seals = 'the next ingest seals it (one with nothing to pull too)';
  const until = 'until then verify --integrity reports what it may have left';
  const run = head.run;
  switch (run?.state) {
    case 'running':
      return `is running (since ${run.since ? utcMinute(run.since) : 'before its first digest'}, ${lastWrite}: its process on this machine runs): it seals the chain when it ends`;
    case 'hung':
      return `is silent: ${run.pid === undefined ? 'its process' : `its process ${run.pid}`} on this machine still runs but has written nothing for ${formatLag(run.silentMs)} (${lastWrite}, longer than a run goes without a digest): hung or suspended, or its lock names another process. verify counts its hours as gaps; end that process, then an ingest seals it (one with nothing to pull too); ${until}`;
    case 'ended':
      return `ended without sealing (${lastWrite}; the last run record names it ended${endedCause(head, lastRun)}): ${seals}; ${until}`;
    case 'stopped':
      return 'pid' in run
        ? `stopped without closing (${lastWrite}; its process ${run.pid} on this machine is gone: killed, or failed): ${seals}; ${until}`
        : `stopped without closing, as far as the lake tells (${lastWrite}, ${formatLag(run.silentMs)} ago, longer than a run goes without a digest): ${seals}; ${until}`;
    case 'unknown':
      return `may still be running: the lake cannot tell (${lastWrite}, ${formatLag(run.silentMs)} ago, and it holds no run lock this machine can check); if it stopped, ${seals}; ${until}`;
    default:
      return `died or still runs (${lastWrite}); ${until}, and ${seals}`;
  }
}

/** A retired instance's one note: why, and how to count it again. */
const retiredNote = (instance: string, retired: NonNullable<InstanceStatus['retired']>): string =>
  `${instance}: retired${retired.reason ? ` (${retired.reason})` : ''}: removed from the deployment, so not counted in the exit status; ${
    retired.byOption
      ? 'leave it out of --retired to count it again'
      : retired.byStack
        ? `take it out of retiredInstances in ${STACK_CONFIG_FILE} to count it again`
        : `delete state/instance=${instance}/retired.json to count it again`
  }`;

/**
 * Why a run the record names ended left its seal open, only where the record says so: a run whose
 * re-read before the seal fails ends failed. One recorded `ok` contradicts an open seal, and no
 * cause is made up for it (review R-AUDITOR M1).
 */
function endedCause(
  head: NonNullable<InstanceStatus['unsealedHead']>,
  lastRun: InstanceStatus['lastRun'],
): string {
  if (lastRun?.run_id === head.runId && lastRun.outcome === 'ok')
    return ', as ok, which a run whose seal is left open is not: the seal may have been removed; keep a copy of the lake and run verify --integrity before an ingest';
  return lastRun?.run_id === head.runId && lastRun.outcome === 'failed'
    ? ': its re-read before the seal ran out of time or failed'
    : '';
}

/** The note on the chain's end: a cut chain, else a run left unsealed. */
function chainEndNote(s: InstanceStatus): string | undefined {
  if (s.chainShorter) return chainShorterNote(s.instance, s.chainShorter);
  // Beside a cut chain, the run left unsealed may be the seal removed: no cause is told of it.
  return s.unsealedHead ? unsealedHeadNote(s.instance, s.unsealedHead, s.lastRun) : undefined;
}

/** The first hours of a list, as the lake names them, and how many more. */
const someHours = (hours: readonly number[]): string =>
  `${hours.slice(0, 3).map(utcHourLabel).join(', ')}${hours.length > 3 ? ` and ${hours.length - 3} more` : ''}`;

/**
 * Hours below the watermark without a manifest that a run following the checkpoint pulls again
 * (hour-findings.ts `awaitingRepull`): no fault to exit 1 on, since that run stores them with a
 * manifest, but told, with when, and how a removed manifest is told from a watermark moved on.
 */
function awaitingRepullNote(s: InstanceStatus, nowMs: number): string | undefined {
  const awaiting = s.hours?.awaitingRepull;
  if (!awaiting) return undefined;
  return `${s.instance}: ${awaiting.hours.length} hour(s) of the last 7 days below the watermark have no manifest yet (${someHours(awaiting.hours)}): ${repulledByText(awaiting.lastFromMs, nowMs)}. ${REPULLED_CAUSES}`;
}

/**
 * Hours no run goes back for that the operator's note names as skipped on purpose (hour-findings.ts
 * `skipped`): no page, since they did it, but named for as long as the hours are in the window, as
 * the lake does not hold them; and a note that cannot be read, which then names none.
 */
function skippedNotes(s: InstanceStatus): string[] {
  const key = `state/instance=${s.instance}/skipped-hours.json`;
  const notes: string[] = [];
  if (s.skippedNoteProblem)
    notes.push(
      `${s.instance}: ${key} cannot be read (${visibleLine(s.skippedNoteProblem)}): no hour counts as skipped on purpose until it is fixed; see docs/operations.md, section "Resetting the checkpoint"`,
    );
  const covered = s.hours?.skippedButCovered;
  if (covered) notes.push(`${s.instance}: ${skippedButCoveredText(s.instance, covered)}`);
  notes.push(...skipBoundNotes(s, key));
  const skipped = s.hours?.skipped;
  if (!skipped) return notes;
  const why = skipped.reasons.length === 0 ? '' : ` (${skipped.reasons.map(visibleLine).join('; ')})`;
  notes.push(
    `${s.instance}: ${skipped.hours.length} hour(s) of the last 7 days below the watermark were skipped on purpose${why}, as ${key} says (${someHours(skipped.hours)}): ${NO_RUN_GOES_BACK}, and the lake, its queries and reports do not hold them; to hold them after all, re-pull them with ingest --from/--to and remove the note`,
  );
  return notes;
}

/**
 * What the note's bound in time says (skipped-hours.ts): hours a span names that were lost after
 * it was written (DAMAGED, with the uncovered), and spans that say no time, honoured for any loss.
 */
function skipBoundNotes(s: InstanceStatus, key: string): string[] {
  const notes: string[] = [];
  const after = s.hours?.skippedAfterWritten;
  if (after)
    notes.push(`${s.instance}: ${skippedAfterWrittenText(s.instance, after.length, someHours(after))}`);
  const stored = s.hours?.skippedButStored;
  if (stored)
    notes.push(`${s.instance}: ${skippedButStoredText(s.instance, stored.length, someHours(stored))}`);
  const unsearched = s.hours?.skippedUnsearched;
  if (unsearched) notes.push(unsearchedNote(s.instance, unsearched));
  const undated = s.hours?.undatedSkipSpans;
  if (undated)
    notes.push(
      `${s.instance}: ${undated} span(s) of ${key} do not say when they were written: any later loss of an hour they name is taken for the skip; add "written_at" (the time you noted it) to each; see docs/operations.md, section "Resetting the checkpoint"`,
    );
  return notes;
}

/**
 * Hours excused by the skip note that the chain was searched for only as far back as status reads
 * it (hour-findings.ts `skippedUnsearched`): what it did not read, and what reads it all.
 */
function unsearchedNote(
  instance: string,
  u: NonNullable<NonNullable<InstanceStatus['hours']>['skippedUnsearched']>,
): string {
  const written =
    u.oldestWrittenAt === '' ? '' : `, written ${u.oldestWrittenAt.slice(0, 16).replace('T', ' ')} UTC`;
  return `${instance}: ${u.hours.length} hour(s) skipped on purpose (${someHours(u.hours)}) were looked for among the hours stored once in the digest chain's last ${u.digestsRead} digests only, back to ${u.oldestKey}${written}; the digests before it (a backfill or a range re-pulled since writes one an hour) were not read, so one of those hours stored then and deleted since reads as skipped: plain verify reads the whole chain for them`;
}

/** The notes on hours deleted or edited (hour-findings.ts); none for a status read without them. */
function hourNotes(s: InstanceStatus, nowMs: number): string[] {
  const h = s.hours;
  if (h === undefined) return [];
  const notes: string[] = [];
  const keep = 'no ingest does that: keep a copy of the lake as it is, and run verify --integrity';
  if (h.unreadableManifests.length > 0) {
    const [first] = h.unreadableManifests;
    notes.push(
      `${s.instance}: ${h.unreadableManifests.length} manifest(s) of the last 7 days cannot be read (${someHours(h.unreadableManifests.map((u) => u.hourMs))}; the first: ${visibleLine(first?.reason ?? '')}): those hours count as not covered; ${keep} for them`,
    );
  }
  if (h.eventsGone.length > 0)
    notes.push(
      `${s.instance}: ${h.eventsGone.length} hour(s) of the last 7 days have a manifest that counts events but no events object (${someHours(h.eventsGone)}): deleted; ${keep}`,
    );
  if (h.uncovered.length > 0)
    notes.push(
      `${s.instance}: ${h.uncovered.length} hour(s) of the last 7 days below the watermark have no manifest (${someHours(h.uncovered)}): a manifest removed, or hours never stored under a watermark that moved past them, and ${NO_RUN_GOES_BACK}: keep a copy of the lake as it is, run verify --integrity, then re-pull them: see docs/operations.md, section "${VERIFY_FINDING_RUNBOOKS.gap.heading}"`,
    );
  const awaiting = awaitingRepullNote(s, nowMs);
  if (awaiting) notes.push(awaiting);
  notes.push(...skippedNotes(s));
  if (h.oldestGone)
    notes.push(
      `${s.instance}: the lake's first hour is ${utcHourLabel(h.oldestGone.firstMs)}, but the digest chain's first run pulled from ${utcHourLabel(h.oldestGone.fromMs)} and the retention recorded reaches no further: the hours between are gone; ${keep} --from ${utcHourLabel(h.oldestGone.fromMs).slice(0, 10)}`,
    );
  notes.push(...unlinkedStartNotes(s.instance, h));
  return notes;
}

/**
 * The notes on a start the chain does not vouch for: its first digest's, and the schedule's first
 * after the ranges a lake began with (hour-findings.ts).
 */
function unlinkedStartNotes(instance: string, h: NonNullable<InstanceStatus['hours']>): string[] {
  const notes: string[] = [];
  const keep = `keep a copy of the lake as it is and run verify --integrity; see docs/operations.md, section "${VERIFY_FINDING_RUNBOOKS['start-unlinked'].heading}"`;
  if (h.startUnlinked)
    notes.push(
      `${instance}: digest/instance=${instance}/0000000000.json, the chain's first digest, is gone or is not the one the next digest names (its SHA-256 differs): where the lake began cannot be trusted, and hours deleted at its start may be hidden; ${keep}`,
    );
  if (h.scheduleStartUnlinked)
    notes.push(
      `${instance}: ${h.scheduleStartUnlinked}, the schedule's first digest after the ranges the lake began with, is not the one the next digest names, or the digest before it is gone or not the one it names (a SHA-256 differs): where the schedule began cannot be trusted, and hours deleted where it began may be hidden; ${keep}`,
    );
  return notes;
}

/** Hours missing that the hours' own note did not name (those before the ones the checkpoint keeps). */
function missingHoursNotes(s: InstanceStatus): string[] {
  const named =
    (s.hours?.uncovered.length ?? 0) +
    (s.hours?.awaitingRepull?.hours.length ?? 0) +
    (s.hours?.skipped?.hours.length ?? 0);
  const missing = s.missingHours - named;
  return missing > 0
    ? [`${s.instance}: ${missing} hour(s) of the last 7 days are not covered: run verify for the gaps`]
    : [];
}

function problems(
  s: InstanceStatus,
  result: StatusResult,
  nowMs: number,
  demoNote: string | undefined,
): string[] {
  if (s.retired) return [retiredNote(s.instance, s.retired)];
  const notes: string[] = [];
  const lag = lagNote(s, result.lagHours, demoNote);
  if (lag) notes.push(lag);
  if (s.silent) notes.push(silentNote(s, result.lagWindowMinutes, nowMs));
  if (s.ahead)
    notes.push(
      `${s.instance}: the watermark is in the future: the checkpoint was edited or restored from elsewhere (or this machine's clock is behind), and the scheduled ingest refuses to run until it is fixed: see docs/operations.md, section "Watermark in the future"`,
    );
  if (s.lastRunProblem) notes.push(`${s.instance}: ${s.lastRunProblem}`);
  if (s.lastRun?.outcome === 'failed') {
    const section = failureRunbook(s.lastRun.first_failure) ?? '<instance>-IngestErrors';
    const runbook = s.failing ? `; see docs/operations.md, section "${section}"` : '';
    notes.push(`${s.instance}: last run failed: ${s.lastRun.first_failure ?? 'unknown error'}${runbook}`);
  }
  notes.push(...laterPullNotes(s));
  const chainEnd = chainEndNote(s);
  if (chainEnd) notes.push(chainEnd);
  notes.push(...quarantineNotes(s));
  const fieldGaps = fieldGapStatusNote(s.instance, s.shapeChanged);
  if (fieldGaps) notes.push(fieldGaps);
  notes.push(...hourNotes(s, nowMs));
  notes.push(...missingHoursNotes(s));
  notes.push(...unsentReportNotes(s));
  notes.push(...correctionNotes(s));
  const stray = strayMarkersNote(s, result.location);
  if (stray) notes.push(stray);
  const overdue = overdueNote(s, nowMs);
  if (overdue) notes.push(overdue);
  return notes;
}
