import { errorMessage } from '../error-message.ts';
import type { ObjectStore, RunProcesses, StoredObject } from '../ports.ts';
import { floorHour, HOUR_MS } from '../time-units.ts';
import type { RepullFields } from './checkpoint.ts';
import { type CheckpointMarks, readCheckpointMarks } from './checkpoint-marks.ts';
import { closedWindowsEnd, DEFAULT_SETTLE_MINUTES } from './closed-hours.ts';
import { CopiesInAnotherShape } from './copies-in-another-shape.ts';
import { type CoverageKey, coverageKeys, extentOf, readManifest } from './coverage.ts';
import type { CoverageManifest } from './coverage-manifest.ts';
import { disagreementWithRaw } from './event-from-raw.ts';
import type { EventRecord } from './event-record.ts';
import { mostlyMissing } from './field-gap-tally.ts';
import { futureHoursFrom } from './future-hours.ts';
import { type HourShapeJudge, judgeFromDayBefore } from './hour-shape-judgement.ts';
import { type FinalitySettings, NotFinalTally } from './hours-not-final.ts';
import { repullAt } from './hours-repulled.ts';
import { activityKey, coverageKey, quarantineKey, utcDate } from './layout.ts';
import { compareWithManifest, type HeldIds, heldBy } from './manifest-agreement.ts';
import { windowFieldsMismatch } from './manifest-window.ts';
import { iterateNdjsonGzip } from './ndjson.ts';
import { reasonKind } from './quarantine-reason-kind.ts';
import type { QuarantineRecord } from './quarantine-record.ts';
import { readAhead } from './read-ahead.ts';
import { RecentIds } from './recent-ids.ts';
import {
  type HourSpan,
  hoursBefore,
  openRuns,
  type RunInProgress,
  type StoppedRun,
  splitGaps,
} from './runs-in-progress.ts';
import { readSkippedHours, skippedButCovered } from './skipped-hours.ts';
import { hoursStoredOnce } from './skipped-hours-stored.ts';
import { twinsWarned } from './twin-entries.ts';
import { verifyFindingKinds } from './verify-finding-kinds.ts';
import type { VerifyReads } from './verify-progress.ts';
import { type HeldAfterLake, MAX_LISTED, type VerifyReport } from './verify-report.ts';
import { noteRepulledGaps } from './verify-repulled-gaps.ts';
import { noteForeign, scanTables } from './verify-table-listing.ts';
import { type VerifyBounds, wholeLakeRange } from './whole-lake-range.ts';

export interface VerifyLakeOptions {
  /**
   * Called with each object read of an hour (its manifest, its object, its quarantine object), in
   * the order of the hours; `found` undefined: there was none. The manifest read again when its
   * object grew past it is not passed.
   */
  onRead?: (key: string, found: StoredObject | undefined) => void;
  /** Counts the reads, for a progress line: two an hour in range are expected. */
  reads?: VerifyReads;
  /**
   * The instance's watermark as the caller read it to clip the range (null: no checkpoint), so the
   * range and the report's judgement of it rest on one read of the checkpoint; read here without.
   */
  watermarkMs?: number | null;
  /** The checkpoint's held hour (VerifyReport.heldFromMs) as the caller read it with `watermarkMs`. */
  heldFromMs?: number | null;
  /** The checkpoint's plan start as the caller read it with `watermarkMs`, for a range not given. */
  planFromMs?: number;
  /** The checkpoint's later-pull fields as the caller read them with `watermarkMs`. */
  repull?: RepullFields;
  /**
   * The ingest's `repullAfterHours` and `lookbackHours` (default: the ingest's defaults), which say
   * how long a covered hour is pulled again ({@link VerifyReport.notFinal}).
   */
  finality?: FinalitySettings;
  /**
   * Now, to judge whether a run is still writing the hours after the watermark that are not covered
   * ({@link VerifyReport.beingWritten}); without it, every such hour is a gap.
   */
  nowMs?: number;
  /**
   * Whether a run's process still runs, where it can be told (a lake on this machine's disk): a
   * run whose process is gone is not taken as in progress ({@link VerifyReport.stoppedRuns}).
   */
  runProcesses?: RunProcesses;
  /**
   * The lake's `instance=` folders of a name no instance can have (the caller lists the lake's
   * instances): no instance's check reads them, while a local query over every instance does, so
   * each is reported as no object of the lake.
   */
  strayFolders?: readonly string[];
  /**
   * The lake's `instance=` folders of the quarantine table of a name no instance's events,
   * manifests or checkpoint have (the caller lists them): reported as no object of the lake, as
   * {@link strayFolders} are, and named in {@link VerifyReport.quarantineOnlyInstances}.
   */
  quarantineOnlyInstances?: readonly string[];
  /**
   * The quarantine table's `instance=` folders of instances with no events, manifest or checkpoint
   * folder but a digest folder (the caller lists them): named in
   * {@link VerifyReport.interruptedFirstIngests}, not as stray.
   */
  interruptedFirstIngests?: readonly string[];
  /**
   * How long an hour must be closed before an ingest pulls it (default: the ingest's default): the
   * re-pull {@link HeldAfterLake.repull} names ends no later than the hours settled by `nowMs`.
   */
  settleMinutes?: number;
  /**
   * Called with each hour's verdict on its manifest as first read: `agrees` when the hour has an
   * events object whose event count and content hash are the manifest's, and a quarantine object
   * holding at least the entries it counts (none where it counts none); false when any check of the
   * manifest found otherwise. An hour may be judged more than once (its quarantine object is
   * looked at after the listing): it agrees only if every verdict says so.
   */
  onManifestAgreement?: (windowStartMs: number, agrees: boolean) => void;
}

