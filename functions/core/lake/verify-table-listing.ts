import type { ObjectStore } from '../ports.ts';
import { DAY_MS } from '../time-units.ts';
import { extentOf } from './coverage.ts';
import {
  activityKey,
  coverageKey,
  hourNameStart,
  type LakeTable,
  quarantineKey,
  tableInstancePrefix,
  windowStartFromKey,
} from './layout.ts';
import { rangesByGap } from './ranges-by-gap.ts';
import { MAX_LISTED, type VerifyReport } from './verify-report.ts';

/** The key each table gives the hour starting at `windowStartMs`. */
const HOUR_KEYS = {
  activity_log: activityKey,
  coverage: coverageKey,
  quarantine: quarantineKey,
} as const satisfies Record<LakeTable, (instance: string, windowStartMs: number) => string>;

/** The hours a verify checks, and the first hour that has not begun (none: not judged). */
interface ScannedHours {
  fromMs: number;
  toMs: number;
  futureFromMs?: number | undefined;
  /** The whole lake is checked: a stray file of any day is named, not only of the days checked. */
  allDays?: boolean;
  /** Hours before it have aged out by policy: what is left of them is no hold before the lake. */
  agedOutBeforeMs?: number | undefined;
}

/**
 * Lists the instance's tables: counts the hours of `bounds` holding events but no manifest (an
 * interrupted pull) and those holding only a quarantine object ({@link VerifyReport.quarantineOnly}),
 * and for the whole lake those before its start holding events or quarantined entries
 * ({@link VerifyReport.heldBeforeLake}), records every key that is not an hour's object of its table
 * (a stray file a query reads all the same), of any day for the whole lake, else of the days of
 * `bounds`, of days not over yet, or with no day folder at all, and every object of an hour that has
 * not begun, a stray file named for one too, wherever it lies. Lists keys only: a LIST per thousand
 * keys on S3, the future hours' included, and those before the lake's start (no LIST or GET more for
 * them). Returns the hours after the whole lake's end, before those not begun, holding events or
 * quarantined entries but no manifest ({@link isAfterLake}), for verify-lake.ts to judge.
 */
export async function scanTables(
  store: ObjectStore,
  instance: string,
  bounds: ScannedHours,
  { covered, noneQuarantined }: { covered: ReadonlySet<number>; noneQuarantined: ReadonlySet<number> },
  report: VerifyReport,
): Promise<{ after: Set<number>; quarantinedWhereNone: Set<number> }> {
  const before = new Set<number>();
  const held: HeldHours = {
    events: new Set(),
    quarantineOnly: new Set(),
    after: new Set(),
    coveredAfter: new Set(),
    quarantinedWhereNone: new Set(),
  };
  for (const table of TABLES_LISTED) {
    for await (const key of store.list(tableInstancePrefix(table, instance))) {
      const start = windowStartFromKey(key);
      if (start === undefined || key !== HOUR_KEYS[table](instance, start)) {
        noteStray(report, key, bounds);
      } else if (isBeforeLake(start, bounds)) {
        before.add(start);
      } else {
        const hour = { instance, table, key, start };
        await scanHourObject(store, hour, { bounds, covered, noneQuarantined, held }, report);
      }
    }
  }
  noteHeldBeforeLake(report, before);
  const quarantineOnly = extentOf(held.quarantineOnly);
  if (quarantineOnly !== null)
    report.quarantineOnly = {
      hourCount: quarantineOnly.hours,
      fromMs: quarantineOnly.fromMs,
      toMs: quarantineOnly.toMs,
      ranges: rangesByGap(held.quarantineOnly, report.gaps),
    };
  // A manifest listed after the check's end: a run wrote it since the span was set, so its hour is
  // being covered, not held without one.
  for (const start of held.coveredAfter) held.after.delete(start);
  return { after: held.after, quarantinedWhereNone: held.quarantinedWhereNone };
}

/**
 * The tables in the order they are listed: the events first, so that by the time the quarantine
 * table is listed the hours in range holding events but no manifest are known, and a quarantine
 * object of such an hour is not counted again as one of an hour holding quarantined entries only.
 */
const TABLES_LISTED: readonly LakeTable[] = ['activity_log', 'coverage', 'quarantine'];

/** The hours with no manifest listed, as the listing finds them ({@link scanHourObject}). */
interface HeldHours {
  /** In range, holding an events object. */
  events: Set<number>;
  /** In range, holding a quarantine object, but neither an events object nor a manifest. */
  quarantineOnly: Set<number>;
  /** After the whole lake's end, before hours not begun: holding events or a quarantine object. */
  after: Set<number>;
  /** After the whole lake's end: holding a manifest (written since the span was set). */
  coveredAfter: Set<number>;
  /** Covered, their manifest counting no quarantined entry, and a quarantine object listed. */
  quarantinedWhereNone: Set<number>;
}

/**
 * Whether an hour's object lies before the whole lake's start (not future), but not among the
 * hours aged out by policy (what S3 has not expired yet of them): no manifest does (the coverage
 * listing found none before it), so its hour holds objects but no manifest. A range asked
 * for leaves the hours before it out, as it leaves out their stray files.
 */
const isBeforeLake = (start: number, bounds: ScannedHours): boolean =>
  bounds.allDays === true &&
  start < bounds.fromMs &&
  start >= (bounds.agedOutBeforeMs ?? Number.NEGATIVE_INFINITY) &&
  !isFuture(start, bounds);

/**
 * Whether an hour's object lies after the whole lake's end (its last covered hour, or the
 * watermark) and before the first hour not begun: judged only given now (`futureFromMs`), which
 * the read of the runs in progress needs too. A range asked for leaves the hours after it out.
 */
