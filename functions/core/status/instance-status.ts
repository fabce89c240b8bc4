import { errorMessage } from '../error-message.ts';
import { runsLeftAtPace } from '../ingest/catch-up-pace.ts';
import { QUARANTINE_MIN_ENTRIES, QUARANTINE_REASONS_SHARE } from '../ingest/drift-signals.ts';
import { acceptsSetting } from '../ingest/ingest-settings.ts';
import { watermarkRecordedBy } from '../ingest/lost-checkpoint.ts';
import { chainBegunAfter } from '../lake/chain-cut-guard.ts';
import { type Checkpoint, readCheckpoint } from '../lake/checkpoint.ts';
import { checkpointMarksOf } from '../lake/checkpoint-marks.ts';
import { coverageKeys, firstCoveredHour, storedCoverageOf } from '../lake/coverage.ts';
import type { CoverageManifest } from '../lake/coverage-manifest.ts';
import { readBoundCustomer } from '../lake/customer-binding.ts';
import { readDigestHeadSequence } from '../lake/digest.ts';
import { FieldGapTally, type FieldGapTotals } from '../lake/field-gap-tally.ts';
import { futureHoursFrom, WATERMARK_AHEAD_TOLERANCE_MS } from '../lake/future-hours.ts';
import { HourShapeJudge } from '../lake/hour-shape-judgement.ts';
import { repullAt } from '../lake/hours-repulled.ts';
import { overLagThreshold } from '../lake/lag-threshold.ts';
import { type LastRun, readLastRunForStatus } from '../lake/last-run.ts';
import { reportsPrefix, retiredMarkerKey } from '../lake/layout.ts';
import { readAhead } from '../lake/read-ahead.ts';
import { recordedFinality } from '../lake/recorded-finality.ts';
import { openRuns } from '../lake/runs-in-progress.ts';
import { scheduledRunBegun } from '../lake/scheduled-run-begun.ts';
import { readSkippedHours, type SkippedHours } from '../lake/skipped-hours.ts';
import { NewerVersionError } from '../lake/stored-version.ts';
import { type UnsealedChainEnd, unsealedChainEnd } from '../lake/unsealed-chain-end.ts';
import type { ObjectStore, RunProcesses } from '../ports.ts';
import { currentWeek, lastFullWeek, previousWeek, type ReportWeek, reportWeek } from '../report/iso-week.ts';
import { decodeMarker, type SentMarker } from '../report/sent-marker.ts';
import { correctionWeeks, coveredHoursHeld, readWeekCorrection } from '../report/week-correction.ts';
import { DAY_MS, floorHour, HOUR_MS, MINUTE_MS } from '../time-units.ts';
import { type ChainShorterThanRecorded, chainShorterThanRecorded } from './chain-shorter-than-recorded.ts';
import { type HeldSpan, heldSpan } from './held-span.ts';
import { type HourFindings, hourFindings, type ManifestRead, manifestRead } from './hour-findings.ts';
import { type UnsealedRunState, unsealedRunState } from './unsealed-run-state.ts';

/**
 * The weekly report as the lake shows it. Only the deployed report function writes sent-markers
 * into the lake (a local report keeps its own beside its output), so `not-enabled`: no marker at
 * all, the report is off (report.enabled, the default) or was turned on after its last scheduled
 * run; `stopped`: none for the last full week nor the one before, so a whole weekly run went by
 * without claiming a week (turned off since, or failing); `weekly`: it runs.
 */
type WeeklyReportState = 'not-enabled' | 'weekly' | 'stopped';