/** The watermark and held hour the caller read, or read here. */
async function checkpointOf(
  store: ObjectStore,
  instance: string,
  options: VerifyLakeOptions,
): Promise<CheckpointMarks> {
  if (options.watermarkMs === undefined) return readCheckpointMarks(store, instance);
  return {
    watermarkMs: options.watermarkMs,
    heldFromMs: options.heldFromMs ?? null,
    ...(options.planFromMs === undefined ? {} : { planFromMs: options.planFromMs }),
    ...(options.repull === undefined ? {} : { repull: options.repull }),
  };
}

/**
 * Checks that the lake keeps its promises for one instance: every hour in range covered, no event
 * stored twice, every record in the hour and date partition of its time, manifests that match what
 * is stored, and what was quarantined and why. Checks one window at a time, its objects read ahead
 * 16 hours at most (bounded memory).
 *
 * Without a range it checks from where the lake began ({@link wholeLakeRange}) to the last covered
 * hour (or the watermark).
 */
export async function verifyLake(
  store: ObjectStore,
  instance: string,
  range?: VerifyBounds,
  options: VerifyLakeOptions = {},
): Promise<VerifyReport> {
  const marks = await checkpointOf(store, instance, options);
  const { watermarkMs } = marks;
  const bounds = range ?? (await wholeLakeRange(store, instance, marks, options.nowMs));
  const report = startReport(instance, bounds, marks, options.nowMs);
  noteInstanceFolders(report, options);
  if (!bounds) return withoutHours(store, instance, report);

  const reasons = new Map<string, number>();
  const covered = new Set<number>();
  // Covered hours whose manifest counts no quarantined entry: their quarantine object is not read.
  const noneQuarantined = new Set<number>();
  const recent = new RecentIds();
  const notFinal = new NotFinalTally(marks, options.finality);
  // A range's first quiet hours are summed with the day before it, as the ingest summed them.
  const shapes = await judgeFromDayBefore(store, instance, bounds, options.onRead);
  let expected = bounds.fromMs;
  const gap = (toMs: number) => {
    if (toMs <= expected) return;
    report.gaps.push({ fromMs: expected, toMs });
    if (watermarkMs !== null)
      report.uncoveredBelowWatermark += Math.max(0, (Math.min(toMs, watermarkMs) - expected) / HOUR_MS);
  };

  const listed = hoursToList(bounds);
  // Each hour's two objects, and the operator's note of hours skipped (read below).
  options.reads?.expect((2 * (listed.toMs - listed.fromMs)) / HOUR_MS + 1);
  const onRead = (key: string, found: StoredObject | undefined) => {
    options.reads?.done();
    options.onRead?.(key, found);
  };
  for await (const hour of readHours(store, instance, listed, onRead)) {
    if (!hour) continue;
    const { manifest, windowStartMs } = hour;
    // An hour whose manifest is unreadable is reported as such, not as a gap, and its objects
    // are still checked.
    gap(windowStartMs);
    expected = windowStartMs + HOUR_MS;
    covered.add(windowStartMs);
    notFinal.note(windowStartMs, manifest?.fetched_at);
    if (manifest) countCovered(report, manifest, noneQuarantined, shapes);
    else {
      shapes.changed(windowStartMs, null);
      noteUnreadable(report, coverageKey(instance, windowStartMs), hour.manifestProblem);
    }
    const judged = await checkWindow(store, instance, hour, report, recent);
    const quarantine = countQuarantine(instance, hour, report, reasons, judged.grownBy);
    const window = manifest && windowFieldsMismatch(manifest, windowStartMs);
    if (window !== undefined) listMismatch(report, { windowStartMs, detail: window });
    options.onManifestAgreement?.(windowStartMs, judged.agrees && quarantine.exact && window === undefined);
  }
  gap(bounds.toMs);
  Object.assign(report, await notFinal.field());
  const runs = runsOnce(store, instance, options);
  await setAsideHoursBeingWritten(report, runs);
  // Listed at most once for the two checks below that may need where the lake begins.
  let lakeRange: Promise<VerifyBounds | undefined> | undefined;
  const lake = () => {
    lakeRange ??= wholeLakeRange(store, instance, marks, options.nowMs);
    return lakeRange;
  };
  await noteHoursBeforeLake(report, bounds, lake);
  // The operator's note of hours skipped: one read, for the gaps it names and the hours it names
  // that have a manifest now (a stale or too wide skip could hide a later loss).
  const skipped = await readSkippedHours(store, instance, options.nowMs)
    .catch(() => undefined)
    .finally(() => options.reads?.done());
  await noteRepulledGaps(report, repullAt(marks, options.finality ?? {}), skipped, (hours) =>
    hoursStoredOnce(store, instance, hours).then(({ stored }) => stored),
  );
  const skippedCovered = skippedButCovered(skipped, covered);
  if (skippedCovered) report.skippedButCovered = skippedCovered;
  const scanned = { ...bounds, futureFromMs: report.futureFromMs, allDays: bounds.wholeLake === true };
  const { after, quarantinedWhereNone } = await scanTables(
    store,
    instance,
    scanned,
    { covered, noneQuarantined },
    report,
  );
  await joinRangesToLake(report, bounds, lake);
  await noteQuarantinedWhereNone(store, instance, report, {
    hours: quarantinedWhereNone,
    runs,
    ...(options.onManifestAgreement
      ? { disagrees: (start) => options.onManifestAgreement?.(start, false) }
      : {}),
  });
  const settle = options.settleMinutes ?? DEFAULT_SETTLE_MINUTES;
  await noteHeldAfterLake(report, after, runs, { nowMs: options.nowMs, settleMinutes: settle });
  report.quarantineReasons = [...reasons.entries()]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason, 'en'));
  report.ok = verifyFindingKinds(report).length === 0;
  return report;
}

