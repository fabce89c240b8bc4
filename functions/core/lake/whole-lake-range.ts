import type { ObjectStore } from '../ports.ts';
import { DAY_MS, floorHour } from '../time-units.ts';
import type { CheckpointMarks } from './checkpoint-marks.ts';
import { MAX_BACKFILL_DAYS } from './closed-hours.ts';
import { type CoveredExtent, coveredExtent } from './coverage.ts';
import { futureHoursFrom } from './future-hours.ts';
import { readLinkedDigest } from './genesis-link.ts';
import { digestKey } from './layout.ts';

/**
 * The start of a verify without a range, when a record of the lake puts it before the first
 * covered hour (hours deleted from the lake's start are then a gap).
 */
export interface LakeBegan {
  fromMs: number;
  /** The record: the checkpoint's `plan_from_ms`, or the genesis digest's `from_ms`. */
  from: 'checkpoint' | 'genesis';
  /** The first covered hour; null: none. */
  coveredFromMs: number | null;
  /**
   * The start lies further before the first covered hour (or, with none, the range's end) than any
   * ingest backfills: the record looks edited, and hours that old cannot be pulled again.
   */
  looksEdited: boolean;
}

/**
 * The hours a verify checks. A verify without a range also knows where the first covered hour is
 * (`listFromMs`: no manifest lies before it, so none is listed for) and what set its start.
 */
export interface VerifyBounds {
  fromMs: number;
  toMs: number;
  listFromMs?: number;
  began?: LakeBegan;
  /**
   * The bounds of the whole lake ({@link wholeLakeRange}), not a range asked for: a stray file of
   * any day is then the check's to name, not only those of the days checked.
   */
  wholeLake?: true;
  /**
   * Where the hours the lake has aged out by `retention.maxDays` end (aged-out.ts): objects of
   * hours before it are no hold before the lake's start.
   */
  agedOutBeforeMs?: number;
  /**
   * The chain's first digest, whose `from_ms` says where the lake began, is gone while the next is
   * there, or is not the one the next digest names (its SHA-256 differs): deleted, edited or
   * replaced, so the start it gives cannot be trusted, and one moved on (or gone) hides the oldest
   * hours deleted (review STATUS7). Its key.
   */
  startUnlinked?: string;
}

/** The most days any ingest run backfills: a recorded start further back than that looks edited. */
const MAX_BACKFILL_MS = MAX_BACKFILL_DAYS * DAY_MS;

/**
 * What a verify without a range checks: from where the lake began ({@link recordedStart}, or its
 * first covered hour when that is earlier or nothing says) over every covered hour, and on to the
 * watermark, so hours whose manifests are gone are gaps at either end, the oldest ones too;
 * undefined for a lake with no hour to check. Given `nowMs`, not past the start of the current
 * hour: a watermark edited ahead of now vouches for no hour that has not ended, and its hours would
 * be gaps no ingest can fill (as an explicit range is clipped); nor do manifests of hours that
 * have not begun ({@link futureHoursFrom}) extend it.
 */
export async function wholeLakeRange(
  store: ObjectStore,
  instance: string,
  { watermarkMs, planFromMs }: Pick<CheckpointMarks, 'watermarkMs' | 'planFromMs'>,
  nowMs?: number,
): Promise<VerifyBounds | undefined> {
  // Manifests of hours not begun are no hours to check (each is a finding, futureObjects): counted,
  // one forged 16 days ahead made every hour up to it a gap to fill with an ingest that refuses them.
  const [extent, genesis] = await Promise.all([
    coveredExtent(store, instance, nowMs === undefined ? undefined : futureHoursFrom(nowMs)),
    genesisStart(store, instance),
  ]);
  const began = recordedStart(genesis.fromMs, planFromMs);
  const unlinked = genesis.unlinked ? { startUnlinked: digestKey(instance, 0) } : {};
  const fromMs = Math.min(
    extent?.fromMs ?? Number.POSITIVE_INFINITY,
    began?.fromMs ?? Number.POSITIVE_INFINITY,
  );
  const toMs = lakeEndOf(extent, watermarkMs, nowMs);
  if (!(fromMs < toMs)) return undefined;
  // The coverage prefix was just listed whole: no manifest lies before its first hour.
  const listFromMs = extent?.fromMs ?? toMs;
  if (began === undefined || began.fromMs >= listFromMs)
    return { fromMs, toMs, listFromMs, wholeLake: true, ...unlinked };
  const looksEdited = listFromMs - began.fromMs > MAX_BACKFILL_MS;
  return {
    fromMs,
    toMs,
    listFromMs,
    wholeLake: true,
    began: { ...began, coveredFromMs: extent?.fromMs ?? null, looksEdited },
    ...unlinked,
  };
}

