import type { Checkpoint } from '../lake/checkpoint.ts';
import { dueHours } from '../lake/later-pull-due.ts';
import { floorHour, HOUR_MS } from '../time-units.ts';

/**
 * How many runs try the later pull of an hour before it is given up. A failure past the client's
 * own retries is often passing (Domo answering 503 for a while, a timeout, a failed write), so the
 * next runs try it again; an hour that fails every time (a damaged object, a refusal) is given up
 * after this many, so it holds the later pulls of no other hour for good (review R-REPULL F1,
 * R-FINAL F4). A configuration error is no try: it says nothing of the hour.
 */
export const LATER_PULL_TRIES = 3;

/**
 * Ranges of `repull_done` kept at most: past this, the narrowest ones are dropped, and their hours
 * are pulled once more (a few requests, never an hour missed). Runs leave one or two.
 */
const MAX_DONE_RANGES = 16;

/** The checkpoint's later-pull fields (see Checkpoint): what a run reads and writes. */
type LaterPullFields = Pick<Checkpoint, 'repull_from_ms' | 'repull_done' | 'repull_tries'>;

/**
 * The hours a scheduled run pulls once more, `repullAfterHours` after they were young enough to
 * miss events Domo serves late, and what it knows of the hours due such a pull when it starts.
 */
export interface LaterPullPlan {
  /** The later hours the run pulls (after its other hours), oldest first. */
  hours: number[];
  /** Every hour due its later pull when the run starts (before the watermark it read). */
  due: ReadonlySet<number>;
  /** The first hour that ended less than R before the run: pulled from here on, it stays due. */
  youngFromMs: number;
  /**
   * Failed tries of due hours so far, by hour (the checkpoint's `repull_tries`); 0 for an hour of a
   * span that failed as a whole, which is pulled alone to learn which of its hours fails.
   */
  tries: ReadonlyMap<number, number>;
}

interface LaterPullInputs {
  /** The stored watermark the run starts from; undefined: no checkpoint (a first run). */
  watermarkMs: number | undefined;
  /** The first hour of the run's other pulls (its lookback, or a held hour). */
  planFirstMs: number;
  /** Exclusive end of the hours the run pulls. */
  planEndMs: number;
  /** The run's start. */
  nowMs: number;
  repullAfterHours: number;
  /** The checkpoint's later-pull fields as read. */
  read: LaterPullFields;
  /** The earliest hour a later pull reaches: Domo keeps nothing older (its retention). */
  reachFromMs: number;
}

/**
 * The later pulls of a scheduled run, derived from the checkpoint and the run's time alone, so each
 * hour gets one however runs fail, retry or catch up. An hour is due one while its pulls so far all
 * came less than R (`repullAfterHours`) after it ended; the first run with new hours that starts R
 * or more after its end pulls it, after its own hours. The checkpoint names the hours due exactly
 * (`repull_from_ms` and the `repull_done` ranges after it): a run catching up over several runs
 * reads its old hours at R or more, and those need no later pull, wherever they lie (review
 * R-REPULL F3). Hours from the run's lookback on are not pulled twice: the run pulls them anyway.
 *
 * Undefined when the run pulls no later hour and leaves the checkpoint's fields as they are: the
 * setting is 0, or no new hour has closed (the run pulls nothing, see planFromCheckpoint). A first
 * run pulls none (each hour of its backfill ended long enough ago, or gets its later pull from the
 * runs after).
 */
export function planLaterPulls(inputs: LaterPullInputs): LaterPullPlan | undefined {
  const { watermarkMs, planFirstMs, planEndMs, repullAfterHours } = inputs;
  if (repullAfterHours === 0 || planFirstMs >= planEndMs) return undefined;
  // The first hour that ended less than R before now: it and every hour after are still young.
  const youngFromMs = Math.min(planEndMs, floorHour(inputs.nowMs - repullAfterHours * HOUR_MS));
  if (watermarkMs === undefined) return { hours: [], due: new Set(), youngFromMs, tries: new Map() };
  const due = dueHours(inputs.read, watermarkMs, repullAfterHours, inputs.reachFromMs);
  const cutMs = Math.min(youngFromMs, planFirstMs);
  const hours = [...due].filter((hour) => hour < cutMs);
  const tries = new Map((inputs.read.repull_tries ?? []).filter(([hour]) => due.has(hour)));
  return { hours, due, youngFromMs, tries };
}

/** The hours of a sorted list as ranges [from, to) of consecutive hours. */
function hourRanges(hours: readonly number[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const hour of hours) {
    const last = ranges.at(-1);
    if (last && last[1] === hour) last[1] = hour + HOUR_MS;
    else ranges.push([hour, hour + HOUR_MS]);
  }
  return ranges;
}

/** A later pull's failure that gave its hour up: the summary marks it, so readers need not parse words. */
export class LaterPullGivenUpError extends Error {}

/**
 * What a later pull's failure did: to its hour (one more try, or given up), or, for a span of
 * several hours read as one, to each of them (`alone`: pulled one by one from the next run on).
 */