const isAfterLake = (start: number, bounds: ScannedHours): boolean =>
  bounds.allDays === true && bounds.futureFromMs !== undefined && start >= bounds.toMs;

function noteHeldBeforeLake(report: VerifyReport, hours: ReadonlySet<number>): void {
  const extent = extentOf(hours);
  if (extent !== null)
    report.heldBeforeLake = {
      hourCount: extent.hours,
      fromMs: extent.fromMs,
      toMs: extent.toMs,
      repull: { fromMs: extent.fromMs, toMs: report.fromMs ?? extent.toMs },
    };
}

/**
 * An object of an hour, as listed: of an hour not begun, of an hour after the whole lake's end
 * ({@link isAfterLake}: its manifest too, which takes the hour out), or of an hour in range not
 * covered (its events; its quarantine object when the hour holds no events either, unless a run in
 * progress pulls it: {@link VerifyReport.quarantineOnly}).
 */
async function scanHourObject(
  store: ObjectStore,
  { instance, table, key, start }: { instance: string; table: LakeTable; key: string; start: number },
  {
    bounds,
    covered,
    noneQuarantined,
    held,
  }: {
    bounds: ScannedHours;
    covered: ReadonlySet<number>;
    noneQuarantined: ReadonlySet<number>;
    held: HeldHours;
  },
  report: VerifyReport,
): Promise<void> {
  if (table === 'quarantine' && noneQuarantined.has(start)) held.quarantinedWhereNone.add(start);
  if (isFuture(start, bounds)) {
    noteFuture(report, key, start);
    return;
  }
  if (isAfterLake(start, bounds)) {
    (table === 'coverage' ? held.coveredAfter : held.after).add(start);
    return;
  }
  if (!inRangeUncovered(start, bounds, covered)) return;
  if (table === 'activity_log') {
    held.events.add(start);
    await noteUncovered(store, instance, start, report);
  } else if (table === 'quarantine' && !held.events.has(start) && !isBeingWritten(report, start)) {
    held.quarantineOnly.add(start);
  }
}

/** Whether a run in progress pulls the hour starting at `start` ({@link VerifyReport.beingWritten}). */
const isBeingWritten = (report: VerifyReport, start: number): boolean =>
  report.beingWritten?.hours.some((h) => start >= h.fromMs && start < h.toMs) === true;

/** Counts the hour of an events object in range whose manifest was not listed. */
async function noteUncovered(
  store: ObjectStore,
  instance: string,
  start: number,
  report: VerifyReport,
): Promise<void> {
  // Read once, so a folder in its place on a disk (which a listing walks into, not past) is
  // refused by name, not counted as an interrupted pull.
  await store.get(coverageKey(instance, start));
  countEventsWithoutManifest(report, start);
}

const isFuture = (start: number, { futureFromMs }: ScannedHours): boolean =>
  futureFromMs !== undefined && start >= futureFromMs;

function noteFuture(report: VerifyReport, key: string, windowStartMs: number): void {
  report.futureObjectCount++;
  if (report.futureObjects.length < MAX_LISTED) report.futureObjects.push({ key, windowStartMs });
}

/** Whether the hour starting at `start` is in `bounds` and no manifest of it was listed. */
const inRangeUncovered = (
  start: number,
  { fromMs, toMs }: { fromMs: number; toMs: number },
  covered: ReadonlySet<number>,
): boolean => start >= fromMs && start < toMs && !covered.has(start);

/**
 * Counts the hour of an events object in range that has no manifest: a pull between its two
 * writes, in progress or interrupted.
 */
function countEventsWithoutManifest(report: VerifyReport, start: number): void {
  const writing = report.beingWritten;
  if (writing && isBeingWritten(report, start)) writing.withEventsOnly++;
  else report.interruptedWindows++;
}

/**
 * Records a key that is no hour's object of its table: as an object of an hour not begun when its
 * file name names one, wherever it lies (`dt=2020-01-01/2026-12-21T00.ndjson.gz` is read by a
 * query of the whole lake as surely as one in its own day); otherwise as a foreign key when
 * {@link inDays}.
 */
function noteStray(report: VerifyReport, key: string, bounds: ScannedHours): void {
  const named = hourNamedBy(key);
  if (named !== undefined && isFuture(named, bounds)) noteFuture(report, key, named);
  else if (inDays(key, bounds)) noteForeign(report, key);
}

/** The hour a key's file name starts with (`<date>T<hour>`, whatever follows), if it names one. */
function hourNamedBy(key: string): number | undefined {
  const match = /(?:^|\/)(\d{4}-\d{2}-\d{2}T\d{2})[^/]*$/.exec(key);
  return match ? hourNameStart(match[1] as string) : undefined;
}

/**
 * Whether a stray `key` is the check's to name: any, for the whole lake (no honest run writes
 * anything but hour objects there, and a query of the whole lake reads them); else one whose day
 * folder (`dt=`) is one of the days `bounds` touches, or a day that holds an hour not begun (no
 * range reaches those, so no check would name a file there); or one with no day folder.
 */
function inDays(key: string, { fromMs, toMs, futureFromMs, allDays }: ScannedHours): boolean {
  if (allDays) return true;
  const day = /\/dt=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];
  const dayMs = day === undefined ? Number.NaN : Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(dayMs)) return true;
  const endMs = dayMs + DAY_MS;
  return (endMs > fromMs && dayMs < toMs) || (futureFromMs !== undefined && endMs > futureFromMs);
}

export function noteForeign(report: VerifyReport, key: string): void {
  report.foreignKeyCount++;
  if (report.foreignKeys.length < MAX_LISTED) report.foreignKeys.push(key);
}