/** What `status` says of one instance: "is it working?" in figures. */
export interface InstanceStatus {
  instance: string;
  /**
   * The Domo customer the instance is bound to (lake/customer-binding.ts): which company's activity
   * it holds, so two customers' secrets swapped at onboarding show (review R-MSP H1). Null when none
   * is bound yet, or the binding cannot be read (the ingest's runs say why).
   */
  customer: string | null;
  /**
   * The operator's note that the instance was removed from the deployment
   * (`state/instance=<i>/retired.json`, docs/operations.md "Adding, changing or removing an
   * instance"), the deployment's `retiredInstances` (cdk.json: `byStack`) or the names the command
   * line gives (`byOption`), the note aside: its watermark stops for good, which is no fault. Its `reason` when it gives one ('' otherwise);
   * null: not retired (absent: read before it was known).
   */
  retired?: { reason: string; byStack?: true; byOption?: true } | null;
  /** Every hour before it is complete in the lake; null before the first scheduled run. */
  watermarkMs: number | null;
  /** now − watermark; null without a watermark. */
  behindMs: number | null;
  /**
   * About how many more runs the lake needs at the last run's pace (the watermark it moved), when
   * that run stopped early after moving it (review R-ONCALL M1); null otherwise, and for records
   * written before they kept how far the run moved it.
   */
  catchUp: { lastRunMovedMs: number; runsLeft: number } | null;
  /**
   * The hours a lake filled by explicit ranges only holds: no checkpoint and no scheduled run
   * recorded, but hours covered. It has no lag to measure; null for every other lake. `hours` is
   * left out past 1,000 coverage keys (held-span.ts).
   */
  rangeOnly: HeldSpan | null;
  /** Over the lag alarm's threshold, or no watermark at all (unless the lake is range-only). */
  late: boolean;
  /**
   * When late: an ingest run that may be catching up right now (its digest chain ends open, written
   * within the last 15 minutes, as `verify` judges one), so the lag is one being worked off, not a
   * deployment's fault; null when none is, or the instance is not late.
   */
  ingestRunning: { runId: string; lastWriteAt: string } | null;
  /**
   * When late and no run is catching up: a run that would read as one ({@link ingestRunning}) but
   * whose process is known to be gone ({@link StatusOptions.runProcesses}): it failed or was killed
   * without recording its end. Null when none is (absent: read before it was known).
   */
  ingestStopped?: { runId: string; lastWriteAt: string; pid: number } | null;
  /**
   * The digest chain's last digest when it is not sealed: a run died or still runs, and the
   * integrity check fails on what it may have left until an ingest records it. Freshness says
   * nothing of it (review R-UPGRADE L2). Null when the chain ends sealed (absent: not read).
   * `run`: whether its run still runs, as far as the lake tells (absent: read before it was known).
   */
  unsealedHead?: (UnsealedChainEnd & { run?: UnsealedRunState }) | null;
  /**
   * The chain ends before the head the last run record names (chain-shorter-than-recorded.ts):
   * digests removed from its end, or the record edited. Null when not (absent: not read).
   */
  chainShorter?: ChainShorterThanRecorded | null;
  /**
   * Why the operator's note of hours skipped on purpose (`state/instance=<i>/skipped-hours.json`,
   * lake/skipped-hours.ts) cannot be read: no hour counts as skipped then. Null when it reads, or
   * there is none (absent: read before it was kept).
   */
  skippedNoteProblem?: string | null;
  /**
   * The watermark lies in the future (past the tolerance for clock skew): the checkpoint was edited
   * or restored from elsewhere, and the scheduled ingest refuses to follow it.
   */
  ahead: boolean;
  /**
   * No checkpoint, though the last run record names a watermark (ingest/lost-checkpoint.ts): it was
   * deleted or lost, and the next scheduled run plans as a first run. The run and the watermark it
   * left; null otherwise (absent: read before it was kept).
   */
  checkpointMissing?: { runId: string; watermarkMs: number } | null;
  /**
   * No checkpoint and no run record, though the digest chain shows a scheduled run and the lake
   * holds hours (the hours held: ingest/lost-checkpoint.ts `heldWithoutState`): both deleted or
   * lost together (a restore that left `state/` out), unless the schedule's first run died before
   * saving an hour. The next scheduled run plans as a first run. Null otherwise (absent: read
   * before it was kept).
   */
  stateMissing?: HeldSpan | null;
  /** Why the checkpoint cannot be read (corrupt); null when it can, or there is none yet. */
  checkpointProblem: string | null;
  /** The checkpoint problem is that a newer version of this project wrote it: update, do not fix it. */
  checkpointNewer: boolean;
  lastRun: LastRun | null;
  /**
   * The last run record says the deployed ingest function wrote it (trigger `schedule`): a schedule
   * runs this lake, and is expected to run again. Records of the command line's runs (the demo's,
   * a local lake's), and those written before the trigger was kept, do not say so.
   */
  scheduled: boolean;
  /**
   * A scheduled lake whose last run was recorded longer ago than the lag alarm's window: no run
   * reported its lag for that long, which fires `<instance>-Lag` while the watermark is still
   * within its threshold (the schedule stopped, or runs never end or record).
   */
  silent: boolean;
  /**
   * A scheduled lake whose last run failed: `<instance>-IngestErrors` fires on it, and a run that
   * fails before planning reports no lag, so `<instance>-Lag` fires too once its window passes,
   * while each such run's record keeps the lake from reading silent.
   */
  failing: boolean;
  /** Why a last-run record that is there reads as none (a newer version wrote it); null otherwise. */
  lastRunProblem: string | null;
  /** Closed hours of the last 7 days (from the lake's first hour, below the watermark) with no coverage. */
  missingHours: number;
  checkedHours: number;
  /**
   * Hours wrong in a way a count of manifests does not show (hour-findings.ts): an unreadable
   * manifest, an events object gone under its manifest, the lake's oldest hours gone. Absent: not
   * read (statuses built before it was kept).
   */
  hours?: HourFindings;
  /** Quarantined entries in the hours of the last 7 days (above the watermark too). */
  quarantined: number;
  /** Events stored in those same hours: what {@link quarantined} is weighed against. */
  eventsStored: number;
  /**
   * Most of what Domo served in the last 7 days was quarantined ({@link isMostlyQuarantined}): the
   * ingest runs, but sets the entries aside instead of storing them (a wrong docTimeZone, a time
   * format Domo changed).
   */
  mostlyQuarantined: boolean;
  /**
   * What the manifests of the last 24 hours (those begun before the current hour) count of entries
   * lacking a watched field and of keys no column reads (lake/field-gap-tally.ts): a field Domo
   * renamed leaves its column empty with nothing quarantined. Null when no manifest of those hours
   * counts its entries (none, or all written before 2026-12-06).
   */
  fieldGaps: FieldGapTotals | null;
  /**
   * The newest hour of those 24 the ingest judged as of a changed entry shape when it stored it
   * (lake/hour-shape-judgement.ts: its entries, or a quiet hour's summed with the hours before it,
   * mostly lack a watched field), the sums it was judged on, and how many of the 24 were judged so
   * (the hours `ShapeChangedHours` counted). Status and verify judge as the ingest does: the sums of
   * the 24 hours hid a busy hour's change among sound hours. Null when none was (absent: read
   * before it was kept).
   */
  shapeChanged?: { windowStartMs: number; changedHours: number; sums: FieldGapTotals } | null;
  /**
   * The entries the manifests of those 24 hours count as quarantined, when they are
   * {@link QUARANTINE_MIN_ENTRIES} or more and at least a tenth of what those hours read (the share
   * whose reasons a run names): the hours since Domo changed a field or its time, which the 7 days'
   * {@link mostlyQuarantined} weighs against a week of sound hours. Null otherwise (absent: read
   * before it was kept).
   */
  recentQuarantine?: RecentQuarantine | null;
  lastReport: { isoWeek: string; state: SentMarker['state']; updatedAt: string; recipients: number } | null;
  /**
   * Keys under the instance's reports/ ending `.sent.json` whose name is no ISO week
   * (`notes.sent.json`, `2026-W47 copy.sent.json`): no report run reads or writes them, so they
   * are skipped, not taken for a week's marker, and listed here to be moved away.
   */
  strayMarkers: string[];
  /**
   * Weeks, oldest first, whose report nothing will send by itself: marker `failed` (refused, or
   * archiving failed), or `sending` long after any run could still be at it (one stopped between
   * claim and outcome). The schedule's runs report the last full week only, so once a later week is
   * sent these would vanish from {@link lastReport}: this is where they stay visible.
   */
  unsentReports: { isoWeek: string; state: 'failed' | 'sending'; updatedAt: string }[];
  /**
   * The corrections of weeks mailed with hours missing (report/week-correction.ts), of the weeks a
   * report run still looks at (the last full week and the 4 before it). Absent: not read (statuses
   * built before it was kept).
   */
  corrections?: ReportCorrections;
  report: WeeklyReportState;
  /**
   * The week the weekly schedule mails next, once it has ended; null unless the report runs weekly.
   * `overdue`: it ended more than {@link REPORT_OVERDUE_MS} ago, and is still not marked sent.
   */
  nextReport: { isoWeek: string; dueAfterMs: number; overdue: boolean } | null;
}