export type LaterPullFailure =
  | { givenUp: true; tries: number }
  | { givenUp: false; tries: number }
  | { alone: number }
  | { uncounted: true };

/**
 * Follows a run's pulls as they finish, and says what the checkpoint's later-pull fields are at
 * each write: the hours due then, named exactly. Left out when they are the watermark − R up to
 * the watermark (what their absence means). A run that plans none (the setting 0, no new hour)
 * leaves them as it read them: with the setting 0 it adds no hour and drops none, so a run with
 * the later pull off (a manual ingest, an older setting) loses no later pull still due (review
 * R-REPULL F4).
 */
export class LaterPullTracker {
  /** Later hours not finished yet, oldest first (a Set keeps insertion order). */
  private readonly left = new Set<number>();
  private readonly laterHours = new Set<number>();
  /** Hours the run stored (other than its later pulls), as young or old as they were. */
  private readonly youngDone = new Set<number>();
  private readonly oldDone = new Set<number>();
  private readonly givenUp = new Set<number>();
  private readonly tries = new Map<number, number>();
  private readonly counts = { done: 0, failed: 0, givenUp: 0 };
  /** The run's spans other than later pulls: in flight, failed, and who waits for them to end. */
  private othersInFlight = 0;
  private otherFailures = 0;
  private othersWaiting: (() => void)[] = [];
  /** A later pull failed: no further one starts this run (Domo may be struggling). */
  private stopped = false;

  constructor(
    private readonly plan: LaterPullPlan | undefined,
    /** The checkpoint's fields as read; kept when the run plans no later pull. */
    private readonly read: LaterPullFields,
    private readonly repullAfterHours: number,
  ) {
    if (!plan) return;
    for (const hour of plan.hours) {
      this.left.add(hour);
      this.laterHours.add(hour);
    }
    for (const [hour, tries] of plan.tries) this.tries.set(hour, tries);
  }

  /** Later hours planned. */
  get planned(): number {
    return this.laterHours.size;
  }

  /**
   * The later hours to pull, as ranges [from, to) of consecutive hours; an hour whose later pull
   * failed before is a range of its own. A span read as one fails as a whole, which says nothing
   * of which of its hours fails: each is then pulled alone, and only the hour that fails is tried
   * again and given up (review R-OP2 M2: the span's first hour was charged, healthy or not).
   */
  ranges(): [number, number][] {
    const ranges: [number, number][] = [];
    for (const [fromMs, toMs] of hourRanges(this.plan?.hours ?? [])) {
      let startMs = fromMs;
      for (let hour = fromMs; hour < toMs; hour += HOUR_MS) {
        if (!this.tries.has(hour)) continue;
        if (startMs < hour) ranges.push([startMs, hour]);
        ranges.push([hour, hour + HOUR_MS]);
        startMs = hour + HOUR_MS;
      }
      if (startMs < toMs) ranges.push([startMs, toMs]);
    }
    return ranges;
  }

  /** Whether the hour starting at `hourMs` is one of the run's later pulls. */
  has(hourMs: number): boolean {
    return this.laterHours.has(hourMs);
  }

  /** Records that an hour is stored: a later one, or one of the run's other hours. */
  complete(hourMs: number): void {
    if (this.left.delete(hourMs)) {
      this.counts.done++;
      this.tries.delete(hourMs);
      return;
    }
    if (!this.plan || this.laterHours.has(hourMs)) return;
    if (hourMs >= this.plan.youngFromMs) this.youngDone.add(hourMs);
    else this.oldDone.add(hourMs);
  }

  /**
   * Records that a later pull failed: no other starts this run. Its unstored hours are those from
   * `hourMs` (when given) to `untilMs`. One such hour has had one more try: given up at
   * {@link LATER_PULL_TRIES}, else the next run tries it again. Several (a span read as one) are
   * each pulled alone from the next run on, none charged a try. A configuration error gives none:
   * it says nothing of the hour (review R-FINAL F2); nor does one in a run whose other pulls failed
   * too (an outage: see {@link othersSettled}).
   */
  fail(hourMs?: number, untilMs: number = (hourMs ?? 0) + HOUR_MS): LaterPullFailure | undefined {
    this.stopped = true;
    if (hourMs === undefined || !this.left.has(hourMs)) return undefined;
    this.counts.failed++;
    const unstored: number[] = [];
    for (let hour = hourMs; hour < untilMs; hour += HOUR_MS) if (this.left.has(hour)) unstored.push(hour);
    if (unstored.length > 1) {
      for (const hour of unstored) this.tries.set(hour, this.tries.get(hour) ?? 0);
      return { alone: unstored.length };
    }
    // Domo failing the run's other pulls too is an outage, not this hour's fault: counted, a
    // half-hour outage gave healthy hours up at concurrency 4 (review R-LATER3 H1).
    if (this.otherFailures > 0) return { uncounted: true };
    const tries = (this.tries.get(hourMs) ?? 0) + 1;
    if (tries < LATER_PULL_TRIES) {
      this.tries.set(hourMs, tries);
      return { givenUp: false, tries };
    }
    this.left.delete(hourMs);
    this.tries.delete(hourMs);
    this.givenUp.add(hourMs);
    this.counts.givenUp++;
    return { givenUp: true, tries };
  }

