import { existsSync, readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { containerGeo } from '../../functions/adapters/geo-file-lookup.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { MemoryAuditSource, type MemoryEntry } from '../support/memory-audit-source.ts';
import { noWaits } from '../support/no-waits.ts';

/**
 * A small, fully known Domo history written into a lake on disk through the real ingest core, so
 * report tests can compare the report against figures computed here, in plain code, from the same
 * events. Instance `acme`, reported in America/Denver (UTC-7 in November, no DST change in range).
 */
export interface KnownEvent {
  timeMs: number;
  userId: string;
  userName: string;
  actionType: 'LOGGED_IN' | 'FAILED_LOGIN' | 'LOCKED_OUT' | 'VIEWED' | 'EDITED';
  objectType: 'CARD' | 'PAGE' | 'USER' | 'DATA_SOURCE';
  objectId: string;
  objectName: string;
  ipAddress: string;
}

export const ZONE = 'America/Denver';
export const WEEK = '2026-W47';
/** W47 in Denver: Monday 16 Nov 07:00Z to Monday 23 Nov 07:00Z. */
export const WEEK_START = Date.parse('2026-11-16T07:00:00Z');
export const WEEK_END = Date.parse('2026-11-23T07:00:00Z');
export const PREV_START = Date.parse('2026-11-09T07:00:00Z');
/** Two hours of W47 that the lake never got: one gap. */
export const GAP_START = Date.parse('2026-11-20T10:00:00Z');
export const GAP_END = Date.parse('2026-11-20T12:00:00Z');
/** 30 days of login history before the week. */
export const HISTORY_START = WEEK_START - 30 * 86_400_000;
export const NOW = Date.parse('2026-11-25T12:00:00Z');

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A tiny deterministic generator (LCG), so the history is the same on every run. */
function rng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const USERS = Array.from({ length: 12 }, (_, i) => ({
  id: String(200 + i),
  name: `User ${String.fromCharCode(65 + i)}`,
  // Each user logs in from their own /24 of Comcast (US) at their own local hour (8:00-11:00 Denver).
  network: `73.${i}.0.`,
  loginHourUtc: 15 + (i % 4),
}));
const CARDS = Array.from({ length: 14 }, (_, i) => ({ id: String(5000 + i), name: `Card ${i}` }));
const PAGES = Array.from({ length: 5 }, (_, i) => ({ id: String(70 + i), name: `Page ${i}` }));

/**
 * The planted suspect: a long, regular login history from the US, then a 03:00 Denver login from
 * Deutsche Telekom (DE): a new country, a new network owner, an unusual hour.
 */
export const SUSPECT = USERS[0] as (typeof USERS)[number];
export const SUSPICIOUS_LOGIN_MS = Date.parse('2026-11-18T10:00:00Z');
export const SUSPICIOUS_IP = '91.0.0.45';
/** The planted lockout burst: 7 failures from two foreign IPs, then a lockout. */
export const LOCKED_USER = USERS[5] as (typeof USERS)[number];

type KnownUser = (typeof USERS)[number];

/** One user's weekday: a login, some views and edits, now and then a failed login first (draws in this order). */
function userDay(user: KnownUser, day: number, random: () => number): KnownEvent[] {
  const events: KnownEvent[] = [];
  const dayUtc = Math.floor(day / DAY) * DAY;
  const loginMs = dayUtc + user.loginHourUtc * HOUR + Math.floor(random() * 40) * 60_000;
  events.push({
    timeMs: loginMs,
    userId: user.id,
    userName: user.name,
    actionType: 'LOGGED_IN',
    objectType: 'USER',
    objectId: user.id,
    objectName: user.name,
    ipAddress: `${user.network}${1 + Math.floor(random() * 200)}`,
  });
  const views = Math.floor(random() * (Number(user.id) - 195));
  for (let v = 0; v < views; v++) events.push(viewEvent(user, loginMs + (v + 1) * 7 * 60_000, random));
  if (random() < 0.04) {
    events.push({
      timeMs: loginMs - 60_000,
      userId: user.id,
      userName: user.name,
      actionType: 'FAILED_LOGIN',
      objectType: 'USER',
      objectId: user.id,
      objectName: user.name,
      ipAddress: `${user.network}9`,
    });
  }
  return events;
}

/** A view (now and then an edit) of a page or a card, the popular cards more often. */
function viewEvent(user: KnownUser, timeMs: number, random: () => number): KnownEvent {
  const page = random() < 0.3;
  const target = page
    ? (PAGES[Math.floor(random() * PAGES.length)] as (typeof PAGES)[number])
    : (CARDS[Math.floor(random() * random() * CARDS.length)] as (typeof CARDS)[number]);
  return {
    timeMs,
    userId: user.id,
    userName: user.name,
    actionType: random() < 0.05 ? 'EDITED' : 'VIEWED',
    objectType: page ? 'PAGE' : 'CARD',
    objectId: target.id,
    objectName: target.name,
    ipAddress: `${user.network}9`,
  };
}

export function knownEvents(): KnownEvent[] {
  const random = rng(47);
  const events: KnownEvent[] = [];
  for (let day = HISTORY_START; day < WEEK_END; day += DAY) {
    // Weekdays only for logins, Denver calendar (day starts at 07:00Z).
    const weekday = new Date(day - 7 * HOUR).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (const user of USERS) events.push(...userDay(user, day, random));
  }
  events.push({
    timeMs: SUSPICIOUS_LOGIN_MS,
    userId: SUSPECT.id,
    userName: SUSPECT.name,
    actionType: 'LOGGED_IN',
    objectType: 'USER',
    objectId: SUSPECT.id,
    objectName: SUSPECT.name,
    ipAddress: SUSPICIOUS_IP,
  });
  const burst = Date.parse('2026-11-19T20:00:00Z');
  for (let i = 0; i < 7; i++) {
    events.push({
      timeMs: burst + i * 30_000,
      userId: LOCKED_USER.id,
      userName: LOCKED_USER.name,
      actionType: 'FAILED_LOGIN',
      objectType: 'USER',
      objectId: LOCKED_USER.id,
      objectName: LOCKED_USER.name,
      ipAddress: i % 2 ? '198.51.100.7' : '192.0.2.8',
    });
  }
  events.push({
    timeMs: burst + 7 * 30_000,
    userId: LOCKED_USER.id,
    userName: LOCKED_USER.name,
    actionType: 'LOCKED_OUT',
    objectType: 'USER',
    objectId: LOCKED_USER.id,
    objectName: LOCKED_USER.name,
    ipAddress: '198.51.100.7',
  });
  // Nothing happens in the gap, so "what the lake holds" and "what happened" are the same events.
  return events
    .filter((e) => e.timeMs < GAP_START || e.timeMs >= GAP_END)
    .sort((a, b) => a.timeMs - b.timeMs);
}

const entry = (e: KnownEvent): MemoryEntry => ({
  timeMs: e.timeMs,
  entry: {
    actionType: e.actionType,
    actorId: 0,
    eventText: e.actionType === 'VIEWED' ? `Viewed ${e.objectType.toLowerCase()}` : e.actionType,
    objectId: e.objectId,
    objectName: e.objectName,
    objectType: e.objectType,
    time: e.timeMs,
    userId: e.userId,
    userName: e.userName,
    userType: 'USER',
    ipAddress: e.ipAddress,
  },
});

/** Ingests the known events into `lakeDir` for every hour from the history start to the week's end, except the gap. */
export async function writeKnownLake(lakeDir: string): Promise<KnownEvent[]> {
  const events = knownEvents();
  const source = new MemoryAuditSource(events.map(entry));
  const store = new FsObjectStore(lakeDir);
  const geo = containerGeo(silent).geo;
  const deps = {
    ...noWaits,
    source,
    store,
    clock: { now: () => NOW },
    log: silent,
    metrics: { count() {} },
    geo,
  };
  const config = { ...defaultIngestConfig('acme'), concurrency: 8 };
  for (const range of [
    { fromMs: Math.floor(HISTORY_START / HOUR) * HOUR, toMs: GAP_START },
    { fromMs: GAP_END, toMs: WEEK_END },
  ]) {
    const summary = await runIngest(deps, config, { range });
    if (summary.failures.length > 0)
      throw new Error(`known lake ingest failed: ${summary.failures[0]?.message}`);
  }
  return events;
}

/**
 * The known lake the global setup (test/global-setup.ts) writes once per run, for the files that
 * only read it; waits until it is written. A file that writes to its lake uses
 * {@link writeKnownLake} on a directory of its own.
 */
export async function sharedKnownLake(): Promise<{ lakeDir: string; events: KnownEvent[] }> {
  const shared = inject('sharedKnownLake');
  await waitForKnownLake(shared);
  return { lakeDir: shared.lakeDir, events: knownEvents() };
}

/**
 * Waits for the global setup's ready file, at most `waitMs`: shorter than the hook timeout, whose
 * own message (`Hook timed out in 60000ms`) names neither the lake nor what to do. The lake takes
 * ~2-3 CPU-s; measured at load 12 on 2 cores (2026-12-08), 5-23 s of wall.
 */
export async function waitForKnownLake(shared: {
  lakeDir: string;
  readyFile: string;
  failedFile: string;
  waitMs: number;
}): Promise<void> {
  const giveUpAt = Date.now() + shared.waitMs;
  while (!existsSync(shared.readyFile)) {
    if (existsSync(shared.failedFile))
      throw new Error(`the shared known lake failed: ${readFileSync(shared.failedFile, 'utf8')}`);
    if (Date.now() > giveUpAt)
      throw new Error(
        `the shared known lake was not written within ${shared.waitMs / 1000} s (${shared.lakeDir}): test/global-setup.ts writes it in vitest's main process, in seconds on an idle machine. On a busy one, run fewer files at once or again when it is quieter; if it is slow when idle, time writeKnownLake (test/report/known-lake.ts) alone.`,
      );
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };
