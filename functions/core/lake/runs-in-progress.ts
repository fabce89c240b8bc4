import type { ObjectStore, RunProcesses } from '../ports.ts';
import { floorHour, HOUR_MS, MINUTE_MS } from '../time-units.ts';
import type { Digest, DigestRunMode } from './digest.ts';
import { readDigests, tailSequences } from './digest-tail.ts';
import { endedRunIds, readLastRun } from './last-run.ts';
import { digestKey } from './layout.ts';

/**
 * How long a run may go without appending a digest and still be taken as running. A scheduled run
 * lives at most 15 minutes (the Lambda's longest timeout); a command-line run appends one each time
 * its watermark moves (a range run only at its start and its end). A run silent longer died (or is
 * stuck): verify then reports its hours as a failed run's gaps, as it did before it knew of runs.
 */
export const RUN_SILENCE_MS = 15 * MINUTE_MS;

/**
 * Digests read back from the chain's head, in one batch of GETs, for the runs still open there: a
 * catching-up run appends one per watermark move, so the tail is mostly one run's; a second run
 * open beside it further back than this is not seen (verify then fails on its hours, as before).
 */
const TAIL_DIGESTS = 16;

/** An ingest run that may be writing the lake now: its newest digest, at the chain's end, is open. */
export interface RunInProgress {
  runId: string;
  /** Its newest digest (not sealed). */
  digestKey: string;
  /** When that digest was written, by the run's clock (ISO). */
  lastWriteAt: string;
  /** The hours it pulls, `[fromMs, toMs)` (null: no bound known). */
  fromMs: number | null;
  toMs: number | null;
  /** How it planned its hours, when its newest digest says: `range`, a re-pull of given hours. */
  mode?: DigestRunMode;
}

/** A run that would read as in progress, but whose process is known to be gone: it stopped without ending. */
export interface StoppedRun extends RunInProgress {
  /** Its process, of this machine, that no longer runs. */
  pid: number;
}

/**
 * The runs whose newest digest is among the unsealed ones ending the digest chain (a run seals its
 * chain when it ends, killed or not: only a run that died, or still runs, leaves one open), that
 * appended one within {@link RUN_SILENCE_MS} of `nowMs` (either side: the run's clock is not this
 * one) and that the instance's last-run record does not name as ended (it names the last run and
 * those recorded before it). None for a chain ending
 * sealed, or a lake without digests. A digest that does not decode ends the tail (the integrity
 * check reports it). Those `processes` says are gone are not among them ({@link openRuns}).
 */
export async function runsInProgress(
  store: ObjectStore,
  instance: string,
  nowMs: number,
  processes?: RunProcesses,
): Promise<RunInProgress[]> {
  return (await openRuns(store, instance, nowMs, processes)).running;
}

/**
 * The runs that {@link runsInProgress} judges by their digests alone, split by what `processes`
 * knows of each: `stopped`, those whose process is gone (they failed or were killed without
 * recording their end: their hours are gaps, as a run silent for {@link RUN_SILENCE_MS}), and
 * `running`, the others (running, or not known: judged by their silence). Without `processes`,
 * every one is `running`.
 */
export async function openRuns(
  store: ObjectStore,
  instance: string,
  nowMs: number,
  processes?: RunProcesses,
): Promise<{ running: RunInProgress[]; stopped: StoppedRun[] }> {
  const open = await recentOpenRuns(store, instance, nowMs);
  const split = { running: [] as RunInProgress[], stopped: [] as StoppedRun[] };
  const states = await Promise.all(
    open.map((run) => processes?.stateOf(run.runId) ?? { state: 'unknown' as const }),
  );
  for (const [at, run] of open.entries()) {
    const judged = states[at];
    if (judged?.state === 'gone') split.stopped.push({ ...run, pid: judged.pid });
    else split.running.push(run);
  }
  return split;
}

