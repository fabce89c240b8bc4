import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerGeo } from '../../../functions/adapters/geo-file-lookup.ts';
import { createAuditClient } from '../../../functions/core/domo/audit-client.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import type { CoverageManifest } from '../../../functions/core/lake/coverage-manifest.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { coverageKey } from '../../../functions/core/lake/layout.ts';
import type { QuarantineRecord } from '../../../functions/core/lake/quarantine-record.ts';
import { noMetrics, silentLog } from '../../../functions/core/ports.ts';
import { realClientWaits, systemClock } from '../../../functions/core/runtime.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import {
  generateInstance,
  type PlantedPattern,
  type SimEvent,
  startSimulator,
} from '../../../functions/simulator/index.ts';
import { readLake } from '../../support/lake-contents.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { noWaits } from '../../support/no-waits.ts';
import { writeLakeObjects } from '../../support/write-lake-file.ts';

export interface SimulatedLake {
  dir: string;
  events: EventRecord[];
  coverage: CoverageManifest[];
  /** The entries the ingest quarantined, read back from the lake. */
  quarantined: QuarantineRecord[];
  planted: PlantedPattern[];
  /** Hours whose coverage manifest was removed after ingest (to make gaps). */
  removedHours: number[];
  lateEvents: number;
  cleanup(): Promise<void>;
}

export interface SimulatedLakeOptions {
  seed: number;
  fromMs: number;
  toMs: number;
  users: number;
  /** Hours (window starts) whose coverage manifest is deleted after ingest. */
  removeCoverage?: number[];
  /** Hours that get late events (added to the simulator after the first ingest, then re-pulled). */
  lateHours?: number[];
  /**
   * User ids that name no one (`''`, white space, `'0'`): some events of the instance are served
   * once more under one of them in turn ({@link noOneCopies}), their user name emptied, so a query
   * that counts them as users gets another answer than the one computed in TypeScript.
   */
  noOneIds?: readonly string[];
  /**
   * Ids each given one story of events ({@link guardStory}) that every guard on a user id must
   * read as its own: those naming no one (null, white space of each ASCII kind, 0 within it) and
   * odd ones naming a user (`00`, `0 0`).
   */
  guardIds?: readonly (string | null)[];
}

/** One event in this many of each action type gets a copy under an id naming no one. */
export const NO_ONE_EVERY = 11;
const FAILED_SIGN_IN = 'LOGIN_FAILED';

/**
 * Copies of some of `events` under `ids`, one id after the other, each an entry of its own: every
 * {@link NO_ONE_EVERY}-th of each action type, so sign-ins, failed ones and views are among them.
 * The planted patterns' other events are left alone: a copy of a lockout outranked the planted
 * burst the failed-logins test expects first.
 */
function noOneCopies(events: readonly SimEvent[], ids: readonly string[]): SimEvent[] {
  if (ids.length === 0) return [];
  const seen = new Map<unknown, number>();
  const copies: SimEvent[] = [];
  for (const event of events) {
    // A failed sign-in is copied from a planted pattern too (no other event is one), a lockout not.
    if (event.planted && event.entry.actionType !== FAILED_SIGN_IN) continue;
    const nth = seen.get(event.entry.actionType) ?? 0;
    seen.set(event.entry.actionType, nth + 1);
    if (nth % NO_ONE_EVERY !== 0) continue;
    const userId = ids[(nth / NO_ONE_EVERY) % ids.length];
    // Served as written (planted): the entry variation would otherwise null or drop the odd id.
    copies.push({ timeMs: event.timeMs, entry: { ...event.entry, userId, userName: '' }, planted: true });
  }
  return copies;
}

/** The name every failure of a guard story types: one key however many ids carry it. */
export const GUARD_TYPED_NAME = 'admin';
/**
 * Unknown accounts a guard story's address fails for first, once each, so that it is a spray
 * within the hour (10 users, the alerts' bar) whatever the story's own id.
 */
export const GUARD_UNKNOWN_IDS = Array.from({ length: 10 }, (_, i) => String(990000001 + i));
/** When the first guard story starts: the planted week's Sunday, an hour apart each. */
export const GUARD_STORY_FROM = Date.parse('2026-11-01T01:00:00Z');
const MINUTE = 60_000;