/** What status says of the corrections of an instance's weeks mailed with hours missing. */
export interface ReportCorrections {
  /**
   * Weeks whose last mail covered fewer hours than the week has: a report run corrects one once
   * the lake holds more of them (`heldHours`, by the week's coverage manifests, over
   * `mailedHours`). `refused`: its correction was refused by the mail service (marker `failed`),
   * which the next run sends again.
   */
  awaiting: {
    isoWeek: string;
    mailedHours: number;
    expectedHours: number;
    heldHours: number;
    refused: boolean;
  }[];
  /** Weeks whose correction was mailed (marker `sent`): the hours it covered, and when. */
  sent: { isoWeek: string; coveredHours: number; expectedHours: number; sentAt: string }[];
  /**
   * Corrections their marker blocks for good (`unknown`, or `sending` for over an hour): no run
   * sends one again by itself; `address` is the marker to remove once the inbox is checked.
   */
  stuck: { isoWeek: string; state: SentMarker['state']; since: string; address: string }[];
}

interface StatusOptions {
  nowMs: number;
  /** The lag alarm's threshold (deploy config alarms.lagHours, default 3). */
  lagHours: number;
  /** Time zone of the report weeks (deploy config report.timeZone, default UTC). */
  reportTimeZone: string;
  /**
   * How long the lag alarm waits for a run to report before silence fires it, in minutes (its
   * window: the schedule's longest gap plus the function's timeout plus 5 minutes, in 30-minute
   * periods, at least 2); default {@link DEFAULT_LAG_WINDOW_MINUTES}.
   */
  lagWindowMinutes?: number;
  /**
   * Whether an ingest run's process still runs, where it can be told (a lake on this machine's
   * disk): a run whose process is gone is not taken as catching up ({@link InstanceStatus.ingestStopped}).
   */
  runProcesses?: RunProcesses;
}

/**
 * The lag alarm's window with the shipped ingest schedule, rate(15 minutes), and 10-minute timeout:
 * 15 + 10 + 5 minutes is one 30-minute period, raised to the alarm's least, two.
 */
export const DEFAULT_LAG_WINDOW_MINUTES = 60;

/**
 * How long past the end of its week a report not marked sent is overdue: the schedule mails it on
 * a day of the next week (by default Monday 07:00), and the NoReportSent alarm counts whole days,
 * so it fires at the end of the day the report was due. A schedule on a later day is read from the
 * reports sent ({@link scheduleDelay}).
 */
const REPORT_OVERDUE_MS = DAY_MS;