/** Counts a covered hour's manifest, and notes it when it counts no quarantined entry. */
function countCovered(
  report: VerifyReport,
  manifest: CoverageManifest,
  noneQuarantined: Set<number>,
  shapes: HourShapeJudge,
): void {
  if (manifest.quarantined_count === 0) noneQuarantined.add(manifest.window_start_ms);
  report.windowsCovered++;
  report.outOfWindow += manifest.out_of_window_count;
  report.lateEventsTotal += manifest.late_events_total;
  noteFieldGaps(report, manifest, shapes);
  noteTwins(report, manifest);
}

/** Notes an hour whose identical twins look like rows served twice (VerifyReport.twinHours). */
function noteTwins(report: VerifyReport, manifest: CoverageManifest): void {
  const twins = manifest.twin_entries;
  if (typeof twins !== 'number' || !twinsWarned(twins, manifest.event_count)) return;
  report.twinHours ??= { count: 0, listed: [] };
  report.twinHours.count++;
  if (report.twinHours.listed.length < MAX_LISTED)
    report.twinHours.listed.push({
      windowStartMs: manifest.window_start_ms,
      twins,
      events: manifest.event_count,
    });
}

/**
 * Notes an hour the ingest judged of a changed entry shape when it stored it: its entries, or a
 * quiet hour's summed with the hours before it, mostly lack a watched field (VerifyReport.fieldGaps;
 * lake/hour-shape-judgement.ts).
 */
function noteFieldGaps(report: VerifyReport, manifest: CoverageManifest, shapes: HourShapeJudge): void {
  const sums = shapes.changed(manifest.window_start_ms, manifest);
  if (sums === undefined) return;
  report.fieldGaps ??= { count: 0, listed: [] };
  report.fieldGaps.count++;
  if (report.fieldGaps.listed.length < MAX_LISTED)
    report.fieldGaps.listed.push({
      windowStartMs: manifest.window_start_ms,
      entriesRead: sums.entriesRead,
      missing: mostlyMissing(sums.entriesRead, sums.missing),
      unread: { ...sums.unread },
      ...(sums.hours > 1 ? { hours: sums.hours } : {}),
    });
}

