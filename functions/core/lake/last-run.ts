import * as z from 'zod';
import type { ObjectStore, StoredObject } from '../ports.ts';
import { updateConditionally } from './conditional-update.ts';
import { statePrefix } from './layout.ts';
import { decodeStoredJson } from './stored-json.ts';
import { newerVersionIn, newerVersionReason } from './stored-version.ts';

/** `state/instance=<i>/last-run.json`: what the latest ingest run of an instance did, for `status`. */
export const lastRunKey = (instance: string): string => `${statePrefix(instance)}last-run.json`;

const RUN_OUTCOMES = ['ok', 'stopped-early', 'failed'] as const;

/** Room for the longest failure message with its fix (the shrunk-hour one is ~640 characters). */
export const FAILURE_CHARS = 1000;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

/** The last-run record's version this code reads and writes. */
const LAST_RUN_VERSION = 1;

const lastRunSchema = z.lazy(() =>
  z.object({
    version: z.literal(LAST_RUN_VERSION),
    instance: z.string(),
    run_id: z.string(),
    mode: z.enum(['checkpoint', 'range']),
    finished_at: z.string(),
    finished_at_ms: z.number(),
    outcome: z.enum(RUN_OUTCOMES),
    hours_done: z.number(),
    hours_failed: z.number(),
    events_written: z.number(),
    quarantined: z.number(),
    watermark_ms: z.number().nullable(),
    first_failure: z.string().nullable(),
    // Absent in records written before it was kept. Any number reads: one the ingest would not take
    // is ignored where it is used (verify), not made to hide the whole record from status.
    settle_minutes: z.number().optional(),
    // The run's lookback and later pull, by which verify tells the hours not final yet. Absent in
    // records written before they were kept (verify then takes the defaults); any number reads, as
    // settle_minutes does.
    lookback_hours: z.number().optional(),
    repull_after_hours: z.number().optional(),
    // Absent in records written before it was kept, and in those of the command line's runs. Any
    // text reads: a trigger a newer version names is no reason to hide the record.
    trigger: z.string().optional(),
    // A record of a run that failed before planning: the last run before it that had an id, which
    // has ended (runs-in-progress.ts must not take it, its seal left open, for one still running).
    ended_run_id: z.string().optional(),
    // The runs recorded before this one, newest first (see ENDED_RUNS_KEPT). Absent in records
    // written before it was kept.
    ended_run_ids: z.array(z.string()).optional(),
    // How far the run moved the watermark (0: not at all), for status's catch-up estimate. Absent
    // in records written before it was kept, and in those of runs without a watermark (range mode).
    watermark_moved_ms: z.number().optional(),
    // The deployment's retention.maxDays, by which verify and status take hours older than it for
    // aged out, not missing; null: the lake keeps everything. Absent in records written before it
    // was kept, and in those of the command line's runs, which do not know it: the record before's
    // is kept then (withEndedRuns). Any number reads, as settle_minutes does.
    max_days: z.number().nullable().optional(),
    // The digest chain's head as the run left it, where status starts its search for the head.
    // Absent in records written before it was kept, and of runs that read no digest.
    digest_head: z.number().optional(),
    // In a record of a range run (ingest --from/--to): the settings of the last run recorded before
    // it that followed the checkpoint, which its own are not (a re-pull's, from the command line's
    // defaults or flags). Absent in records written before it was kept, and where none was recorded.
    checkpoint_run_settings: z
      .object({
        settle_minutes: z.number().optional(),
        lookback_hours: z.number().optional(),
        repull_after_hours: z.number().optional(),
      })
      .optional(),
    // The run's later pulls (IngestSummary.laterPulls): done, given up after their last try, left
    // for the next run, and the first hour due already old enough (null: none). Absent in records
    // written before it was kept, and in those of runs that planned none and left none due.
    later_pulls: z
      .object({
        done: z.number(),
        given_up: z.number(),
        left: z.number(),
        due_from_ms: z.number().nullable(),
      })
      .optional(),
    // The commonest kinds of reason the run quarantined entries for (IngestSummary.quarantineReasons),
    // by which status says what changed in Domo's entries; a run that read no entry keeps those of
    // the record before it. Absent in records written before it was kept, and in those of runs that
    // quarantined under a tenth of what they read.
    quarantine_reasons: z.array(z.object({ kind: z.string(), count: z.number() })).optional(),
  }),
);

export type LastRun = z.infer<typeof lastRunSchema>;

/**
 * Who ran it, when the record says: `schedule`, the deployed ingest function (its schedule's runs,
 * or one invoked by hand like them), which `status` expects to run again within the Lag alarm's
 * window; `demo`, the demo's ingest, which only another demo run continues (`ingest` refuses its
 * lake). Runs of the command line leave it out: nothing schedules them.
 */