/** The sent reports whose delay after their week {@link scheduleDelay} weighs: the newest ones. */
const SCHEDULE_SAMPLES = 4;

/**
 * How long after its week's end a report is mailed, in whole days up to 6: the day of the week
 * `report.schedule` fires on, which status cannot read (a Tuesday schedule's week is not overdue on
 * Tuesday morning). The least over the newest sent reports, as each was last marked: a resend,
 * which marks its week again days later, moves one of them only. 0 for the default Monday.
 */
function scheduleDelay(sent: readonly SentWeek[], timeZone: string): number {
  const days = sent.map(({ isoWeek, updatedAt }) => {
    const late = Date.parse(updatedAt) - reportWeek(isoWeek, timeZone).endMs;
    return Number.isFinite(late) ? Math.min(6, Math.max(0, Math.floor(late / DAY_MS))) : 0;
  });
  return days.length === 0 ? 0 : Math.min(...days) * DAY_MS;
}

/** A week whose report is marked sent, and when the marker was last written. */
interface SentWeek {
  isoWeek: string;
  updatedAt: string;
}

const WINDOW_DAYS = 7;
/** The hours whose field counts status sums: a drift day shows at once, and clears a day after. */
export const FIELD_GAP_HOURS = 24;

/** The quarantined entries of the last 24 hours' manifests, and the first and last hour holding some. */
export interface RecentQuarantine {
  quarantined: number;
  /** The entries those 24 hours read: the quarantined ones and the events stored. */
  read: number;
  hours: number;
  firstMs: number;
  lastMs: number;
}

/**
 * Status's QUARANTINE over its 7 days: at least {@link QUARANTINE_MIN_ENTRIES} entries quarantined,
 * and more than half of all the entries (those quarantined and the events stored). Stricter than
 * the `<instance>-Quarantine` alarm (5 % of the new entries of a window of 3 hours or more): the
 * week's label is for a lake that mostly cannot be read, the alarm and the last-24-hours note for a
 * change that hits some actions.
 */
export const isMostlyQuarantined = (quarantined: number, eventsStored: number): boolean =>
  quarantined >= QUARANTINE_MIN_ENTRIES && quarantined > eventsStored;

/**
 * A `sending` marker not updated for this long belongs to a run that stopped: the report function
 * runs at most 15 minutes, and it updates the marker as soon as SES answers.
 */
const STALE_SENDING_MS = HOUR_MS;

const MARKER_SUFFIX = '.sent.json';

/** The week a marker's key names: its file name without `.sent.json`. */
const weekOfMarker = (key: string): string => key.slice(key.lastIndexOf('/') + 1, -MARKER_SUFFIX.length);

/**
 * Whether `label` is an ISO week that exists (`2026-W47`, not `2026-W99`): the only names a report
 * run gives its markers. Any other one, taken for a week, was parsed as one and failed status.
 */
function isWeekLabel(label: string): boolean {
  if (!/^\d{4}-W\d{2}$/.test(label)) return false;
  try {
    reportWeek(label, 'UTC');
    return true;
  } catch {
    return false;
  }
}

/** The keys of the instance's week markers, in week order, and those named like one that are none. */
async function listMarkers(store: ObjectStore, instance: string) {
  const keys: string[] = [];
  const strayMarkers: string[] = [];
  for await (const key of store.list(reportsPrefix(instance))) {
    if (!key.endsWith(MARKER_SUFFIX)) continue;
    (isWeekLabel(weekOfMarker(key)) ? keys : strayMarkers).push(key);
  }
  // Keys are `<YYYY>-W<ww>.sent.json`: sorted, the last is the latest week.
  return { keys: keys.sort(), strayMarkers: strayMarkers.sort() };
}

/**
 * The latest week's marker, every week whose marker says nothing will send it by itself, and the
 * files named like markers that are none of a week's (skipped).
 */
async function readReportMarkers(
  store: ObjectStore,
  instance: string,
  nowMs: number,
): Promise<
  Pick<InstanceStatus, 'lastReport' | 'unsentReports' | 'strayMarkers'> & {
    sent: SentWeek[];
    markers: Map<string, SentMarker>;
  }
> {
  const { keys, strayMarkers } = await listMarkers(store, instance);
  // Every week's marker is read (a failed one stays visible however old): read ahead, one after
  // another 3 years' 156 took ~5 s on S3.
  const readMarker = async (key: string) => {
    const stored = await store.get(key);
    if (!stored) return undefined;
    const isoWeek = weekOfMarker(key);
    return { isoWeek, marker: decodeMarker(stored.body, instance, isoWeek) };
  };
  let lastReport: InstanceStatus['lastReport'] = null;
  const unsentReports: InstanceStatus['unsentReports'] = [];
  const sent: SentWeek[] = [];
  // Each as read, for the corrections of the last weeks: not read twice.
  const markers = new Map<string, SentMarker>();
  // In week order; a marker deleted since the listing is left out.
  for await (const read of readAhead(keys, readMarker)) {
    if (read === undefined) continue;
    const { isoWeek, marker } = read;
    markers.set(isoWeek, marker);
    lastReport = { isoWeek, state: marker.state, updatedAt: marker.updatedAt, recipients: marker.recipients };
    if (marker.state === 'sent') sent.push({ isoWeek, updatedAt: marker.updatedAt });
    const stale = marker.state === 'sending' && nowMs - Date.parse(marker.updatedAt) > STALE_SENDING_MS;
    if (marker.state === 'failed' || stale) {
      unsentReports.push({
        isoWeek,
        state: marker.state === 'failed' ? 'failed' : 'sending',
        updatedAt: marker.updatedAt,
      });
    }
  }
  return { lastReport, unsentReports, strayMarkers, sent: sent.slice(-SCHEDULE_SAMPLES), markers };
}

/**
 * The corrections of the weeks a report run looks at now (the last full week in the report's
 * zone and the 4 before it), as a run reads them: a few GETs a week, and a listing of the
 * coverage of a week mailed with hours missing only.
 */
async function readCorrections(
  store: ObjectStore,
  instance: string,
  { nowMs, reportTimeZone, lastReport }: StatusOptions & Pick<InstanceStatus, 'lastReport'>,
  markers: ReadonlyMap<string, SentMarker>,
): Promise<ReportCorrections> {
  const corrections: ReportCorrections = { awaiting: [], sent: [], stuck: [] };
  // Only a lake the report writes to has any: a week's sent-marker is the first thing read.
  if (lastReport === null) return corrections;
  // The weeks side by side (a few GETs each), told in week order; their sent-markers as read.
  const weeks = correctionWeeks(lastFullWeek(nowMs, reportTimeZone));
  const views = await Promise.all(
    weeks.map((week) => readWeekCorrection(store, instance, week, nowMs, markers.get(week.isoWeek) ?? null)),
  );
  for (const [i, view] of views.entries()) {
    const week = weeks[i] as ReportWeek;
    if (!view) continue;
    const marker = view.read.state;
    const isoWeek = week.isoWeek;
    if (marker && view.blocked?.stuck) {
      const since = marker.state === 'sending' ? marker.claimedAt : marker.updatedAt;
      corrections.stuck.push({ isoWeek, state: marker.state, since, address: view.address });
    }
    if (marker?.state === 'sent') {
      const { coveredHours = 0, expectedHours = 0, updatedAt: sentAt } = marker;
      corrections.sent.push({ isoWeek, coveredHours, expectedHours, sentAt });
    }
    const refused = marker?.state === 'failed';
    if (view.partial) corrections.awaiting.push(await awaiting(store, instance, week, view.partial, refused));
  }
  return corrections;
}

/** A week mailed with hours missing, and how many of them the lake holds now. */
async function awaiting(
  store: ObjectStore,
  instance: string,
  week: ReportWeek,
  mailed: { coveredHours: number; expectedHours: number },
  refused: boolean,
): Promise<ReportCorrections['awaiting'][number]> {
  return {
    isoWeek: week.isoWeek,
    mailedHours: mailed.coveredHours,
    expectedHours: mailed.expectedHours,
    heldHours: await coveredHoursHeld(store, instance, week),
    refused,
  };
}

/**
 * Manifests of `[fromMs, nowHourMs)`: those below `belowMs` (the watermark) counted as covered,
 * and the quarantined entries and stored events of all of them (hours above the watermark hold
 * both too).
 */
async function recentCoverage(
  store: ObjectStore,
  instance: string,
  fromMs: number,
  belowMs: number,
  nowHourMs: number,
) {
  let covered = 0;
  let quarantined = 0;
  let eventsStored = 0;
  const gaps = new FieldGapTally();
  const judge = new HourShapeJudge();
  let changedHours = 0;
  let newestChanged: { windowStartMs: number; sums: FieldGapTotals } | undefined;
  const reads: ManifestRead[] = [];
  const recent: RecentQuarantine = { quarantined: 0, read: 0, hours: 0, firstMs: 0, lastMs: 0 };
  // One unreadable manifest is a finding of its hour (hourFindings), not a status that fails.
  const read = async ({ key, windowStartMs }: { key: string; windowStartMs: number }) => {
    const stored = await store.get(key);
    return manifestRead(
      windowStartMs,
      () => storedCoverageOf(store, instance, windowStartMs, stored)?.manifest,
    );
  };
  const keys = (stop: AbortSignal) =>
    coverageKeys(store, instance, fromMs, Math.max(fromMs, nowHourMs), stop);
  for await (const { manifest, read: seen } of readAhead(keys, read)) {
    if (seen) reads.push(seen);
    // The week before the 24 hours is read for the look back of their quiet hours.
    const changed = seen && judge.changed(seen.hourMs, manifest ?? null);
    if (!manifest) continue;
    quarantined += manifest.quarantined_count;
    eventsStored += manifest.event_count;
    if (manifest.window_start_ms >= nowHourMs - FIELD_GAP_HOURS * HOUR_MS) {
      gaps.add(manifest);
      addQuarantined(recent, manifest);
      if (changed) {
        changedHours++;
        newestChanged = { windowStartMs: manifest.window_start_ms, sums: changed };
      }
    }
    if (manifest.window_start_ms >= belowMs) continue;
    covered++;
  }
  const shapeChanged = newestChanged ? { ...newestChanged, changedHours } : null;
  const recentQuarantine = recentQuarantineOf(recent);
  return {
    covered,
    quarantined,
    eventsStored,
    fieldGaps: gaps.result(),
    shapeChanged,
    recentQuarantine,
    reads,
  };
}