/** The guard stories' spray address: beside the stolen session's distant one, in its /24. */
export function guardSprayAddress(distant: string): string {
  const octets = distant.split('.');
  return [...octets.slice(0, 3), Number(octets[3]) === 200 ? '201' : '200'].join('.');
}

/**
 * One story per id of `ids`, an hour apart from {@link GUARD_STORY_FROM}, each event a copy of one
 * of the instance's own with the user fields replaced, served as written: 5 failed sign-ins typing
 * {@link GUARD_TYPED_NAME} from the spray address (after the unknown accounts' failures there; one /24 with the stolen session's distant
 * address, which it is beside), a sign-in from the stolen user's home, one from the distant address
 * 10 minutes later and one from the spray address; a page and a card viewed (spelt in lower case),
 * a card exported, and one exported by the stolen user acting as the id. Read as a user's, the
 * story is an impossible journey, a sign-in after failures and after a spray, a user counted, a
 * doer of exports; read as no one's, none of these. Also once: the unknown accounts failing from
 * no address, and an event on an object of another type whose id is the raised user's, and
 * one on that user spelt `user`.
 */
function guardStory(
  events: readonly SimEvent[],
  planted: readonly PlantedPattern[],
  ids: readonly (string | null)[],
): SimEvent[] {
  if (ids.length === 0) return [];
  const stolen = planted.find((p) => p.kind === 'impossible_travel');
  if (stolen?.kind !== 'impossible_travel') throw new Error('the instance has no stolen session');
  const home = events.find(
    (e) => e.timeMs === stolen.evidence.previousMs && e.entry.userId === stolen.userId,
  );
  const like = (test: (entry: Record<string, unknown>) => boolean) => {
    const found = events.find((e) => test(e.entry))?.entry;
    if (!found) throw new Error('the instance has no event to copy');
    return found;
  };
  const failure = like((e) => e.actionType === FAILED_SIGN_IN);
  const page = like((e) => e.actionType === 'VIEWED' && e.objectType === 'PAGE');
  const card = like((e) => e.actionType === 'VIEWED' && e.objectType === 'CARD');
  const exported = like((e) => e.actionType === 'EXPORTED');
  if (!home) throw new Error("the stolen user's sign-in at home is not in the instance");
  const far = stolen.evidence.ipAddress;
  const spray = guardSprayAddress(far);
  const raised = stolen.evidence.adminChanges[1]?.objectId ?? '';
  const served = (timeMs: number, entry: Record<string, unknown>): SimEvent => ({
    timeMs,
    entry,
    planted: true,
  });
  const stories = ids.flatMap((userId, i) => {
    const t = GUARD_STORY_FROM + i * 60 * MINUTE;
    // A sign-in's object is its user: this id, not the copied entry's.
    const as = { userId, userName: '', objectId: userId, objectName: '' };
    return [
      ...GUARD_UNKNOWN_IDS.map((id, n) =>
        served(t - 10 * MINUTE + n * 30_000, {
          ...failure,
          userId: id,
          userName: `guess ${n}`,
          objectId: id,
          ipAddress: spray,
        }),
      ),
      ...[0, 1, 2, 3, 4].map((n) =>
        served(t + n * MINUTE, { ...failure, ...as, userName: GUARD_TYPED_NAME, ipAddress: spray }),
      ),
      served(t + 10 * MINUTE, { ...home.entry, ...as }),
      served(t + 20 * MINUTE, { ...home.entry, ...as, ipAddress: far }),
      served(t + 25 * MINUTE, { ...home.entry, ...as, ipAddress: spray }),
      served(t + 30 * MINUTE, { ...page, userId, userName: '', objectType: 'page', actionType: 'viewed' }),
      served(t + 31 * MINUTE, { ...card, userId, userName: '', objectType: 'card', actionType: 'viewed' }),
      served(t + 32 * MINUTE, { ...exported, userId, userName: '' }),
      served(t + 33 * MINUTE, {
        ...exported,
        userId: stolen.userId,
        userName: stolen.userName,
        actorId: userId,
      }),
    ];
  });
  const once = GUARD_STORY_FROM - 30 * MINUTE;
  return [
    ...stories,
    // From no address (a text without a dot or a colon): no spray, however many users.
    ...GUARD_UNKNOWN_IDS.map((userId, n) =>
      served(once + n * MINUTE, {
        ...failure,
        userId,
        userName: `guess ${n}`,
        objectId: userId,
        ipAddress: 'unknown',
      }),
    ),
    served(once + 10 * MINUTE, {
      ...card,
      userId: stolen.userId,
      userName: stolen.userName,
      objectId: raised,
    }),
    served(once + 11 * MINUTE, {
      ...card,
      userId: stolen.userId,
      userName: stolen.userName,
      actionType: 'UPDATED',
      objectType: 'user',
      objectId: raised,
    }),
  ];
}