/** The runs open at the chain's end, silent for no longer than {@link RUN_SILENCE_MS}, not ended. */
async function recentOpenRuns(store: ObjectStore, instance: string, nowMs: number): Promise<RunInProgress[]> {
  const numbers = await tailSequences(store, instance, TAIL_DIGESTS);
  const digests = await readDigests(store, instance, numbers);
  const runs = new Map<string, RunInProgress>();
  for (const [at, digest] of digests.entries()) {
    if (digest === undefined || digest.sealed) break;
    noteOpen(runs, digestKey(instance, numbers[at] as number), digest);
  }
  if (runs.size === 0) return [];
  // A run whose seal was left open (its re-read ran out of time) has ended all the same, also
  // when other runs were recorded after it.
  const ended = endedRunIds(await readLastRun(store, instance));
  return [...runs.values()].filter(
    (run) => !ended.has(run.runId) && Math.abs(nowMs - Date.parse(run.lastWriteAt)) <= RUN_SILENCE_MS,
  );
}

/** Takes an open digest, walking back: a run's first one met is its newest; the others widen its hours. */
function noteOpen(runs: Map<string, RunInProgress>, key: string, digest: Digest): void {
  const toMs = digest.to_ms ?? null;
  const met = runs.get(digest.run_id);
  if (met === undefined) {
    runs.set(digest.run_id, {
      runId: digest.run_id,
      digestKey: key,
      lastWriteAt: digest.created_at,
      fromMs: digest.from_ms,
      toMs,
      ...(digest.mode ? { mode: digest.mode } : {}),
    });
    return;
  }
  met.fromMs = met.fromMs === null || digest.from_ms === null ? null : Math.min(met.fromMs, digest.from_ms);
  met.toMs = met.toMs === null || toMs === null ? null : Math.max(met.toMs, toMs);
}

export interface HourSpan {
  fromMs: number;
  toMs: number;
}

/**
 * Splits uncovered hours (`gaps`) into those `runs` are pulling now and the rest, which stay gaps;
 * each list in order, as whole hours. Hours before the watermark count too: a re-pull of older
 * history (a range run) writes them, and a scheduled run re-pulls its lookback hours.
 */
export function splitGaps(
  gaps: readonly HourSpan[],
  runs: readonly RunInProgress[],
): { gaps: HourSpan[]; beingWritten: HourSpan[]; runs: RunInProgress[] } {
  const pulled = runs.map((run) => ({
    run,
    // Whole hours inside the run's bounds: an edited digest's odd bound widens nothing.
    fromMs: hourAtOrAfter(run.fromMs ?? Number.NEGATIVE_INFINITY),
    toMs: floorHour(run.toMs ?? Number.POSITIVE_INFINITY),
  }));
  const split = { gaps: [] as HourSpan[], beingWritten: [] as HourSpan[] };
  const writing = new Set<RunInProgress>();
  for (const gap of gaps) {
    for (let at = gap.fromMs; at < gap.toMs; at += HOUR_MS) {
      const by = pulled.filter((p) => at >= p.fromMs && at < p.toMs);
      for (const p of by) writing.add(p.run);
      append(by.length > 0 ? split.beingWritten : split.gaps, at);
    }
  }
  return { ...split, runs: runs.filter((run) => writing.has(run)) };
}

/** Whole hours of `spans` before `beforeMs` (all of them: +Infinity). */
export const hoursBefore = (spans: readonly HourSpan[], beforeMs: number): number =>
  spans.reduce((sum, h) => sum + Math.max(0, Math.min(h.toMs, beforeMs) - h.fromMs) / HOUR_MS, 0);

const hourAtOrAfter = (ms: number): number => (Number.isFinite(ms) ? Math.ceil(ms / HOUR_MS) * HOUR_MS : ms);

/** Adds the hour at `at` to `spans`, merged with the last span when it ends there. */
function append(spans: HourSpan[], at: number): void {
  const last = spans.at(-1);
  if (last !== undefined && last.toMs === at) last.toMs = at + HOUR_MS;
  else spans.push({ fromMs: at, toMs: at + HOUR_MS });
}