/** Adds an hour's manifest (walked in time order) to the tally of the last 24 hours' quarantine. */
function addQuarantined(recent: RecentQuarantine, manifest: CoverageManifest): void {
  recent.read += manifest.quarantined_count + manifest.event_count;
  if (manifest.quarantined_count === 0) return;
  recent.quarantined += manifest.quarantined_count;
  if (recent.hours === 0) recent.firstMs = manifest.window_start_ms;
  recent.hours++;
  recent.lastMs = manifest.window_start_ms;
}

/** The tally when its entries are enough to tell ({@link InstanceStatus.recentQuarantine}); null otherwise. */
const recentQuarantineOf = (recent: RecentQuarantine): RecentQuarantine | null =>
  recent.quarantined >= QUARANTINE_MIN_ENTRIES && recent.quarantined >= recent.read * QUARANTINE_REASONS_SHARE
    ? recent
    : null;

/**
 * Whether the report runs, and the week its schedule mails next: last week until its report is
 * marked sent, then the current week, due once it has ended (the schedule runs after that, e.g.
 * Mondays 07:00). A report that does not run has no week due: saying one is would be a false alarm.
 */
function reportSchedule(
  nowMs: number,
  timeZone: string,
  last: InstanceStatus['lastReport'],
  sent: readonly SentWeek[],
): Pick<InstanceStatus, 'report' | 'nextReport'> {
  if (last === null) return { report: 'not-enabled', nextReport: null };
  const previous = lastFullWeek(nowMs, timeZone);
  // `YYYY-Www` labels sort in time order. A report of the week before last still reads as weekly:
  // last week's may be due later today (a Monday before the scheduled hour).
  if (last.isoWeek < previousWeek(previous).isoWeek) return { report: 'stopped', nextReport: null };
  const grace = REPORT_OVERDUE_MS + scheduleDelay(sent, timeZone);
  const due = (isoWeek: string, dueAfterMs: number) => ({
    report: 'weekly' as const,
    nextReport: { isoWeek, dueAfterMs, overdue: nowMs - dueAfterMs > grace },
  });
  if (last.isoWeek !== previous.isoWeek || last.state !== 'sent')
    return due(previous.isoWeek, previous.endMs);
  const current = currentWeek(nowMs, timeZone);
  return due(current.isoWeek, current.endMs);
}

/**
 * Whether a schedule runs the lake, and has gone quiet for longer than the lag alarm waits. Only a
 * record the deployed function wrote says a schedule runs it: a local lake is run by hand, and
 * would otherwise read as silent for good between its runs.
 */
function scheduleSilence(
  lastRun: LastRun | null,
  nowMs: number,
  windowMinutes: number,
): Pick<InstanceStatus, 'scheduled' | 'silent' | 'failing'> {
  const scheduled = lastRun?.trigger === 'schedule';
  return {
    scheduled,
    silent: scheduled && nowMs - (lastRun?.finished_at_ms ?? nowMs) > windowMinutes * MINUTE_MS,
    failing: scheduled && lastRun?.outcome === 'failed',
  };
}

/**
 * A lake without a checkpoint (one that reads) and without a scheduled run recorded, yet with
 * hours covered, was filled by explicit ranges only: no schedule stalled there. A scheduled run
 * that ran and saved nothing leaves its record, and keeps such a lake late; so does one killed
 * before it could record itself, through the digest it opened the chain with.
 */
async function rangeOnlyExtent(
  store: ObjectStore,
  instance: string,
  read: { watermarkMs: number | null; checkpointProblem: string | null; ranBefore: boolean },
  nowMs: number,
): Promise<Pick<InstanceStatus, 'rangeOnly' | 'stateMissing'>> {
  const none = { rangeOnly: null, stateMissing: null };
  if (read.watermarkMs !== null || read.checkpointProblem !== null || read.ranBefore) return none;
  // A manifest of an hour not begun is forged (verify names it): it must not stretch the span.
  const extent = await heldSpan(store, instance, futureHoursFrom(nowMs));
  if (!extent) return none;
  // Read only for a lake that would pass for range-only: a batch of GETs of the chain. Hours held
  // after a scheduled run, with neither the checkpoint nor the run record there, are the ingest's
  // sign of both lost (lost-checkpoint.ts heldWithoutState).
  return (await scheduledRunBegun(store, instance))
    ? { rangeOnly: null, stateMissing: extent }
    : { rangeOnly: extent, stateMissing: null };
}

/**
 * The run catching up on a late lake, if one is; else one that would read as one but whose process
 * is gone (it stopped without ending).
 */