/**
 * A lake built the way production builds one: a seeded synthetic instance (planted suspicious
 * patterns included) served by the simulator (its handler answered in process, without a socket:
 * the HTTP path has tests of its own), pulled by the real ingest into a temp dir,
 * with a few twins, malformed and incomplete entries, late events and (optionally) missing
 * coverage, written to disk in the lake's layout. Returns the records read back from the lake, for the known answers.
 */
export async function buildSimulatedLake(options: SimulatedLakeOptions): Promise<SimulatedLake> {
  const { fromMs, toMs } = options;
  const instance = generateInstance({
    seed: options.seed,
    fromMs,
    toMs,
    users: options.users,
    eventsPerUserDay: 15,
    cards: 40,
    pages: 12,
  });
  const sim = await startSimulator({
    events: [
      ...instance.events,
      ...noOneCopies(instance.events, options.noOneIds ?? []),
      ...guardStory(instance.events, instance.planted, options.guardIds ?? []),
    ],
    clock: () => toMs + 2 * HOUR_MS,
    seed: options.seed,
    entryVariation: {
      twins: 0.01,
      malformed: 0.004,
      nullOptional: 0.02,
      omitOptional: 0.01,
      extraFields: 0.01,
    },
  });
  const dir = await mkdtemp(join(tmpdir(), 'query-kat-'));
  try {
    // The ingest writes through the in-memory store (the disk store's durable, locked writes
    // would dominate the test's time); the objects are then laid out on disk under their keys.
    const store = new MemoryObjectStore();
    const source = createAuditClient({
      apiBase: sim.url,
      credentials: { clientId: 'sim-client', clientSecret: 'sim-secret' },
      requestsPerSecond: Number.POSITIVE_INFINITY,
      fetch: sim.fetch,
      ...realClientWaits,
    });
    const geo = containerGeo(silentLog).geo;
    const deps = { ...noWaits, source, store, clock: systemClock, log: silentLog, metrics: noMetrics, geo };
    const config = { ...defaultIngestConfig('default'), concurrency: 8 };
    const first = await runIngest(deps, config, { range: { fromMs, toMs } });
    if (first.failures.length > 0) throw new Error(`ingest failed: ${first.failures[0]?.message}`);

    let lateEvents = 0;
    const lateHours = options.lateHours ?? [];
    if (lateHours.length > 0) {
      const late: SimEvent[] = lateHours.map((hour, i) => ({
        timeMs: hour + 60_000 * (i + 7),
        entry: { ...(instance.events[i]?.entry ?? {}), objectName: `late event ${i}` },
      }));
      sim.addEvents(late);
      for (const hour of lateHours) {
        const rerun = await runIngest(deps, config, {
          range: { fromMs: hour, toMs: hour + HOUR_MS },
        });
        lateEvents += rerun.lateEvents;
      }
    }

    const removedHours = options.removeCoverage ?? [];
    for (const hour of removedHours) store.objects.delete(coverageKey('default', hour));
    writeLakeObjects(dir, store.objects);

    const lake = await readLake(store, 'default');
    const coverage: CoverageManifest[] = [];
    for await (const key of store.list('coverage/instance=default/')) {
      const object = await store.get(key);
      if (object) coverage.push(JSON.parse(Buffer.from(object.body).toString('utf8')) as CoverageManifest);
    }
    return {
      dir,
      events: lake.events,
      coverage,
      quarantined: lake.quarantined,
      planted: instance.planted,
      removedHours,
      lateEvents,
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  } finally {
    await sim.close();
  }
}