/** The instance folders of the lake the caller found that no instance's check reads. */
function noteInstanceFolders(report: VerifyReport, options: VerifyLakeOptions): void {
  for (const folder of options.strayFolders ?? []) noteForeign(report, folder);
  for (const folder of options.quarantineOnlyInstances ?? []) noteForeign(report, folder);
  if (options.quarantineOnlyInstances?.length)
    report.quarantineOnlyInstances = [...options.quarantineOnlyInstances];
  if (options.interruptedFirstIngests?.length)
    report.interruptedFirstIngests = [...options.interruptedFirstIngests];
}

/** A report of `bounds` with nothing found yet. */
function startReport(
  instance: string,
  bounds: VerifyBounds | undefined,
  marks: CheckpointMarks,
  nowMs: number | undefined,
): VerifyReport {
  return {
    instance,
    fromMs: bounds?.fromMs ?? null,
    toMs: bounds?.toMs ?? null,
    windowsExpected: bounds ? Math.max(0, (bounds.toMs - bounds.fromMs) / HOUR_MS) : 0,
    windowsCovered: 0,
    gaps: [],
    uncoveredBelowWatermark: 0,
    interruptedWindows: 0,
    events: 0,
    duplicateIds: 0,
    duplicateIdsAcrossHours: 0,
    duplicates: [],
    repeatedHourTwins: 0,
    copiesInAnotherShape: 0,
    misplacedRecords: 0,
    manifestMismatches: [],
    grownPastManifest: [],
    quarantined: 0,
    quarantineReasons: [],
    unreadable: [],
    unreadableCount: 0,
    foreignKeys: [],
    foreignKeyCount: 0,
    futureObjects: [],
    futureObjectCount: 0,
    ...(nowMs === undefined ? {} : { futureFromMs: futureHoursFrom(nowMs) }),
    outOfWindow: 0,
    lateEventsTotal: 0,
    watermarkMs: marks.watermarkMs,
    heldFromMs: marks.heldFromMs,
    ...(bounds?.began === undefined ? {} : { began: bounds.began }),
    ...(bounds?.startUnlinked === undefined ? {} : { startUnlinked: bounds.startUnlinked }),
    ok: true,
  };
}

/**
 * The report of a lake with no hour to check: only the files that are no objects of its hours, and
 * the objects of hours not begun (a lake whose only hours are those holds nothing else to check).
 */
async function withoutHours(
  store: ObjectStore,
  instance: string,
  report: VerifyReport,
): Promise<VerifyReport> {
  const from = report.futureFromMs;
  // No range was asked for (a range always has hours): the whole lake's stray files are named, and
  // an hour object of any hour begun lies before the lake's first covered hour (there is none).
  const start = from ?? Number.POSITIVE_INFINITY;
  const bounds = { fromMs: start, toMs: start, futureFromMs: from, allDays: true };
  await scanTables(store, instance, bounds, { covered: new Set(), noneQuarantined: new Set() }, report);
  report.ok = verifyFindingKinds(report).length === 0;
  return report;
}

/**
 * The hours whose manifests are listed: from the first covered hour on, when it is known. Hours
 * before it hold no manifest, so they are one gap, not a LIST a day (a start edited to 1970 cost
 * 21,099 of them, ~21 minutes of S3 round trips).
 */
function hoursToList(bounds: VerifyBounds): { fromMs: number; toMs: number } {
  const fromMs = Math.min(bounds.toMs, Math.max(bounds.fromMs, bounds.listFromMs ?? bounds.fromMs));
  return { fromMs, toMs: bounds.toMs };
}

/**
 * Moves the gaps' hours that a run in progress pulls (before the watermark too: a re-pull of older
 * history) out of the gaps into {@link VerifyReport.beingWritten}. Reads the end of the digest
 * chain only when there are gaps: a lake without them costs no read more.
 */
async function setAsideHoursBeingWritten(report: VerifyReport, runs: RunsOnce): Promise<void> {
  if (runs === undefined || report.gaps.length === 0) return;
  const open = await runs();
  noteStoppedRuns(report, report.gaps, open.stopped);
  const split = splitGaps(report.gaps, open.running);
  if (split.beingWritten.length === 0) return;
  report.gaps = split.gaps;
  report.beingWritten = {
    runs: split.runs,
    hours: split.beingWritten,
    hourCount: hoursBefore(split.beingWritten, Number.POSITIVE_INFINITY),
    withEventsOnly: 0,
  };
  if (report.watermarkMs !== null)
    report.uncoveredBelowWatermark = hoursBefore(split.gaps, report.watermarkMs);
}

