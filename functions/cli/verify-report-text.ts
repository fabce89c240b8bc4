import { INGEST_SETTINGS } from '../core/ingest/ingest-settings.ts';
import { deleteGuardNote } from '../core/lake/delete-guard-note.ts';
import { hoursBefore, RUN_SILENCE_MS } from '../core/lake/runs-in-progress.ts';
import type { VerifyClip } from '../core/lake/verify-range.ts';
import type { VerifyReport } from '../core/lake/verify-report.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../core/time-units.ts';
import { visibleLine } from '../core/visible-line.ts';
import { agedOutDisagreementText, agedOutHintText, agedOutText } from './aged-out-text.ts';
import { DEMO_STOPPED_FIRST } from './demo-lake.ts';
import { fieldGapVerifyLines, twinVerifyLines } from './field-gap-notes.ts';
import { ingestBehindLines } from './ingest-behind-text.ts';
import { describeIntegrity } from './integrity-report-text.ts';
import { commandLine, type IngestTarget, ingestCommand } from './report-ingest-command.ts';
import {
  NO_RUN_GOES_BACK,
  REPULLED_CAUSES,
  repulledByText,
  skippedAfterWrittenText,
  skippedButCoveredText,
  skippedButStoredText,
} from './repull-text.ts';
import { runnerLines } from './runners-text.ts';
import { shownAndMore } from './shown-and-more.ts';
import { signingKeyLines } from './signing-key-text.ts';
import { stoppedRunNote } from './stopped-run.ts';
import { utcHourLabel } from './utc-hour-label.ts';
import { okCaveats } from './verify-ok-caveats.ts';
import { provenLines } from './verify-proven-line.ts';
import { runbookLines } from './verify-runbooks.ts';

const SHOWN_REASONS = 5;

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

const hour = (ms: number | null) => (ms === null ? '-' : utcHourLabel(ms));

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
  lines.push(...digestStrayLines(r));
  lines.push(...quarantineOnlyInstanceLines(r));
  return lines;
}

/**
 * The files and folders in `digest/` outside the chains' `instance=<name>/` folders (review
 * R-SECOND5 L4): no query reads them, but no chain vouches for them either, and a digest kept
 * there (moved out of its chain, copied before an edit) is evidence to look at, not lose.
 */
function digestStrayLines(r: VerifyReport): string[] {
  const strays = r.foreignKeys.filter((key) => key.startsWith('digest/'));
  if (strays.length === 0) return [];
  return [
    `  ${strays.length === 1 ? 'one of them is' : `${strays.length} of them are`} in digest/ outside the chains' instance=<name>/ folders: no digest chain reads or vouches for ${strays.length === 1 ? 'it' : 'them'}; a digest moved or copied there may be one taken from a chain: compare it with the chain (docs/guarantees.md §6) before moving it out of the lake`,
  ];
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
  const chains = (r.chainsWithoutInstance ?? []).map(
    (folder) =>
      `  ${folder} is a digest chain of an instance "${instanceNamed(folder)}" the lake holds no events, manifest or checkpoint of: no check reads it. A first ingest interrupted after its first digest leaves one; a copy of another instance's chain is one too: look at it, and move it out of the lake if no ingest of "${instanceNamed(folder)}" was meant`,
  );
  return [...chains, ...firstIngestLines(r)];
}

/** The quarantine folders of {@link interruptedFirstIngestLines}. */
function firstIngestLines(r: VerifyReport): string[] {
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
    ...(r.beforeLake ? [`${r.beforeLake.hours} hour(s) of them before the lake's first hour`] : []),
  ];
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** The hours a run in progress pulls, which are not gaps (yet), and when to look again. */
/**
 * The covered hours a scheduled run still pulls again: "covered" is not "final" for them, since
 * late events may still be added (docs/guarantees.md §2). Expected, so not a failure.
 */
function notFinalLines(r: VerifyReport): string[] {
  const n = r.notFinal;
  if (!n) return [];
  return [
    `  hours not yet final: ${n.hourCount} (${hour(n.fromMs)} .. ${hour(n.toMs)}, final after ${hour(n.finalAfterMs)}: scheduled runs pull them again until then, so late events may still be added; expected, see docs/guarantees.md §2)`,
  ];
}