/**
 * Where a verify without a range ends ({@link wholeLakeRange}), for a range given only its start:
 * past it, an hour that has settled but that no run has pulled yet is no gap (the next scheduled
 * run pulls it), as it is none for a verify without a range. Negative infinity: nothing says.
 */
export async function wholeLakeEnd(
  store: ObjectStore,
  instance: string,
  watermarkMs: number | null,
  nowMs: number,
) {
  const extent = await coveredExtent(store, instance, futureHoursFrom(nowMs));
  return lakeEndOf(extent, watermarkMs, nowMs);
}

/** The last covered hour's end, or the watermark when later (not past the start of the current hour). */
function lakeEndOf(
  extent: CoveredExtent | null,
  watermarkMs: number | null,
  nowMs: number | undefined,
): number {
  const recorded = Math.min(
    watermarkMs ?? 0,
    nowMs === undefined ? Number.POSITIVE_INFINITY : floorHour(nowMs),
  );
  return Math.max(extent?.toMs ?? Number.NEGATIVE_INFINITY, recorded);
}

/**
 * The first hour the lake's own records say it holds, and which record says so: the earlier of the
 * first hour the genesis digest's run pulled and the first hour the run that last moved the
 * checkpoint planned (`plan_from_ms`: it read every hour from there to the watermark). Without it,
 * a verify started at the first covered hour, so the oldest hours deleted with their manifests
 * left no gap (review R-HOSTILE). The digest's, when it is a genesis and an ingest run's (`enrich`
 * gives the hours it was asked for, not the lake's); the chain's first digest, so one small read (a
 * genesis adopting a lake written before digests lists every object: a few MB a year). Undefined:
 * neither says.
 */
function recordedStart(
  genesisMs: number | undefined,
  planMs: number | undefined,
): Pick<LakeBegan, 'fromMs' | 'from'> | undefined {
  if (planMs !== undefined && (genesisMs === undefined || planMs < genesisMs))
    return { fromMs: planMs, from: 'checkpoint' };
  return genesisMs === undefined ? undefined : { fromMs: genesisMs, from: 'genesis' };
}

/**
 * The first hour the chain's genesis digest says its ingest run pulled (undefined when it says
 * none), and whether it is gone while the next is there or the next names other bytes than its
 * own (`unlinked`): a genesis deleted or edited so is no record of the start (review STATUS7: a `from_ms` moved on to the first hour left hid
 * the oldest hours deleted). One GET more, the next digest, read beside it; a chain of one digest,
 * or a next digest that does not decode, is not judged (the integrity check reports the latter).
 */
async function genesisStart(
  store: ObjectStore,
  instance: string,
): Promise<{ fromMs: number | undefined; unlinked: boolean }> {
  const { digest, unlinked } = await readLinkedDigest(store, instance, 0);
  if (digest === undefined) return { fromMs: undefined, unlinked };
  const byIngest = digest.mode !== undefined || !digest.run_id.startsWith('enrich-');
  const fromMs =
    digest.genesis && byIngest && digest.from_ms !== null ? floorHour(digest.from_ms) : undefined;
  return { fromMs, unlinked };
}