/**
 * Notes the hours of a range asked for that lie before the lake begins in
 * {@link VerifyReport.beforeLake}, so the report can say what holds them; they stay gaps. A range
 * re-pulled before the genesis run leaves no trace verify can read cheaply (the lake's start is
 * its first covered hour, its genesis digest or its checkpoint's plan), so hours of such a
 * re-pull deleted since would pass as "before the lake" if these failed nothing (review R-CLI F1).
 * The lake's manifests are listed for it only when the range's first hour is a gap; the whole
 * lake's check starts where the lake does.
 */
async function noteHoursBeforeLake(
  report: VerifyReport,
  bounds: VerifyBounds,
  lakeRange: () => Promise<VerifyBounds | undefined>,
): Promise<void> {
  if (bounds.wholeLake || report.gaps[0]?.fromMs !== bounds.fromMs) return;
  const lake = await lakeRange();
  // A lake with no hour begins nowhere: its range's hours are gaps like any other.
  if (!lake || lake.fromMs <= bounds.fromMs) return;
  const toMs = Math.min(lake.fromMs, bounds.toMs);
  report.beforeLake = {
    fromMs: bounds.fromMs,
    toMs,
    lakeFromMs: lake.fromMs,
    hours: (toMs - bounds.fromMs) / HOUR_MS,
  };
}

/** Adds the runs of `stopped` that pull any hour of `spans` to {@link VerifyReport.stoppedRuns}. */
function noteStoppedRuns(
  report: VerifyReport,
  spans: readonly HourSpan[],
  stopped: readonly StoppedRun[],
): void {
  const named = new Set((report.stoppedRuns ?? []).map((run) => run.runId));
  const pulling = stopped.filter((run) => !named.has(run.runId) && splitGaps(spans, [run]).runs.length > 0);
  if (pulling.length > 0) report.stoppedRuns = [...(report.stoppedRuns ?? []), ...pulling];
}

/**
 * The runs open at the chain's end, read at most once and only when asked: those in progress, and
 * those whose process is gone; undefined without `nowMs`.
 */
type RunsOnce = (() => Promise<{ running: RunInProgress[]; stopped: StoppedRun[] }>) | undefined;

function runsOnce(
  store: ObjectStore,
  instance: string,
  { nowMs, runProcesses }: Pick<VerifyLakeOptions, 'nowMs' | 'runProcesses'>,
): RunsOnce {
  if (nowMs === undefined) return undefined;
  let read: ReturnType<NonNullable<RunsOnce>> | undefined;
  return () => {
    read ??= openRuns(store, instance, nowMs, runProcesses);
    return read;
  };
}

/**
 * Records the hours after the lake's end holding objects but no manifest: those of the current hour
 * apart ({@link VerifyReport.heldNotEnded}: no run pulls them), those a run in progress pulls
 * ({@link VerifyReport.afterLakeBeingWritten}), the others in {@link VerifyReport.heldAfterLake},
 * with the re-pull that covers them. Reads the runs in progress only when there are such hours.
 */
async function noteHeldAfterLake(
  report: VerifyReport,
  hours: ReadonlySet<number>,
  runs: RunsOnce,
  { nowMs, settleMinutes }: { nowMs: number | undefined; settleMinutes: number },
) {
  if (runs === undefined || nowMs === undefined || hours.size === 0) return;
  const endedMs = floorHour(nowMs);
  const notEnded = extentOf(new Set([...hours].filter((start) => start >= endedMs)));
  if (notEnded !== null)
    report.heldNotEnded = { hourCount: notEnded.hours, fromMs: notEnded.fromMs, toMs: notEnded.toMs };
  const spans: HourSpan[] = [...hours]
    .filter((start) => start < endedMs)
    .sort((a, b) => a - b)
    .map((fromMs) => ({ fromMs, toMs: fromMs + HOUR_MS }));
  if (spans.length === 0) return;
  const open = await runs();
  const split = splitGaps(spans, open.running);
  noteStoppedRuns(report, split.gaps, open.stopped);
  const writing = extentOf(new Set(split.beingWritten.flatMap((span) => hourStarts(span))));
  // Named with their span, as the hours no run pulls are: a planted hour among them is found there.
  if (writing !== null)
    report.afterLakeBeingWritten = {
      hourCount: writing.hours,
      fromMs: writing.fromMs,
      toMs: writing.toMs,
      runs: split.runs,
    };
  const extent = extentOf(new Set(split.gaps.flatMap((g) => hourStarts(g))));
  if (extent === null) return;
  report.heldAfterLake = { hourCount: extent.hours, fromMs: extent.fromMs, toMs: extent.toMs };
  // From the lake's end, not the first held hour: the hours between are then pulled too.
  const repullFromMs = report.toMs ?? extent.fromMs;
  const repullToMs = Math.min(extent.toMs, closedWindowsEnd(nowMs, settleMinutes));
  // None of the held hours settled: a re-pull would cover none of them.
  if (repullToMs > extent.fromMs) report.heldAfterLake.repull = { fromMs: repullFromMs, toMs: repullToMs };
}