function beingWrittenLines(r: VerifyReport): string[] {
  const w = r.beingWritten;
  if (!w) return [];
  const lines = w.hours.slice(0, 10).map((h) => `  being written: ${hour(h.fromMs)} .. ${hour(h.toMs)}`);
  const runs = w.runs.map(
    (run) => `run ${visibleLine(run.runId)} (last digest ${visibleLine(run.lastWriteAt)}, not sealed)`,
  );
  const events = w.withEventsOnly ? `; ${w.withEventsOnly} of them hold events, their manifest not yet` : '';
  lines.push(
    `  ${w.hourCount} hour(s) ${whereBeingWritten(r.watermarkMs, w)} are not covered yet, pulled by an ingest in progress: ${runs.join(', ')}${events}. An ingest reads several spans of hours at once, later ones may finish first: verify again once it has ended (a run that writes no digest for ${RUN_SILENCE_MS / MINUTE_MS} minutes is taken as dead, and its hours as gaps)`,
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

/**
 * The gaps of the range before the lake's first hour: gaps all the same (verify cannot tell hours
 * the lake never held from an earlier re-pull's hours deleted since, review R-CLI F1), but not
 * ones another run of the demo or of the scheduled ingest fills, so the line says where the lake
 * begins, how to check from there, and what would hold them.
 */
function beforeLakeLines(r: VerifyReport, byDemo: boolean): string[] {
  const b = r.beforeLake;
  if (!b) return [];
  const hold = byDemo
    ? "the demo's lake holds only the days it simulated: a demo with a longer --days holds more"
    : 'ingest --from/--to pulls them while Domo still keeps them (about 365 days)';
  const from = new Date(b.lakeFromMs).toISOString().replace('.000Z', 'Z');
  return [
    `  before the lake: ${hour(b.fromMs)} .. ${hour(b.toMs)}, ${b.hours} hour(s) before the lake's first hour, ${hour(b.lakeFromMs)}: gaps all the same, as verify cannot tell hours the lake never held from hours a re-pull stored and lost since; if the lake was not meant to hold them, start the range there (--from ${from}); to hold them, ${hold}`,
  ];
}

/** The hours not covered, and who fills them. */
function gapLines(r: VerifyReport, byDemo: boolean): string[] {
  const lines: string[] = [];
  for (const g of r.gaps.slice(0, 10)) lines.push(`  gap: ${hour(g.fromMs)} .. ${hour(g.toMs)}`);
  // The hours before the lake have their own line (beforeLakeLines): no other run fills them.
  const belowInLake = r.uncoveredBelowWatermark - (r.watermarkMs === null ? 0 : (r.beforeLake?.hours ?? 0));
  if (belowInLake > 0) lines.push(belowWatermarkLine(r, byDemo, belowInLake));
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
  const unlinked = r.startUnlinked
    ? [
        `  ${r.startUnlinked}, the chain's first digest, is gone or is not the one the next digest names (its SHA-256 differs): deleted, edited or replaced, so where it says the lake began (from_ms) cannot be trusted, and a start moved on hides the oldest hours deleted; compare it with a copy kept, and run verify --integrity`,
      ]
    : [];
  if (!b) return unlinked;
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
  return [...lines, ...unlinked];
}

/** What fills the gaps of a lake the demo built: `ingest` refuses it, only another demo run does. */
const DEMO_GAPS = "this is the demo's lake, which ingest refuses: run the demo again to build it whole";

/**
 * What to do about hours below the watermark that are not covered: re-pull them, unless every gap
 * lies from the hour the checkpoint keeps on, which the next ingest pulls again by itself.
 */
function belowWatermarkLine(r: VerifyReport, byDemo: boolean, count: number): string {
  if (byDemo) return `  ${count} hour(s) below the watermark are not covered: ${DEMO_GAPS}`;
  const held = r.heldFromMs;
  const lakeFromMs = r.beforeLake?.lakeFromMs ?? Number.NEGATIVE_INFINITY;
  const below = r.gaps.filter(
    (g) => r.watermarkMs !== null && g.fromMs < r.watermarkMs && g.toMs > lakeFromMs,
  );
  // A report built without the field (older callers) has none.
  if (typeof held === 'number' && below.every((g) => g.fromMs >= held))
    return `  ${count} hour(s) below the watermark are not covered: the checkpoint keeps ${hour(held)} (retry_from_ms) for the next ingest without --from/--to, which pulls every hour from there again once a new hour has closed and settled (settle minutes, 15 by default), and fills them`;
  const notFirst = r.began?.looksEdited
    ? ', all but the first, which begins at the start that looks edited (above)'
    : '';
  const head = `  ${count} hour(s) below the watermark are not covered`;
  const repulled = r.repulledBelowWatermark;
  const skipped = r.skippedBelowWatermark;
  if (!repulled && !skipped)
    return `${head}: ${NO_RUN_GOES_BACK}; re-pull the gaps with ingest --from/--to${notFirst}`;
  // status's rule (hours-repulled.ts), in status's words: the two say the same of each hour.
  const by = repulled && repulledByText(repulled.lastFromMs, readAtHour(r));
  if (repulled && by && repulled.hourCount >= count) return `${head}: ${by}. ${REPULLED_CAUSES}`;
  const rest = count - (repulled?.hourCount ?? 0) - (skipped?.hourCount ?? 0);
  return [
    `${head}: `,
    repulled ? `${repulled.hourCount} of them: ${by}; ` : '',
    skipped ? skippedClause(r.instance, skipped) : '',
    rest > 0
      ? `the other ${rest}: ${NO_RUN_GOES_BACK}; re-pull those with ingest --from/--to${notFirst}`
      : 'none to re-pull',
  ].join('');
}

/** Hours the operator's note names as skipped that have a manifest now, as `status` says them. */
function skippedButCoveredLines(r: VerifyReport): string[] {
  const c = r.skippedButCovered;
  const stored = r.skippedButStored;
  const after = r.skippedAfterWritten;
  return [
    ...(c ? [`  ${skippedButCoveredText(r.instance, c)}`] : []),
    ...(stored ? [`  ${skippedButStoredText(r.instance, stored.hourCount, someHours(stored))}`] : []),
    ...(after ? [`  ${skippedAfterWrittenText(r.instance, after.hourCount, someHours(after))}`] : []),
  ];
}

/** Some of the hours a report lists and the count of them all, as `status` says them. */
const someHours = (listed: { hourCount: number; hours: readonly number[] }): string =>
  `${listed.hours.slice(0, 3).map(utcHourLabel).join(', ')}${listed.hourCount > 3 ? ` and ${listed.hourCount - 3} more` : ''}`;

/** The hours the operator's note names as skipped on purpose, as `status` says them. */
function skippedClause(
  instance: string,
  skipped: NonNullable<VerifyReport['skippedBelowWatermark']>,
): string {
  const why = skipped.reasons.length === 0 ? '' : ` (${skipped.reasons.join('; ')})`;
  return `${skipped.hourCount} skipped on purpose${why}, as state/instance=${instance}/skipped-hours.json says: ${NO_RUN_GOES_BACK}; `;
}

/**
 * The hour the lake was read in: the one before {@link VerifyReport.futureFromMs}; without it (a
 * report built without the clock), the watermark's, by which runs not due yet are still told.
 */
const readAtHour = (r: VerifyReport): number =>
  r.futureFromMs === undefined ? (r.watermarkMs ?? 0) : r.futureFromMs - HOUR_MS;

/**
 * The report for a terminal. Its lines quote what anyone who can write the lake wrote (file names,
 * stored reasons and details, run ids, digest keys), so each goes out as {@link visibleLine} makes
 * it: no escape sequence in a key can rewrite the screen, no line break start a line of its own.
 * `byDemo`: the demo built the lake (`ranByDemo`, last-run.ts), so its gaps are the demo's to fill;
 * `emptyNote`: what a lake without any hour says of itself (the demo's: building, or stopped early).
 */
export const describeReport = (
  r: VerifyReport,
  location: string,
  byDemo = false,
  emptyNote = byDemo ? DEMO_STOPPED_FIRST : undefined,
  target?: IngestTarget,
): string => `${reportLines(r, { location, byDemo, emptyNote, target }).map(visibleLine).join('\n')}\n`;

/** The bound the check took for aged-out hours, and what the unsigned run record says beside it. */
const agedOutLines = (r: VerifyReport): string[] => [
  ...(r.agedOut ? [`  ${agedOutText(r.agedOut, r.integrity?.signaturesChecked)}`] : []),
  ...(r.agedOutHint === undefined ? [] : [`  ${agedOutHintText(r.agedOutHint)}`]),
  ...(r.agedOutDisagreement ? [`  ${agedOutDisagreementText(r.agedOutDisagreement)}`] : []),
];

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
    ...agedOutLines(r),
    ...beganLines(r),
    `  hours covered: ${r.windowsCovered} of ${r.windowsExpected}${notCovered(r)}`,
    ...notFinalLines(r),
    `  events: ${r.events}, duplicate ids: ${r.duplicateIds}${acrossHours(r.duplicateIdsAcrossHours)}, misplaced: ${r.misplacedRecords}, late events found: ${r.lateEventsTotal}`,
    ...(r.repeatedHourTwins
      ? [
          `  ids in both readings of a repeated hour (an hour apart, 30 minutes on Lord Howe), from a zone-less time string: ${r.repeatedHourTwins} (identical entries in the two occurrences of the hour that repeats as clocks go back share an id; not a duplicate, see docs/operations.md "Duplicate ids in two hours")`,
        ]
      : []),
    ...(r.copiesInAnotherShape
      ? [
          `  events also stored in another shape: ${r.copiesInAnotherShape} (the same time and columns, or user, action and object, as another event of their hour, from other bytes: Domo changed how it serves entries (older code stored them twice; a value it changed is stored again by design), or they differ only in other fields; not a failure, see docs/operations.md "Events stored in two shapes")`,
        ]
      : []),
    `  quarantined: ${r.quarantined}${r.outOfWindow ? ` (outside their window: ${r.outOfWindow})` : ''}`,
    ...topReasons(r.quarantineReasons),
    `  watermark: ${hour(r.watermarkMs)}`,
    ...ingestBehindLines(r),
  ];
  lines.push(...beforeLakeLines(r, byDemo), ...gapLines(r, byDemo), ...skippedButCoveredLines(r));
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
  lines.push(
    ...rowsNotFromRawLines(r),
    ...eventsBeforeColumnsLines(r),
    ...fieldGapVerifyLines(r, hour),
    ...twinVerifyLines(r, hour),
  );
  for (const g of r.grownPastManifest)
    lines.push(
      `  object grew past its manifest at ${hour(g.windowStartMs)}: ${g.detail}: a pull in progress, or one interrupted before its manifest — the next run that pulls the hour rewrites it (a scheduled run from its lookback on; re-pull older ones with ingest --from/--to)`,
    );
  lines.push(...watermarkAheadLines(r));
  // Without it, rows rewritten in place (columns and raw alike) pass: the verdict must not read as
  // if their bytes had been checked.
  if (r.integrity) lines.push(...integrityLines(r.integrity, target));
  else
    lines.push('  integrity: not checked (add --integrity: the bytes are checked against the digest chain)');
  // Last, so that "above" takes in every line that says to delete or move out, any added later too.
  // The sections that say what to do about the findings, then (last, so that "above" takes in every
  // line that says to delete or move out, theirs too) the note on deletes.
  if (!r.ok) lines.push(...runbookLines(r));
  lines.push(...deleteGuardLines(r, location));
  lines.push(...provenLines(r), r.ok ? okLine(r) : '  PROBLEMS FOUND');
  return lines;
}