  /** Starts no further later pull this run (one failed; it is judged once the others end). */
  halt(): void {
    this.stopped = true;
  }

  /** A span other than a later pull started. */
  otherStarted(): void {
    this.othersInFlight++;
  }

  /** A span other than a later pull ended, failed or not. */
  otherEnded(failed: boolean): void {
    if (failed) this.otherFailures++;
    this.othersInFlight--;
    if (this.othersInFlight > 0) return;
    for (const wake of this.othersWaiting.splice(0)) wake();
  }

  /**
   * Resolves once no span other than a later pull is in flight. Those all start before any later
   * pull (the run's spans put them first), so none starts after a later pull waits here.
   */
  othersSettled(): Promise<void> {
    if (this.othersInFlight === 0) return Promise.resolve();
    return new Promise((wake) => this.othersWaiting.push(wake));
  }

  /** Later hours planned from `hourMs` on (those a failed later pull leaves unstarted). */
  plannedFrom(hourMs: number): number {
    return (this.plan?.hours ?? []).filter((hour) => hour >= hourMs).length;
  }

  /**
   * The first hour due its later pull, once the watermark is at `watermarkMs`, that ended
   * `repullAfterHours` or more before `nowMs` (with the setting 0: any); undefined: none.
   */
  overdueFrom(watermarkMs: number, nowMs: number): number | undefined {
    const youngFromMs = floorHour(nowMs - this.repullAfterHours * HOUR_MS);
    const first = this.dueAt(watermarkMs)[0];
    return first !== undefined && first < youngFromMs ? first : undefined;
  }

  /** Whether the run starts no more later pulls (one failed). */
  get failed(): boolean {
    return this.stopped;
  }

  /** Later pulls done, failed and given up so far, and those not started after a failure. */
  get outcome(): { done: number; failed: number; givenUp: number } {
    return { ...this.counts };
  }

  /** The hours due their later pull once the watermark is at `watermarkMs`, oldest first. */
  dueAt(watermarkMs: number): number[] {
    if (!this.plan) return [...dueHours(this.read, watermarkMs, this.repullAfterHours)];
    const due = new Set<number>();
    for (const hour of this.plan.due) {
      const finished = this.laterHours.has(hour) && !this.left.has(hour);
      if (!finished && !this.oldDone.has(hour)) due.add(hour);
    }
    for (const hour of this.youngDone) due.add(hour);
    return [...due].filter((hour) => hour < watermarkMs).sort((a, b) => a - b);
  }

  /** The checkpoint's later-pull fields written with `watermarkMs`. */
  fieldsAt(watermarkMs: number): LaterPullFields {
    if (!this.plan) return keptFields(this.read, watermarkMs);
    const due = this.dueAt(watermarkMs);
    const fromMs = due[0] ?? watermarkMs;
    const tries = due.flatMap((hour): [number, number][] => {
      const n = this.tries.get(hour);
      return n === undefined ? [] : [[hour, n]];
    });
    const done = doneRanges(due, fromMs, watermarkMs);
    const absent = watermarkMs - this.repullAfterHours * HOUR_MS;
    if (fromMs === absent && done.length === 0 && tries.length === 0) return {};
    return {
      repull_from_ms: fromMs,
      ...(done.length === 0 ? {} : { repull_done: done }),
      ...(tries.length === 0 ? {} : { repull_tries: tries }),
    };
  }
}

/**
 * The fields a run that plans no later pull writes: as read, `repull_from_ms` at most the
 * watermark (hours after it get their first pull from a later run).
 */
function keptFields(read: LaterPullFields, watermarkMs: number): LaterPullFields {
  if (read.repull_from_ms === undefined) return {};
  return {
    ...read,
    repull_from_ms: Math.min(read.repull_from_ms, watermarkMs),
  };
}

/**
 * The ranges [from, to) between `fromMs` and `watermarkMs` of hours not due (`due` sorted): at most
 * {@link MAX_DONE_RANGES}, the narrowest dropped past it (their hours pulled once more).
 */
function doneRanges(due: readonly number[], fromMs: number, watermarkMs: number): [number, number][] {
  const ranges: [number, number][] = [];
  let next = fromMs;
  for (const hour of [...due, watermarkMs]) {
    if (hour > next) ranges.push([next, hour]);
    next = hour + HOUR_MS;
  }
  if (ranges.length <= MAX_DONE_RANGES) return ranges;
  const widest = [...ranges].sort((a, b) => b[1] - b[0] - (a[1] - a[0])).slice(0, MAX_DONE_RANGES);
  return ranges.filter((range) => widest.includes(range));
}