const hourStarts = ({ fromMs, toMs }: HourSpan): number[] =>
  Array.from({ length: (toMs - fromMs) / HOUR_MS }, (_, i) => fromMs + i * HOUR_MS);

/**
 * Reports the covered hours whose manifest counts no quarantined entry while the listing found a
 * quarantine object holding some, as mismatches: queries of the quarantine table read entries no
 * manifest vouches for. The object is read only for such hours (their manifest says there is
 * nothing to read, so the hour's check did not): a pull that took every entry of an hour out of
 * quarantine (a re-pull with the right time zone) leaves an empty one beside a manifest counting
 * none, which is honest, and a listing cannot tell it from a planted one. A later pull of the hour
 * writes its quarantine object before it rewrites the manifest, so the hours a run in progress
 * pulls (the runs read only when there are such hours) and those whose events grew past their
 * manifest (a pull interrupted there) are left out (the runs read only for objects holding entries).
 */
async function noteQuarantinedWhereNone(
  store: ObjectStore,
  instance: string,
  report: VerifyReport,
  {
    hours,
    runs,
    disagrees,
  }: { hours: ReadonlySet<number>; runs: RunsOnce; disagrees?: (windowStartMs: number) => void },
) {
  if (hours.size === 0) return;
  const grown = new Set(report.grownPastManifest.map((g) => g.windowStartMs));
  const holding = new Map<number, number>();
  for (const start of [...hours].filter((h) => !grown.has(h)).sort((a, b) => a - b)) {
    const key = quarantineKey(instance, start);
    const stored = await store.get(key);
    let held = 0;
    if (stored && eachRecord(report, key, stored.body, () => held++) && held > 0) holding.set(start, held);
  }
  if (holding.size === 0) return;
  const spans: HourSpan[] = [...holding.keys()].map((fromMs) => ({ fromMs, toMs: fromMs + HOUR_MS }));
  const notPulled = runs === undefined ? spans : splitGaps(spans, (await runs()).running).gaps;
  for (const start of notPulled.flatMap((span) => hourStarts(span))) {
    disagrees?.(start);
    listMismatch(report, {
      windowStartMs: start,
      detail: `manifest counts 0 quarantined, the quarantine object holds ${holding.get(start)}`,
    });
  }
  report.manifestMismatches.sort((a, b) => a.windowStartMs - b.windowStartMs);
}

/** Records an object read that is not what it should be, and why (a decoder's error names the key first: not kept). */
function noteUnreadable(report: VerifyReport, key: string, why: string): void {
  report.unreadableCount++;
  const detail = why.startsWith(key) ? why.slice(key.length).replace(/^:? (?:is )?/, '') : why;
  if (report.unreadable.length < MAX_LISTED) report.unreadable.push({ key, detail });
}

/**
 * Counts the records of a gzip NDJSON object into `take`; false, the object recorded as unreadable,
 * when it is not one (damaged gzip, a line that is not JSON): the records before the damage are
 * counted, and the check goes on with the next object.
 */
function eachRecord(
  report: VerifyReport,
  key: string,
  body: Uint8Array,
  take: (value: object) => void,
): boolean {
  try {
    for (const value of iterateNdjsonGzip(body, key)) take(value as object);
    return true;
  } catch (error) {
    noteUnreadable(report, key, errorMessage(error));
    return false;
  }
}

/** Counts `record`'s id if this hour, or another hour within a day, already holds it. */
function countDuplicate(
  record: EventRecord,
  ids: ReadonlyMap<string, number>,
  recent: RecentIds,
  start: number,
  report: VerifyReport,
): void {
  const id = record.event_id;
  if (ids.has(id)) {
    report.duplicateIds++;
    listDuplicate(report, { windowStartMs: start, eventId: id });
    return;
  }
  const other = recent.heldBefore(id, start);
  if (other === undefined) return;
  if (recent.twins.isTwin(record, other.timeMs)) {
    report.repeatedHourTwins++;
    return;
  }
  report.duplicateIds++;
  report.duplicateIdsAcrossHours++;
  listDuplicate(report, { windowStartMs: start, eventId: id, alsoAtMs: other.hour });
}

/**
 * Checks an event against its `raw` entry (event-from-raw.ts), counting it as stored before the
 * columns it has no key for.
 */