/**
 * Events that disagree with their `raw` entry: the row was rewritten after the ingest stored it
 * (docs/operations.md says how to compare the hour with what Domo serves).
 */
function rowsNotFromRawLines(r: VerifyReport): string[] {
  const found = r.rowsNotFromRaw;
  if (found === undefined || found.count === 0) return [];
  const what = (w: string) =>
    w === 'id' ? 'id not the sha256 of raw' : w === 'raw' ? 'raw is no entry' : `${w} not as in raw`;
  return [
    `  ${found.count} event(s) that disagree with their raw entry (the id is not its sha256, or a column is not what it holds): rewritten after the ingest stored them (docs/operations.md, "Bytes no digest vouches for", compares an hour with what Domo serves):`,
    ...found.listed.map((e) => `    ${hour(e.windowStartMs)}: ${visibleLine(e.eventId)} (${what(e.what)})`),
  ];
}

/**
 * Events stored before a column existed: not compared on it, which a key removed from an event
 * looks like too; the digest chain tells the two apart. Not a failure.
 */
function eventsBeforeColumnsLines(r: VerifyReport): string[] {
  const found = r.eventsBeforeColumns;
  if (found === undefined || found.count === 0) return [];
  const checked = r.integrity
    ? 'the digest chain checked their bytes'
    : 'add --integrity to check their bytes';
  return [
    `  ${found.count} event(s) stored before column(s) ${found.columns.join(', ')} existed: not compared with raw on them (queries read NULL there; the value is in raw); not a failure, ${checked} (a key removed from an event reads the same)`,
  ];
}