async function lateRuns(
  store: ObjectStore,
  instance: string,
  { nowMs, runProcesses }: StatusOptions,
): Promise<Pick<InstanceStatus, 'ingestRunning' | 'ingestStopped'>> {
  const { running, stopped } = await openRuns(store, instance, nowMs, runProcesses);
  const [run] = running;
  if (run) return { ingestRunning: { runId: run.runId, lastWriteAt: run.lastWriteAt }, ingestStopped: null };
  const [gone] = stopped;
  return {
    ingestRunning: null,
    ingestStopped: gone ? { runId: gone.runId, lastWriteAt: gone.lastWriteAt, pid: gone.pid } : null,
  };
}

/**
 * Reads what an instance's lake says about its health: the checkpoint, the last run record, the
 * coverage manifests of the last 7 days (and, without a checkpoint, the span of hours covered) and
 * the sent-markers. Reads only (list and get).
 */
export async function readInstanceStatus(
  store: ObjectStore,
  instance: string,
  options: StatusOptions,
): Promise<InstanceStatus> {
  const { nowMs } = options;
  // Read beside the rest, not after it: two small objects, whose round trips would add to every
  // instance's. A failed read of either says nothing worse than its absence.
  const owner = Promise.all([
    readBoundCustomer(store, instance).catch(() => undefined),
    readRetired(store, instance).catch(() => null),
  ]).then(([customer, retired]) => ({ customer: customer ?? null, retired }));
  const skipped = readSkippedHours(store, instance, nowMs).catch((error: unknown) => ({
    unreadable: errorMessage(error),
  }));
  // One unreadable checkpoint must not hide every other instance's status: say what is wrong.
  let checkpointProblem: string | null = null;
  let checkpointNewer = false;
  const checkpoint = await readCheckpoint(store, instance).catch((error: unknown) => {
    checkpointProblem = errorMessage(error);
    checkpointNewer = error instanceof NewerVersionError;
    return undefined;
  });
  const watermarkMs = checkpoint?.checkpoint.watermark_ms ?? null;
  const behindMs = watermarkMs === null ? null : Math.max(0, nowMs - watermarkMs);
  const run = await readLastRunForStatus(store, instance);
  const lastRun = run.lastRun ?? null;
  const lastRunProblem = run.newer ?? null;
  const { rangeOnly, stateMissing } = await rangeOnlyExtent(
    store,
    instance,
    {
      watermarkMs,
      checkpointProblem,
      // A record a newer version wrote is a scheduled run recorded all the same.
      ranBefore: lastRun !== null || lastRunProblem !== null,
    },
    nowMs,
  );
  const fromMs = floorHour(nowMs) - WINDOW_DAYS * DAY_MS;
  // A range-only lake is checked up to its last hour: a gap inside its ranges is still a gap.
  const toMs = Math.min(watermarkMs ?? rangeOnly?.toMs ?? fromMs, floorHour(nowMs));
  const coverage = await recentCoverage(store, instance, fromMs, toMs, floorHour(nowMs));
  // A lake younger than a week is checked from its first hour only, the lake's and not the
  // window's: hours missing at the window's start of an older lake are missing all the same.
  const firstMs = rangeOnly ? rangeOnly.fromMs : await firstCoveredHour(store, instance);
  const hours = await hourFindings(store, instance, coverage.reads, {
    fromMs,
    toMs: floorHour(nowMs),
    firstMs,
    maxDays: lastRun?.max_days,
    nowMs,
    completeBeforeMs: completeBefore(
      checkpoint?.checkpoint,
      rangeOnly === null && checkpointProblem === null,
    ),
    repullAt: repullAt(
      checkpointMarksOf(checkpoint?.checkpoint),
      recordedFinality(lastRun ?? undefined, instance, acceptsSetting),
    ),
    skipped: await skipped,
  });
  const checkedHours = Math.max(0, Math.round((toMs - checkedFrom(fromMs, toMs, firstMs, hours)) / HOUR_MS));
  const { lastReport, unsentReports, strayMarkers, sent, markers } = await readReportMarkers(
    store,
    instance,
    nowMs,
  );
  const corrections = await readCorrections(store, instance, { ...options, lastReport }, markers);
  const late = rangeOnly === null && (behindMs === null || overLagThreshold(behindMs, options.lagHours));
  // Read only when it can change what is said: the chain's tail costs a batch of GETs.
  const runs = late ? await lateRuns(store, instance, options) : { ingestRunning: null, ingestStopped: null };
  // From the head the last run recorded: a probe and a listing, not a search from digest 0.
  const endsAt = await readDigestHeadSequence(store, instance, lastRun?.digest_head);
  const unsealedEnd = await unsealedChainEnd(store, instance, endsAt);
  // Whether its run still runs: a note that says "died or still runs" leaves the operator to guess.
  const unsealedHead = unsealedEnd
    ? { ...unsealedEnd, run: await unsealedRunState(unsealedEnd, { ...options, lastRun }) }
    : null;
  return {
    instance,
    ...(await owner),
    watermarkMs,
    behindMs,
    catchUp: catchUpOf(lastRun, behindMs),
    rangeOnly,
    late,
    ...runs,
    unsealedHead,
    chainShorter: await cutChain(store, instance, lastRun, endsAt),
    skippedNoteProblem: skippedNoteProblemOf(await skipped),
    ahead: watermarkMs !== null && watermarkMs > nowMs + WATERMARK_AHEAD_TOLERANCE_MS,
    checkpointMissing: checkpointMissingOf(checkpoint, checkpointProblem, lastRun),
    stateMissing,
    checkpointProblem,
    checkpointNewer,
    lastRun,
    lastRunProblem,
    ...scheduleSilence(lastRun, nowMs, options.lagWindowMinutes ?? DEFAULT_LAG_WINDOW_MINUTES),
    missingHours: Math.max(0, checkedHours - coverage.covered),
    hours,
    checkedHours,
    quarantined: coverage.quarantined,
    eventsStored: coverage.eventsStored,
    mostlyQuarantined: isMostlyQuarantined(coverage.quarantined, coverage.eventsStored),
    fieldGaps: coverage.fieldGaps,
    shapeChanged: coverage.shapeChanged,
    recentQuarantine: coverage.recentQuarantine,
    lastReport,
    unsentReports,
    strayMarkers,
    corrections,
    ...reportSchedule(nowMs, options.reportTimeZone, lastReport, sent),
  };
}