function checkAgainstRaw(record: EventRecord, start: number, report: VerifyReport): void {
  const notStored: string[] = [];
  const what = disagreementWithRaw(record as unknown as Record<string, unknown>, { notStored });
  if (what !== undefined) noteRowNotFromRaw(report, start, record.event_id, what);
  if (notStored.length === 0) return;
  report.eventsBeforeColumns ??= { count: 0, columns: [] };
  report.eventsBeforeColumns.count++;
  for (const column of notStored)
    if (!report.eventsBeforeColumns.columns.includes(column)) report.eventsBeforeColumns.columns.push(column);
}

/** Counts an event that disagrees with its `raw` entry (`what`), listing the first few. */
function noteRowNotFromRaw(report: VerifyReport, start: number, eventId: unknown, what: string): void {
  report.rowsNotFromRaw ??= { count: 0, listed: [] };
  report.rowsNotFromRaw.count++;
  if (report.rowsNotFromRaw.listed.length < MAX_LISTED)
    report.rowsNotFromRaw.listed.push({ windowStartMs: start, eventId: String(eventId), what });
}

const listDuplicate = (report: VerifyReport, duplicate: VerifyReport['duplicates'][number]) => {
  if (report.duplicates.length < MAX_LISTED) report.duplicates.push(duplicate);
};

/** Whether a record's time, window or date partition is not the hour it is stored in. */
const misplaced = (record: EventRecord, start: number): boolean =>
  record.event_time_ms < start ||
  record.event_time_ms >= start + HOUR_MS ||
  record.window_start_ms !== start ||
  utcDate(record.event_time_ms) !== utcDate(start);

/** A covered hour as read: its manifest, and the objects its checks read. */
interface HourRead {
  windowStartMs: number;
  /** Undefined: the manifest is not one (`manifestProblem` says why). */
  manifest: CoverageManifest | undefined;
  manifestProblem: string;
  activity: StoredObject | undefined;
  /** Read only when the manifest counts quarantined entries, or cannot say. */
  quarantine: StoredObject | undefined;
}

/**
 * The covered hours of `[fromMs, toMs)`, oldest first, each with its objects, read ahead
 * ({@link readAhead}): checked one after the other, in order, while the GETs of the hours after
 * overlap (one at a time, a year of hours took 9 minutes of S3 round trips). Undefined: an hour
 * listed whose manifest was gone when read (only a manual delete does that: it is not covered).
 */
async function* readHours(
  store: ObjectStore,
  instance: string,
  { fromMs, toMs }: { fromMs: number; toMs: number },
  onRead: NonNullable<VerifyLakeOptions['onRead']>,
): AsyncIterable<HourRead | undefined> {
  const read = async ({ key, windowStartMs }: CoverageKey, stop: AbortSignal) => {
    const stored = await store.get(key);
    if (!stored) return { reads: [{ key, found: stored }] };
    const reading = readManifest(stored.body, windowStartMs);
    const manifest = reading.ok ? reading.manifest : undefined;
    const manifestProblem = reading.ok ? '' : `not a valid coverage manifest (${reading.reason})`;
    // Another hour's read failed meanwhile (the verify is over): no more GETs for this one.
    stop.throwIfAborted();
    const objectKey = activityKey(instance, windowStartMs);
    const activity = await store.get(objectKey);
    const reads = [
      { key, found: stored },
      { key: objectKey, found: activity },
    ];
    let quarantine: StoredObject | undefined;
    if (manifest === undefined || manifest.quarantined_count > 0) {
      stop.throwIfAborted();
      const quarantineAt = quarantineKey(instance, windowStartMs);
      quarantine = await store.get(quarantineAt);
      reads.push({ key: quarantineAt, found: quarantine });
    }
    return { hour: { windowStartMs, manifest, manifestProblem, activity, quarantine }, reads };
  };
  for await (const { hour, reads } of readAhead(
    (stop) => coverageKeys(store, instance, fromMs, toMs, stop),
    read,
  )) {
    // Handed on in the hours' order, as they are checked (not as the GETs happen to end).
    for (const { key, found } of reads) onRead(key, found);
    yield hour;
  }
}

/**
 * Checks an hour's object against its manifest. `grownBy`: the events added past the manifest by
 * later pulls ({@link compareWithManifest}); `agrees`: an object is there, read whole, and holds
 * exactly the events of the manifest as first read (not one read again after it grew).
 */