export type RunTrigger = 'schedule' | 'demo';

/**
 * The lake's last run was the demo's: the lake is the demo's, which `ingest` refuses, so what it
 * lacks only another demo run fills. `status` and `verify` both judge it by this.
 */
export const ranByDemo = (run: LastRun | null | undefined): run is LastRun => run?.trigger === 'demo';

/**
 * The ingest settings a record keeps for a verify run elsewhere, which cannot read the deployment's
 * (its settle time, lookback and later pull).
 */
export interface RecordedSettings {
  settleMinutes: number;
  lookbackHours: number;
  repullAfterHours: number;
}

/** {@link RecordedSettings} as the record's fields. */
export const recordedSettingsOf = (
  s: RecordedSettings,
): Pick<LastRun, 'settle_minutes' | 'lookback_hours' | 'repull_after_hours'> => ({
  settle_minutes: s.settleMinutes,
  lookback_hours: s.lookbackHours,
  repull_after_hours: s.repullAfterHours,
});

/** The run id of a run that failed before it planned an hour (it appended no digest). */
const NO_RUN_ID = 'none (failed before planning)';

/**
 * Records a scheduled run that failed before it planned any hour (a corrupt checkpoint, a
 * watermark in the future, a secret it could not read or use, a store it refused): no summary
 * exists, but `status` must not keep showing the run before.
 */
export async function recordRunFailedToStart(
  store: ObjectStore,
  instance: string,
  reason: string,
  finishedAtMs: number,
  settleMinutes: number,
  trigger?: RunTrigger,
  // Absent: left out of the record, as in those written before they were kept (verify's defaults).
  later?: Omit<RecordedSettings, 'settleMinutes'>,
): Promise<void> {
  await writeLastRun(store, {
    version: 1,
    instance,
    run_id: NO_RUN_ID,
    mode: 'checkpoint',
    finished_at: new Date(finishedAtMs).toISOString(),
    finished_at_ms: finishedAtMs,
    outcome: 'failed',
    hours_done: 0,
    hours_failed: 0,
    events_written: 0,
    quarantined: 0,
    watermark_ms: null,
    first_failure: reason.slice(0, FAILURE_CHARS),
    ...(later ? recordedSettingsOf({ settleMinutes, ...later }) : { settle_minutes: settleMinutes }),
    ...(trigger ? { trigger } : {}),
  });
}

/**
 * How many runs recorded before it a record names as ended. runs-in-progress.ts takes a run whose
 * newest digest is open for one still running unless a record names it: with only the last run
 * named, a run that ended with its seal left open, recorded before another such run, passed for
 * one in progress for 15 minutes, and `verify` excused its hole. Two or three runs end within
 * that time, not sixteen (the number of digests it reads at the chain's end).
 */
const ENDED_RUNS_KEPT = 16;

/** The runs `record` names as ended: its own (unless it has none), then those before it. */
function runsEndedBy(record: LastRun | undefined): string[] {
  if (record === undefined) return [];
  const own = record.run_id === NO_RUN_ID ? [] : [record.run_id];
  const before = [...(record.ended_run_id ? [record.ended_run_id] : []), ...(record.ended_run_ids ?? [])];
  return [...new Set([...own, ...before])];
}

/** The ids of the runs the instance's last-run record says have ended (none without a record). */
export const endedRunIds = (record: LastRun | undefined): Set<string> => new Set(runsEndedBy(record));

/**
 * The record to write for `run` over `before`: with the runs `before` names as ended. A record
 * without a run of its own also keeps the id of the run recorded before it as `ended_run_id`, the
 * one field older versions read for it.
 */
function withEndedRuns(run: LastRun, before: LastRun | undefined): LastRun {
  const endedBefore = runsEndedBy(before);
  const ended = endedBefore.filter((id) => id !== run.run_id).slice(0, ENDED_RUNS_KEPT);
  const endedRun = run.run_id === NO_RUN_ID ? endedBefore[0] : undefined;
  // A run that does not know the deployment's maxDays (the command line's) must not make the
  // lake's aged-out hours read as missing until the next scheduled run.
  const maxDays = run.max_days === undefined && before?.max_days !== undefined ? before.max_days : undefined;
  // A run that read no digest (one that failed before it had a summary, or was refused before its
  // opening) keeps the head recorded before it: the chain-cut guard reads it (chain-cut-guard.ts),
  // and a record without one let the next run append over a cut chain.
  const digestHead = run.digest_head === undefined ? before?.digest_head : undefined;
  const settings = run.mode === 'range' ? checkpointRunSettings(before) : undefined;
  // A run that read no entry (no new hour: three in four scheduled runs) keeps the reasons the one
  // before it named, or status's note of the day's quarantine lost them until the next hour's run.
  const read = run.events_written + run.quarantined;
  const reasons = run.quarantine_reasons ?? (read === 0 ? before?.quarantine_reasons : undefined);
  return {
    ...run,
    ...(settings === undefined ? {} : { checkpoint_run_settings: settings }),
    ...(reasons === undefined ? {} : { quarantine_reasons: reasons }),
    ...(maxDays === undefined ? {} : { max_days: maxDays }),
    ...(digestHead === undefined ? {} : { digest_head: digestHead }),
    ...(endedRun === undefined ? {} : { ended_run_id: endedRun }),
    ...(ended.length > 0 ? { ended_run_ids: ended } : {}),
  };
}