/** The verdict of a check that passed, with what it does not prove ({@link okCaveats}). */
function okLine(r: VerifyReport): string {
  const said = okCaveats(r);
  return said.length === 0 ? '  OK' : `  OK (${said.join('; ')})`;
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
      `  ${writing.hourCount} hour(s) between ${hour(writing.fromMs)} and ${hour(writing.toMs)}, after the last hour checked, hold events or quarantined entries but no manifest yet, pulled by an ingest in progress: ${runs.join(', ')}. It writes an hour's objects before its manifest: verify again once it has ended (a run that writes no digest for ${RUN_SILENCE_MS / MINUTE_MS} minutes is taken as dead, and its hours are then named as an interrupted pull's)`,
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
    ...(r.integrity ? integrityLines(r.integrity, target) : []),
    ...runbookLines(r),
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

/**
 * The chain check's lines, the key its signatures were judged by right under its first line, which
 * counts them: an auditor reads "68 signed" and, beside it, against which key.
 */
function integrityLines(
  i: NonNullable<VerifyReport['integrity']>,
  target: IngestTarget | undefined,
): string[] {
  const [first, ...rest] = describeIntegrity(i, target);
  return [
    ...(first === undefined ? [] : [first]),
    ...signingKeyLines(i.signingKey),
    ...runnerLines(i.runners),
    ...rest,
  ];
}