async function checkWindow(
  store: ObjectStore,
  instance: string,
  { windowStartMs: start, manifest, activity: stored }: HourRead,
  report: VerifyReport,
  recent: RecentIds,
): Promise<{ grownBy: number; agrees: boolean }> {
  const key = activityKey(instance, start);
  const held: HeldIds = { ids: new Set<string>(), byRun: new Map() };
  const times = new Map<string, number>();
  const copies = new CopiesInAnotherShape();
  const readable =
    !stored ||
    eachRecord(report, key, stored.body, (value) => {
      const record = value as EventRecord;
      report.events++;
      countDuplicate(record, times, recent, start, report);
      held.ids.add(record.event_id);
      times.set(record.event_id, record.event_time_ms);
      heldBy(held, record).ids.push(record.event_id);
      copies.note(record);
      if (misplaced(record, start)) report.misplacedRecords++;
      checkAgainstRaw(record, start, report);
    });
  recent.keep(start, times);
  report.copiesInAnotherShape += copies.count;
  // An object read only in part is no measure of its manifest: it is reported unreadable instead.
  if (!manifest || !readable) return { grownBy: 0, agrees: false };
  const found = await compareWithManifest(store, instance, manifest, held);
  // Agreeing at the same count, the manifest as first read agreed: one read again is read only
  // when the object holds more events than it says.
  if (!found) return { grownBy: 0, agrees: stored !== undefined && held.ids.size === manifest.event_count };
  const list = found.grownBy > 0 ? report.grownPastManifest : report.manifestMismatches;
  if (list.length < MAX_LISTED) list.push({ windowStartMs: start, detail: found.detail });
  return { grownBy: found.grownBy, agrees: false };
}

/**
 * Counts an hour's quarantined entries by reason, and compares them with its manifest: an honest
 * ingest writes the quarantine object before the manifest, so it holds the entries the manifest
 * counts, more when a later pull added some before rewriting the manifest (as objects grow past
 * theirs), and fewer only when such a pull stored some as events instead (a re-pull with the right
 * time zone takes them out of quarantine): by at most the events the hour grew by (`grownBy`, an
 * interrupted pull {@link checkWindow} reports). Fewer than that, or no object, is entries removed.
 * `exact`: the object was read whole and holds just the entries the manifest counts (none there
 * when it counts none), what an unvouched manifest must count to agree with vouched events.
 */
function countQuarantine(
  instance: string,
  { windowStartMs, manifest, quarantine: stored }: HourRead,
  report: VerifyReport,
  reasons: Map<string, number>,
  grownBy: number,
): { exact: boolean } {
  // Not read: one there is a finding of its own (noteQuarantinedWhereNone), which says it disagrees.
  if (manifest?.quarantined_count === 0) return { exact: true };
  const key = quarantineKey(instance, windowStartMs);
  let held = 0;
  const readable =
    !stored ||
    eachRecord(report, key, stored.body, (value) => {
      const record = value as QuarantineRecord;
      held++;
      const reason = reasonKind(record.reason);
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    });
  report.quarantined += held;
  if (!manifest || !readable) return { exact: false };
  // Exactly: more is a later pull's (grown past the manifest), which agrees with no one manifest.
  if (held + grownBy >= manifest.quarantined_count) return { exact: held === manifest.quarantined_count };
  const holds = stored ? `the quarantine object holds ${held}` : 'there is no quarantine object';
  listMismatch(report, {
    windowStartMs: manifest.window_start_ms,
    detail: `manifest counts ${manifest.quarantined_count} quarantined, ${holds}`,
  });
  return { exact: false };
}

const listMismatch = (report: VerifyReport, mismatch: VerifyReport['manifestMismatches'][number]) => {
  if (report.manifestMismatches.length < MAX_LISTED) report.manifestMismatches.push(mismatch);
};

/**
 * A range asked for may reach past the lake's start or end, where its hours are gaps of that check
 * only: a re-pull of the quarantine-only hours there alone moved the lake's start (or end) to them,
 * and the hours between them and the lake became a gap of the lake, one no scheduled run fills. So
 * a range before the lake runs on to its start, and one after it starts at its end. The whole
 * lake's check needs none of this (its gaps lie within it); a ranged one lists the lake's manifests
 * for it only when it found such hours.
 */
async function joinRangesToLake(
  report: VerifyReport,
  bounds: VerifyBounds,
  lakeRange: () => Promise<VerifyBounds | undefined>,
): Promise<void> {
  const held = report.quarantineOnly;
  if (!held || bounds.wholeLake) return;
  const lake = await lakeRange();
  // A lake with no hour: the hours re-pulled are all it will hold, one range per gap of the span.
  if (!lake) return;
  held.ranges = held.ranges.map((range) => ({
    fromMs: Math.min(range.fromMs, lake.toMs),
    toMs: Math.max(range.toMs, lake.fromMs),
  }));
}