/**
 * Where the hours checked for coverage begin: the window's start, or the lake's first hour if
 * later. A lake with no manifest left has no first hour: its hours found uncovered (from where the
 * schedule began, hour-findings.ts) are checked, so `missing 7d` counts them as the state DAMAGED
 * does, not `-` (review STATUS2).
 */
function checkedFrom(fromMs: number, toMs: number, firstMs: number | undefined, hours: HourFindings): number {
  if (firstMs !== undefined) return Math.max(fromMs, firstMs);
  const found = [...hours.uncovered, ...(hours.awaitingRepull?.hours ?? []), ...(hours.skipped?.hours ?? [])];
  return found.length === 0 ? toMs : Math.max(fromMs, Math.min(...found));
}

/**
 * No checkpoint (none there, not one that fails to read) while the run record names a watermark:
 * it was deleted or lost, by the ingest's own rule (lost-checkpoint.ts).
 */
const checkpointMissingOf = (
  checkpoint: unknown,
  checkpointProblem: string | null,
  lastRun: LastRun | null,
): InstanceStatus['checkpointMissing'] =>
  checkpoint === undefined && checkpointProblem === null ? (watermarkRecordedBy(lastRun) ?? null) : null;

/** Why the note of hours skipped on purpose cannot be read, with its key; null: read, or none. */
const skippedNoteProblemOf = (note: SkippedHours | undefined): string | null =>
  note && 'unreadable' in note ? note.unreadable : null;

/** The catch-up estimate at the last run's pace (see `InstanceStatus.catchUp`). */
function catchUpOf(lastRun: LastRun | null, behindMs: number | null): InstanceStatus['catchUp'] {
  const movedMs = lastRun?.watermark_moved_ms;
  if (lastRun?.outcome !== 'stopped-early' || movedMs === undefined || behindMs === null) return null;
  const runsLeft = runsLeftAtPace(behindMs, movedMs);
  return runsLeft === undefined ? null : { lastRunMovedMs: movedMs, runsLeft };
}

/**
 * The instance's retired note, if the operator wrote one: any object there retires it, whatever it
 * holds (a hand-written note need not be exact); its `reason` is quoted when it is a string.
 */
async function readRetired(store: ObjectStore, instance: string): Promise<{ reason: string } | null> {
  const stored = await store.get(retiredMarkerKey(instance));
  if (!stored) return null;
  try {
    const reason = (JSON.parse(new TextDecoder().decode(stored.body)) as { reason?: unknown }).reason;
    return { reason: typeof reason === 'string' ? reason : '' };
  } catch {
    return { reason: '' };
  }
}

/**
 * The chain cut before the head the last run recorded, unless the chain there now was begun after
 * that run (a restart of the chain whose own record was never written): the ingest's rule
 * (chain-cut-guard.ts), so status says `CUT` exactly when the ingest refuses.
 */
async function cutChain(
  store: ObjectStore,
  instance: string,
  lastRun: LastRun | null,
  endsAt: number | undefined,
): Promise<ChainShorterThanRecorded | null> {
  const shorter = chainShorterThanRecorded(lastRun, endsAt);
  if (shorter === undefined || lastRun === null) return null;
  const begunAfter =
    endsAt !== undefined && (await chainBegunAfter(store, instance, lastRun).catch(() => false));
  return begunAfter ? null : shorter;
}

/**
 * Where the hours the checkpoint says are complete end: its watermark, or the hour before it the
 * next run must pull again (`retry_from_ms`). Without one, none is complete on a lake of scheduled
 * runs (`scheduled`: its first run's watermark has not moved yet); unknown otherwise (range pulls
 * only, or a checkpoint that cannot be read, reported on its own).
 */
function completeBefore(checkpoint: Checkpoint | undefined, scheduled: boolean): number | undefined {
  if (checkpoint === undefined) return scheduled ? Number.NEGATIVE_INFINITY : undefined;
  const retry = checkpoint.retry_from_ms;
  return retry !== undefined && retry < checkpoint.watermark_ms ? retry : checkpoint.watermark_ms;
}