/**
 * The settings of the last run `before` names that followed the checkpoint: its own, or those it
 * carries from one (a range's record). What a range run's record keeps, so that readers of the
 * settings (verify, status: recorded-finality.ts) still have the schedule's after a re-pull.
 */
function checkpointRunSettings(before: LastRun | undefined): LastRun['checkpoint_run_settings'] {
  if (before === undefined) return undefined;
  if (before.mode === 'range') return before.checkpoint_run_settings;
  const { settle_minutes, lookback_hours, repull_after_hours } = before;
  return {
    ...(settle_minutes === undefined ? {} : { settle_minutes }),
    ...(lookback_hours === undefined ? {} : { lookback_hours }),
    ...(repull_after_hours === undefined ? {} : { repull_after_hours }),
  };
}

/**
 * `later`, a record of a run that finished after `run`, naming `run` as ended too: kept as it is,
 * else `run` would be named nowhere; undefined when there is nothing to add.
 */
function namingEnded(later: LastRun, run: LastRun): LastRun | undefined {
  if (run.run_id === NO_RUN_ID || runsEndedBy(later).includes(run.run_id)) return undefined;
  const ended = [run.run_id, ...(later.ended_run_ids ?? [])].slice(0, ENDED_RUNS_KEPT);
  return { ...later, ended_run_ids: ended };
}

/**
 * Writes `run` as the instance's last-run record, conditionally: a record a newer version wrote is
 * left alone, and one of a run that finished later is kept, naming `run` as ended. The ingest
 * records its runs through it (recordLastRun, ingest/record-last-run.ts).
 */
export async function writeLastRun(store: ObjectStore, run: LastRun): Promise<void> {
  const key = lastRunKey(run.instance);
  await updateConditionally(store, key, {
    // Kept: the newer version can read this one's record, but this one cannot judge the newer's.
    stateOf: (found) =>
      found && newerVersionIn(found.body, LAST_RUN_VERSION) !== undefined ? 'newer' : recordIn(found),
    decide: ({ state }) => {
      if (state === 'newer') return { write: false, result: undefined };
      const record =
        state !== undefined && state.finished_at_ms > run.finished_at_ms
          ? namingEnded(state, run)
          : withEndedRuns(run, state);
      return record === undefined
        ? { write: false, result: undefined }
        : {
            write: true,
            body: new TextEncoder().encode(`${JSON.stringify(record)}\n`),
            contentType: 'application/json',
            result: () => undefined,
          };
    },
    maxAttempts: 5,
    giveUp: (attempts) => `${key} kept changing under ${attempts} attempts to record the run`,
  });
}

/** The instance's last recorded run; undefined when none was recorded or the record is unreadable. */
export async function readLastRun(store: ObjectStore, instance: string): Promise<LastRun | undefined> {
  return recordIn(await store.get(lastRunKey(instance)));
}

/**
 * {@link readLastRun} for `status`, with why a record that is there reads as none when a newer
 * version of this project wrote it: shown as "none recorded" alone, it would hide that runs happen
 * (a newer deployment's) and that this copy needs updating. `newer` is undefined otherwise.
 */
export async function readLastRunForStatus(
  store: ObjectStore,
  instance: string,
): Promise<{ lastRun: LastRun | undefined; newer?: string }> {
  const key = lastRunKey(instance);
  const stored = await store.get(key);
  const version = stored && newerVersionIn(stored.body, LAST_RUN_VERSION);
  if (version === undefined) return { lastRun: recordIn(stored) };
  return {
    lastRun: undefined,
    newer: `last run record ${key} was ${newerVersionReason('last-run', version, LAST_RUN_VERSION)}`,
  };
}

/** The record in the object as read; an unreadable record reads as none, to be replaced. */
function recordIn(stored: StoredObject | undefined): LastRun | undefined {
  if (!stored) return undefined;
  const reading = decodeStoredJson(stored.body, lastRunSchema);
  return reading.ok ? reading.value : undefined;
}
