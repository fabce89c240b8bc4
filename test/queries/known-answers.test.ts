import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbQueryEngine, openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { lakeTimestamp } from '../../functions/core/lake/layout.ts';
import type { QueryRow } from '../../functions/core/ports.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
import { loadQuery, QUERY_NAMES } from '../../functions/queries/catalog.ts';
import type {
  ImpossibleTravelPattern,
  LeaverPattern,
  LockoutBurstPattern,
  NewNetworkPattern,
  UnusualHourPattern,
} from '../../functions/simulator/index.ts';
import { networkOf as simulatorNetworkOf } from '../../functions/simulator/index.ts';
import * as expected from './support/expected-answers.ts';
import * as investigation from './support/expected-investigation.ts';
import {
  buildSimulatedLake,
  GUARD_UNKNOWN_IDS,
  guardSprayAddress,
  type SimulatedLake,
} from './support/simulated-lake.ts';

// Three weeks and a day of a 10-user company; the simulator plants its patterns in the last full
// ISO week, 2026-10-26 to 2026-11-02, which also holds the end of US daylight saving time.
const lakeFrom = Date.parse('2026-10-12T00:00:00Z');
const lakeTo = Date.parse('2026-11-03T00:00:00Z');
const weekFrom = Date.parse('2026-10-26T00:00:00Z');
const weekTo = Date.parse('2026-11-02T00:00:00Z');
const removed = [
  Date.parse('2026-10-28T05:00:00Z'),
  Date.parse('2026-10-28T06:00:00Z'),
  Date.parse('2026-10-28T07:00:00Z'),
  Date.parse('2026-10-30T12:00:00Z'),
];
const late = [Date.parse('2026-10-27T09:00:00Z'), Date.parse('2026-10-31T15:00:00Z')];
/** User ids that name no one (review R-CONTRIB H2): empty, white space and 0. */
const NO_ONE = ['0', ' ', ''];
/**
 * Ids of a story each (support/simulated-lake.ts, guardStory) that a query without one of its
 * guards on user ids reads otherwise: naming no one (none, each ASCII white space, 0 within it),
 * and naming a user however odd (only "" and 0 are Domo's none).
 */
const GUARD_NO_ONE = [null, '', ' ', '\t', '\n', '\r\f', '0', ' 0 ', '\n0\r'];
const GUARD_SOMEONE = ['00', '0 0'];

let lake: SimulatedLake;
let engine: DuckDbQueryEngine;

beforeAll(async () => {
  lake = await buildSimulatedLake({
    seed: 20261026,
    fromMs: lakeFrom,
    toMs: lakeTo,
    users: 10,
    removeCoverage: removed,
    lateHours: late,
    // A query counting users without the guard (docs/queries.md, "Writing a query") counts these.
    noOneIds: NO_ONE,
    guardIds: [...GUARD_NO_ONE, ...GUARD_SOMEONE],
  });
  engine = await openDuckDbEngine({ lakeDir: lake.dir });
});

afterAll(async () => {
  await engine?.close();
  await lake?.cleanup();
});

/** Runs a catalog query on DuckDB over the simulated lake, and checks its columns are the contract's. */
async function run(name: string, overrides: Record<string, string> = {}, fromMs = weekFrom, toMs = weekTo) {
  const values = { ...standardParams({ instance: 'default', fromMs, toMs }), ...overrides };
  const result = await engine.run(name, values);
  expect(
    result.columns.map((c) => c.name),
    `${name}: columns against its header`,
  ).toEqual(loadQuery(name).columns);
  return result.rows;
}

/** The catalog queries a test here compared with their answer computed in TypeScript. */
const compared = new Set<string>();
/** Those of them compared at least once on an answer of some rows: an empty one proves little. */
const answered = new Set<string>();
/**
 * Queries this file's lake gives no row (so an empty answer equals a wrong one), with the test
 * file that compares them on records planted for them.
 */
const ROWS_ELSEWHERE: Record<string, string> = {
  dataset_deletions: 'test/queries/dataset-deletions.test.ts',
  activity_after_deactivation: 'test/queries/activity-after-deactivation.test.ts',
};

/**
 * Runs a catalog query and expects its rows to equal `want`, its answer computed apart in
 * TypeScript (support/expected-*.ts); returns the rows. The last test checks every catalog query
 * went through here at least once.
 */
async function answerOf(
  name: string,
  want: readonly QueryRow[],
  overrides: Record<string, string> = {},
  fromMs = weekFrom,
  toMs = weekTo,
): Promise<QueryRow[]> {
  compared.add(name);
  if (want.length > 0) answered.add(name);
  const rows = await run(name, overrides, fromMs, toMs);
  expect(rows, `${name}: rows against the answer computed in TypeScript`).toEqual(want);
  return rows;
}

const week = { instance: 'default', fromMs: weekFrom, toMs: weekTo };
const inPeriod = (e: { event_time_ms: number }) => e.event_time_ms >= weekFrom && e.event_time_ms < weekTo;
const planted = <K extends string>(kind: K) => lake.planted.find((p) => p.kind === kind);

describe('known answers: every catalog query on DuckDB equals the answer computed in TypeScript', () => {
  it('the simulated lake has what the answers need (variety, twins, gaps, late events, quarantine)', () => {
    expect(lake.events.length).toBeGreaterThan(1500);
    expect(lake.events.some((e) => e.ip_address === null)).toBe(true);
    expect(lake.events.some((e) => e.event_id.includes('-'))).toBe(true);
    expect(lake.lateEvents).toBe(late.length);
    expect(lake.coverage.some((m) => m.quarantined_count > 0)).toBe(true);
    expect(lake.events.some((e) => e.ip_country !== null && e.category === 'login')).toBe(true);
    for (const id of NO_ONE) {
      const held = lake.events.filter((e) => e.user_id === id && inPeriod(e));
      expect(held.length, `events of the week under user id ${JSON.stringify(id)}`).toBeGreaterThan(3);
      expect(held.some((e) => e.category === 'login')).toBe(true);
    }
    expect(lake.events.some((e) => e.user_id === '0' && e.object_type === 'PAGE')).toBe(true);
    for (const id of [...GUARD_NO_ONE, ...GUARD_SOMEONE]) {
      const story = lake.events.filter((e) => e.user_id === id && inPeriod(e));
      expect(
        story.filter((e) => e.category === 'login').length,
        `sign-ins of ${JSON.stringify(id)}`,
      ).toBeGreaterThan(2);
      expect(story.some((e) => e.category === 'login_failed')).toBe(true);
      expect(lake.events.some((e) => e.actor_id === id && e.action_type === 'EXPORTED')).toBe(true);
    }
  });

  for (const timeZone of ['UTC', 'America/Denver']) {
    it(`user_activity in ${timeZone}: one user's events in time, the clock change included`, async () => {
      const [top] = expected.mostActiveUsers(lake.events, week, 1);
      const userId = String(top?.user_id);
      const rows = await answerOf(
        'user_activity',
        investigation.userActivity(lake.events, week, userId, timeZone, 1000),
        { user_id: userId, time_zone: timeZone },
      );
      expect(rows.length).toBeGreaterThan(20);
      expect(rows.every((r) => r.total_rows === rows.length)).toBe(true);
      // Each local time carries its zone's offset then (the week ends just after US daylight time).
      const offsets = new Set(rows.map((r) => String(r.local_time).slice(-6)));
      for (const offset of offsets)
        expect(timeZone === 'UTC' ? ['+00:00'] : ['-06:00', '-07:00']).toContain(offset);
    });
  }

  it('data_movement: per user and kind, the exports, shares, deletions, tokens and activity-log views', async () => {
    const rows = await answerOf('data_movement', investigation.dataMovement(lake.events, week));
    expect(rows.length).toBeGreaterThan(5);
  });

  it('data_movement and user_activity tell the planted leaver: a token, datasets exported, pages shared', async () => {
    const leaver = planted('leaver') as LeaverPattern;
    const { token, exports, shares } = leaver.evidence;
    const rows = await run('data_movement');
    const mine = rows.filter((r) => r.user_id === leaver.userId);
    // The leaver may have made a token of their own earlier in the week too.
    const tokens = mine.find((r) => r.kind === 'token_created');
    expect(tokens?.object_types).toBe('ACCESS_TOKEN');
    expect(String(tokens?.first_time) <= lakeTimestamp(token.timeMs)).toBe(true);
    expect(String(tokens?.last_time) >= lakeTimestamp(token.timeMs)).toBe(true);
    // Among the card exports of their every day, the datasets: the last of the week.
    const exported = mine.find((r) => r.kind === 'export');
    expect(String(exported?.object_types).split(', ')).toContain('DATA_SOURCE');
    expect(Number(exported?.events)).toBeGreaterThanOrEqual(exports.length);
    expect(exported?.last_time).toBe(lakeTimestamp(exports.at(-1)?.timeMs ?? 0));
    // Nobody else exports whole datasets; the leaver's own shares are counted with the planted ones.
    expect(
      rows.filter((r) => String(r.object_types).includes('DATA_SOURCE') && r.kind === 'export'),
    ).toHaveLength(1);
    expect(Number(mine.find((r) => r.kind === 'share')?.events)).toBeGreaterThanOrEqual(shares.length);

    const activity = await run('user_activity', { user_id: leaver.userId, time_zone: 'America/Denver' });
    const story = activity.filter(
      (r) => Date.parse(`${String(r.event_time).replace(' ', 'T')}Z`) >= token.timeMs,
    );
    expect(
      story
        .slice(0, 1 + exports.length + shares.length)
        .map((r) => [r.action_type, r.object_type, r.object_id]),
    ).toEqual([
      ['CREATED', 'ACCESS_TOKEN', token.id],
      ...exports.map((e) => ['EXPORTED', 'DATA_SOURCE', e.id]),
      ...shares.map((e) => ['SHARED', 'PAGE', e.id]),
    ]);
    expect(story[0]).toMatchObject({
      event_time: lakeTimestamp(token.timeMs),
      local_time: investigation.localTime(token.timeMs, 'America/Denver'),
      ip_address: leaver.evidence.ipAddress,
      event_text: 'Access token created',
    });
  });

  for (const timeZone of ['UTC', 'Pacific/Auckland']) {
    it(`dataset_deletions in ${timeZone}: each dataset deleted, by whom, with its local week's count`, async () => {
      // The whole lake: three weeks, whose Mondays fall a day apart in the two zones.
      const rows = await answerOf(
        'dataset_deletions',
        investigation.datasetDeletions(lake.events, { ...week, fromMs: lakeFrom, toMs: lakeTo }, timeZone),
        { time_zone: timeZone },
        lakeFrom,
        lakeTo,
      );
      // Its 10 users delete no dataset (the simulator deletes only those a user made, and these
      // make few): the rows are test/queries/dataset-deletions.test.ts's.
      expect(rows).toEqual([]);
    });
  }

  it('bulk_data_movement: users moving far more than their own history, and first-time movers', async () => {
    const historyFromMs = weekFrom - 30 * DAY_MS;
    const rows = await answerOf(
      'bulk_data_movement',
      investigation.bulkDataMovement(lake.events, { ...week, historyFromMs }),
    );
    // The week before, with a week of history only: the lake's, not the 30 days, is the baseline.
    const before = { instance: 'default', fromMs: weekFrom - 7 * DAY_MS, toMs: weekFrom };
    await answerOf(
      'bulk_data_movement',
      investigation.bulkDataMovement(lake.events, { ...before, historyFromMs: before.fromMs - 30 * DAY_MS }),
      {},
      before.fromMs,
      before.toMs,
    );
    // The planted leaver stands out against their own weeks: the datasets, the pages shared.
    const leaver = planted('leaver') as LeaverPattern;
    const mine = rows.find((r) => r.user_id === leaver.userId);
    expect(mine?.dataset_exports).toBe(leaver.evidence.exports.length);
    expect(Number(mine?.shares)).toBeGreaterThanOrEqual(leaver.evidence.shares.length);
    expect(Number(mine?.moves)).toBeGreaterThan(3 * Number(mine?.baseline_moves));
    expect(rows[0]?.user_id).toBe(leaver.userId);
  });

  it("user_unusual_activity: one user's firsts and what they did far more than usual", async () => {
    const historyFromMs = weekFrom - 30 * DAY_MS;
    const leaver = planted('leaver') as LeaverPattern;
    const rows = await answerOf(
      'user_unusual_activity',
      investigation.userUnusualActivity(lake.events, { ...week, historyFromMs }, leaver.userId),
      { user_id: leaver.userId },
    );
    // The leaver's token, datasets and pages are firsts, listed before any view.
    const firsts = rows
      .filter((r) => r.finding === 'first_time')
      .map((r) => `${r.action_type} ${r.object_id}`);
    expect(firsts).toContain(`CREATED ${leaver.evidence.token.id}`);
    for (const x of leaver.evidence.exports) expect(firsts).toContain(`EXPORTED ${x.id}`);
    // A page the leaver shared in the weeks before is no first (the simulator's users share some).
    const sharedBefore = new Set(
      lake.events
        .filter(
          (e) => e.user_id === leaver.userId && e.action_type === 'SHARED' && e.event_time_ms < weekFrom,
        )
        .map((e) => e.object_id),
    );
    const newShares = leaver.evidence.shares.filter((x) => !sharedBefore.has(x.id));
    expect(newShares.length).toBeGreaterThan(0);
    for (const x of newShares) expect(firsts).toContain(`SHARED ${x.id}`);
    expect(rows.findIndex((r) => r.action_type === 'VIEWED')).not.toBe(0);
    // The users of the week, cut at 3 rows too, against the same answer: the first user of each
    // kind of answer the TypeScript gives (the findings of its rows, cut or not), 6 of the 20, for
    // DuckDB's ~0.2 CPU-s a query.
    const users = [...new Set(lake.events.filter(inPeriod).map((e) => e.user_id))].filter(
      (id): id is string => id !== null && /^[1-9][0-9]*$/.test(id),
    );
    const kinds = new Map<string, [string, QueryRow[]]>();
    for (const id of users) {
      const answer = investigation.userUnusualActivity(lake.events, { ...week, historyFromMs }, id, 3);
      const kind = `${[...new Set(answer.map((r) => r.finding))].sort().join(' ')} ${answer.length === 3}`;
      if (!kinds.has(kind)) kinds.set(kind, [id, answer]);
    }
    expect(kinds.size).toBeGreaterThanOrEqual(4);
    for (const [id, answer] of kinds.values()) {
      await answerOf('user_unusual_activity', answer, { user_id: id, max_rows: '3' });
    }
    // The lake's first week: no history before it, nothing judged, every row no_history.
    const first = { instance: 'default', fromMs: lakeFrom, toMs: lakeFrom + 7 * DAY_MS };
    const unjudged = await answerOf(
      'user_unusual_activity',
      investigation.userUnusualActivity(
        lake.events,
        { ...first, historyFromMs: lakeFrom - 30 * DAY_MS },
        leaver.userId,
      ),
      { user_id: leaver.userId },
      first.fromMs,
      first.toMs,
    );
    expect(unjudged.length).toBeGreaterThan(0);
    expect(new Set(unjudged.map((r) => r.finding))).toEqual(new Set(['no_history']));
  });

  it("user_activity lists what a user did on another's behalf, and cuts at max_rows with the total", async () => {
    const proxied = lake.events.find(
      (e) =>
        e.event_time_ms >= weekFrom &&
        e.event_time_ms < weekTo &&
        e.actor_id !== null &&
        !['0', ''].includes(e.actor_id),
    );
    if (!proxied?.actor_id) throw new Error("the simulated week has no event made on a user's behalf");
    const rows = await answerOf(
      'user_activity',
      investigation.userActivity(lake.events, week, proxied.actor_id, 'UTC', 1000),
      { user_id: proxied.actor_id },
    );
    expect(rows.some((r) => r.event_id === proxied.event_id && r.user_id !== proxied.actor_id)).toBe(true);
    const all = rows.length;
    const cut = await run('user_activity', { user_id: proxied.actor_id, max_rows: '3' });
    expect(cut).toEqual(rows.slice(0, 3).map((r) => ({ ...r, total_rows: all })));
    // keep_rows newest: the last three in time, still in time order (review F-RESPOND2 5).
    const newest = await run('user_activity', {
      user_id: proxied.actor_id,
      max_rows: '3',
      keep_rows: 'newest',
    });
    expect(newest).toEqual(rows.slice(-3).map((r) => ({ ...r, total_rows: all })));
    expect(await run('user_activity', { user_id: 'nobody' })).toEqual([]);
  });

  it('activity_after_deactivation: none in a lake where no user is deactivated', async () => {
    expect(
      await answerOf(
        'activity_after_deactivation',
        investigation.activityAfterDeactivation(lake.events, week, 1000),
      ),
    ).toEqual([]);
  });

  it('admin_changes: the changes to access, none a sign-in, cut at max_rows with the total', async () => {
    const rows = await answerOf(
      'admin_changes',
      investigation.adminChanges(lake.events, week, 1000, 'America/Denver'),
      { time_zone: 'America/Denver' },
    );
    // The simulated users' own tokens, made and deleted.
    expect(rows.length).toBeGreaterThan(1);
    // No sign-in is a change, though its object is a USER.
    expect(rows.some((r) => r.category !== 'other')).toBe(false);
    // The first rows in time, each with the count of all.
    const zoned = { time_zone: 'America/Denver' };
    expect(await run('admin_changes', { ...zoned, max_rows: '1' })).toEqual(rows.slice(0, 1));
    expect(await run('admin_changes', { ...zoned, max_rows: '2', keep_rows: 'newest' })).toEqual(
      rows.slice(-2),
    );
    // Each local time with its zone's offset then (the week ends just after US daylight time).
    for (const row of rows) expect(['-06:00', '-07:00']).toContain(String(row.local_time).slice(-6));
    expect(rows[0]?.total_rows).toBe(rows.length);
  });

  it("address_activity: every event from the stolen session's address, any user, cut at max_rows", async () => {
    const takeover = planted('impossible_travel') as ImpossibleTravelPattern;
    const { ipAddress } = takeover.evidence;
    const rows = await answerOf(
      'address_activity',
      investigation.addressActivity(lake.events, week, ipAddress, 1000, 'Asia/Kolkata'),
      { address: ipAddress, time_zone: 'Asia/Kolkata' },
    );
    expect(rows.every((r) => String(r.local_time).endsWith(' +05:30'))).toBe(true);
    // The intruder's sign-in and the three changes at least, all from that address.
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows.some((r) => r.category === 'login' && r.user_id === takeover.userId)).toBe(true);
    const zoned = { address: ipAddress, time_zone: 'Asia/Kolkata' };
    expect(await run('address_activity', { ...zoned, max_rows: '2' })).toEqual(rows.slice(0, 2));
    const newest = await run('address_activity', { ...zoned, max_rows: '2', keep_rows: 'newest' });
    expect(newest).toEqual(rows.slice(-2));
    // Its /24 holds it, and maybe neighbours.
    const network = ipAddress.replace(/\.\d+$/, '.0/24');
    const wider = await answerOf(
      'address_activity',
      investigation.addressActivity(lake.events, week, network, 1000),
      { address: network },
    );
    expect(wider.length).toBeGreaterThanOrEqual(rows.length);
  });

  it("user_addresses: the stolen account's addresses, the intruder's among them, and other users'", async () => {
    const takeover = planted('impossible_travel') as ImpossibleTravelPattern;
    const rows = await answerOf(
      'user_addresses',
      investigation.userAddresses(lake.events, week, takeover.userId, 'America/Denver'),
      { user_id: takeover.userId, time_zone: 'America/Denver' },
    );
    const intruder = rows.find((r) => String(r.ip_address).includes(takeover.evidence.ipAddress));
    expect(intruder?.sign_ins).toBeGreaterThanOrEqual(1);
    expect(rows.length).toBeGreaterThan(1);
    // Each user of the week, as its own suspect: the answers of busy and quiet users alike.
    const users = [...new Set(lake.events.filter(inPeriod).map((e) => e.user_id))].filter(expected.namesUser);
    const shared: unknown[] = [];
    for (const id of users.slice(0, 12)) {
      const theirs = await answerOf('user_addresses', investigation.userAddresses(lake.events, week, id), {
        user_id: id,
      });
      shared.push(...theirs.filter((r) => Number(r.other_users) > 0).map((r) => r.other_user_names));
    }
    // Some share an address with others (the spray's, an office's): those columns are compared too.
    expect(shared.length).toBeGreaterThan(0);
  });

  it("admin_changes and user_activity tell the stolen session's changes: a token, a role, a group", async () => {
    const takeover = planted('impossible_travel') as ImpossibleTravelPattern;
    const { adminChanges, ipAddress } = takeover.evidence;
    expect(adminChanges.map((c) => c.objectType)).toEqual(['ACCESS_TOKEN', 'USER', 'GROUP']);
    // Each change the intruder made is a row, in time, from the intruder's address.
    const rows = await run('admin_changes');
    const theirs = rows.filter((r) => r.user_id === takeover.userId && r.ip_address === ipAddress);
    expect(theirs.map((r) => [r.event_time, r.action_type, r.object_type, r.object_id])).toEqual(
      adminChanges.map((c) => [lakeTimestamp(c.timeMs), c.actionType, c.objectType, c.objectId]),
    );
    expect(String(theirs[1]?.additional_comment)).toMatch(/changed the role of .* to Admin\./);
    // The user whose role was raised sees it done to them, by the stolen account.
    const raised = String(adminChanges[1]?.objectId);
    const activity = await run('user_activity', { user_id: raised });
    // And the guard stories' change to it, its object type spelt in lower case; not their card
    // whose id is the user's (an object of another type).
    expect(
      activity
        .filter((r) => r.involvement === 'subject')
        .map((r) => [r.user_id, r.action_type, r.object_type]),
    ).toEqual([
      [takeover.userId, 'CHANGED', 'USER'],
      [takeover.userId, 'UPDATED', 'user'],
    ]);
    expect(activity.some((r) => r.object_type === 'CARD' && r.object_id === raised)).toBe(false);
    expect(activity).toEqual(investigation.userActivity(lake.events, week, raised, 'UTC', 1000));
  });

  it('most_active_users', async () => {
    const rows = await answerOf('most_active_users', expected.mostActiveUsers(lake.events, week, 7), {
      limit: '7',
    });
    expect(rows).toHaveLength(7);
    // Every user, the guard stories' odd ids among them, and none for an id naming no one.
    const all = await answerOf('most_active_users', expected.mostActiveUsers(lake.events, week, 1000), {
      limit: '1000',
    });
    const ids = all.map((r) => r.user_id);
    for (const id of GUARD_SOMEONE) expect(ids).toContain(id);
    for (const id of [...NO_ONE, ...GUARD_NO_ONE]) expect(ids).not.toContain(id);
  });

  it('trending_cards (against the week before)', async () => {
    const rows = await answerOf('trending_cards', expected.trendingCards(lake.events, week, 15), {
      limit: '15',
    });
    expect(rows.some((r) => r.change_pct === null)).toBe(rows.some((r) => r.previous_views === 0));
    expect(rows.some((r) => typeof r.change_pct === 'number' && !Number.isInteger(r.change_pct))).toBe(true);
    // Every card: those with a view or two, or none under an id (an entry that lost it), too.
    await answerOf('trending_cards', expected.trendingCards(lake.events, week, 1000), { limit: '1000' });
  });

  it('popular_pages', async () => {
    const rows = await answerOf('popular_pages', expected.popularPages(lake.events, week, 100), {
      limit: '100',
    });
    expect(rows.length).toBeGreaterThan(5);
  });

  it('failed_logins_and_lockouts, with the planted lockout burst first', async () => {
    const rows = await answerOf(
      'failed_logins_and_lockouts',
      expected.failedLoginsAndLockouts(lake.events, week),
    );
    const burst = planted('lockout_burst') as LockoutBurstPattern;
    expect(rows[0]).toMatchObject({
      user_id: burst.userId,
      lockouts: 1,
      failed_attempts: burst.evidence.failedAttempts,
      distinct_ips: burst.evidence.ipAddresses.length,
      first_failure: lakeTimestamp(burst.evidence.firstFailureMs),
      last_lockout: lakeTimestamp(burst.evidence.lockedOutMs),
    });
  });

  /** The guard stories' spray address (support/simulated-lake.ts), beside the stolen session's. */
  const sprayAddress = () =>
    guardSprayAddress((planted('impossible_travel') as ImpossibleTravelPattern).evidence.ipAddress);
  /** Its failures: 5 under each guard id, and before each one under each unknown account. */
  const sprayFailures = (5 + GUARD_UNKNOWN_IDS.length) * (GUARD_NO_ONE.length + GUARD_SOMEONE.length);
  /**
   * The users it failed for: the unknown accounts, the odd ids, and the name typed under every id
   * naming no one, one user however many such ids typed it.
   */
  const sprayUsers = GUARD_UNKNOWN_IDS.length + GUARD_SOMEONE.length + 1;

  it("failed_logins_by_ip: only the guard stories' address (the lockout burst fails for one user)", async () => {
    const rows = await answerOf('failed_logins_by_ip', expected.failedLoginsByIp(lake.events, week));
    expect(planted('password_spray')).toBeUndefined();
    expect(rows).toEqual([
      expect.objectContaining({
        ip_address: sprayAddress(),
        users: sprayUsers,
        failed_attempts: sprayFailures,
      }),
    ]);
  });

  it("failed_logins_by_network: the guard stories' network and owner, by the alerts' own groups", async () => {
    const rows = await answerOf(
      'failed_logins_by_network',
      expected.failedLoginsByNetwork(lake.events, week, 10),
    );
    // failed-logins-by-network.test.ts compares the same answer over planted sprays. Failures naming
    // no one typed one name: no group of their own (5 users). The network's sign-ins: the odd ids'
    // from the distant and the spray address, and the stolen session's; none naming no one.
    const network = sprayAddress().replace(/\.\d+$/, '.0/24');
    expect(rows.map((r) => [r.kind, r.users, r.failed_attempts])).toEqual([
      ['network', sprayUsers, sprayFailures],
      ['owner', sprayUsers, sprayFailures],
    ]);
    expect(rows[0]).toMatchObject({ grp: network, sign_ins: 2 * GUARD_SOMEONE.length + 1 });
    expect(rows[0]?.signed_in_users).toBe(GUARD_SOMEONE.length + 1);
  });

  it('login_after_failures: the sign-ins the alert detector raises, with their failures', async () => {
    // The simulated week's own raise none (its lockout burst's user does not sign in within the
    // hour); login-after-failures-twin.test.ts plants the cases. The guard stories' odd ids sign in
    // after 5 failures each; those naming no one are no one's.
    const rows = await answerOf('login_after_failures', expected.loginAfterFailures(lake.events, week));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(GUARD_SOMEONE).toContain(row.user_id);
      expect(row).toMatchObject({ failed_attempts: 5, lockouts: 0 });
    }
    expect(new Set(rows.map((r) => r.user_id)).size).toBe(GUARD_SOMEONE.length);
  });

  it('login_after_spray: the sign-ins the alert detector raises, evaluated hour by hour', async () => {
    // The simulated week's own raise none (the simulator plants no such sign-in);
    // login-after-spray-twin.test.ts plants the cases and compares every level. The guard stories'
    // address is sprayed each hour before an id signs in from it: the odd ids' sign-ins are raised,
    // those naming no one are no one's.
    const rows = await answerOf('login_after_spray', expected.loginAfterSpray(lake.events, week));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(GUARD_SOMEONE).toContain(row.user_id);
    expect(new Set(rows.map((r) => r.user_id)).size).toBe(GUARD_SOMEONE.length);
  });

  for (const timeZone of ['UTC', 'America/Denver', 'Asia/Kolkata']) {
    it(`daily_activity in ${timeZone}`, async () => {
      const rows = await answerOf(
        'daily_activity',
        expected.dailyActivity(lake.events, lake.coverage, week, timeZone),
        { time_zone: timeZone },
      );
      // Every workday at least (a weekend of a 10-user company may be empty).
      expect(rows.length).toBeGreaterThanOrEqual(5);
    });
  }

  it('daily_activity tells a quiet day from one the lake does not hold, by its covered hours', async () => {
    const rows = await run('daily_activity', { time_zone: 'UTC' });
    // 2026-10-28 lost three hours' manifests (not their events), 2026-10-30 one.
    expect(rows.find((r) => r.day === '2026-10-28')).toMatchObject({ covered_hours: 21 });
    expect(rows.find((r) => r.day === '2026-10-30')).toMatchObject({ covered_hours: 23 });
    expect(rows.find((r) => r.day === '2026-10-27')).toMatchObject({ covered_hours: 24 });
    // An ingested hour without events is a row of zeros with its hour; one the lake lacks, no row.
    const quiet = lake.coverage.find(
      (m) =>
        m.window_start_ms >= weekFrom &&
        m.window_start_ms < weekTo &&
        !lake.events.some((e) => e.event_time_ms >= m.window_start_ms && e.event_time_ms < m.window_end_ms),
    );
    if (!quiet) throw new Error('the simulated week has no quiet hour');
    const hour = await run(
      'daily_activity',
      { time_zone: 'UTC' },
      quiet.window_start_ms,
      quiet.window_end_ms,
    );
    expect(hour).toEqual([
      {
        day: quiet.window_start.slice(0, 10),
        events: 0,
        active_users: 0,
        logins: 0,
        failed_logins: 0,
        lockouts: 0,
        covered_hours: 1,
        short_hours: 0,
        short_events: 0,
      },
    ]);
    expect(
      await run('daily_activity', {}, Date.parse('2027-01-04T00:00:00Z'), Date.parse('2027-01-05T00:00:00Z')),
    ).toEqual([]);
  });

  it('uncounted_sign_ins: every quarantined sign-in event of the lake, and no stored event', async () => {
    const all = { instance: 'default', fromMs: lakeFrom, toMs: lakeTo };
    const answer = expected.uncountedSignIns(lake.quarantined, all);
    expect(answer.length).toBeGreaterThan(0);
    await answerOf('uncounted_sign_ins', answer, {}, lakeFrom, lakeTo);
  });

  it('logins_by_country: the sign-ins of the week per country, with the geo database that placed them', async () => {
    const rows = await answerOf('logins_by_country', expected.loginsByCountry(lake.events, week));
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.every((r) => r.country === null || r.geo_db_versions !== null)).toBe(true);
  });

  it('latest_events: the 200 latest events from a day on, newest first', async () => {
    const rows = await answerOf(
      'latest_events',
      expected.latestEvents(lake.events, 'default', '2026-10-30'),
      { from_dt: '2026-10-30' },
    );
    expect(rows).toHaveLength(200);
  });

  it('period_totals, and its zero row for a period without events', async () => {
    await answerOf('period_totals', expected.periodTotals(lake.events, week));
    const empty = await run(
      'period_totals',
      {},
      Date.parse('2027-01-04T00:00:00Z'),
      Date.parse('2027-01-11T00:00:00Z'),
    );
    expect(empty).toEqual([
      { events: 0, active_users: 0, logins: 0, failed_logins: 0, lockouts: 0, distinct_objects: 0 },
    ]);
  });

  it('data_health over the week: the removed manifests are two gaps, late events and quarantine are summed', async () => {
    const rows = await answerOf('data_health', expected.dataHealth(lake.events, lake.coverage, week));
    expect(rows[0]).toMatchObject({
      expected_hours: 168,
      covered_hours: 164,
      missing_hours: 4,
      gap_count: 2,
      first_missing_hour: '2026-10-28 05:00:00.000',
      late_events: late.length,
    });
  });

  it('data_health over a period running past the lake, starting off the hour', async () => {
    const from = Date.parse('2026-10-30T11:30:00Z');
    const to = Date.parse('2026-11-04T00:00:00Z');
    const rows = await run('data_health', {}, from, to);
    expect(rows).toEqual(
      expected.dataHealth(lake.events, lake.coverage, { instance: 'default', fromMs: from, toMs: to }),
    );
    // 12:00 on 10-30 is missing, and so is everything from the lake's end on: one gap between
    // covered hours, the rest after the lake's last hour (ended hours, not a gap between two).
    expect(rows[0]).toMatchObject({
      gap_count: 2,
      first_missing_hour: '2026-10-30 12:00:00.000',
      missing_hours: 25,
      inner_gap_count: 1,
      inner_missing_hours: 1,
      leading_missing_hours: 0,
      trailing_missing_hours: 24,
      not_closed_hours: 0,
      // Each run of them, in time order, as the report names them.
      missing_runs: '2026-10-30T12:00Z/PT1H\u001f2026-11-03T00:00Z/PT24H',
    });
  });

  it('data_health of a period with no coverage at all', async () => {
    const from = Date.parse('2025-01-06T00:00:00Z');
    const rows = await run('data_health', {}, from, from + DAY_MS);
    expect(rows).toEqual([
      {
        expected_hours: 24,
        covered_hours: 0,
        missing_hours: 24,
        gap_count: 1,
        first_missing_hour: '2025-01-06 00:00:00.000',
        late_events: 0,
        quarantined: 0,
        out_of_window: 0,
        events: 0,
        last_event_time: null,
        last_fetched_at: null,
        logins: 0,
        unplaced_logins: 0,
        short_hours: 0,
        short_events: 0,
        logins_without_user: 0,
        logins_without_ip: 0,
        extra_hours: 0,
        extra_events: 0,
        logins_without_country: 0,
        events_without_action_type: 0,
        // Ended, and before any covered hour: before the lake began (or a gap at the period's start).
        not_closed_hours: 0,
        leading_missing_hours: 24,
        trailing_missing_hours: 0,
        inner_gap_count: 0,
        inner_missing_hours: 0,
        missing_runs: '2025-01-06T00:00Z/PT24H',
      },
    ]);
  });

  it('data_health: hours not ended yet are neither a gap nor before the lake', async () => {
    const from = Date.parse('2099-01-05T00:00:00Z');
    const [row] = await run('data_health', {}, from, from + DAY_MS);
    expect(row).toMatchObject({
      missing_hours: 24,
      gap_count: 1,
      not_closed_hours: 24,
      leading_missing_hours: 0,
      trailing_missing_hours: 0,
      inner_gap_count: 0,
      inner_missing_hours: 0,
      missing_runs: null,
    });
  });

  /** ` -07:00` as a pattern, the zone's offset the evidence gives after a local time; none in UTC. */
  const offsetAfter = (ms: number, timeZone: string): string =>
    timeZone === 'UTC' ? '' : ` \\${expected.localParts(ms, timeZone).offset}`;
  for (const timeZone of ['UTC', 'America/Denver']) {
    it(`suspicious_logins in ${timeZone}: equal to the TypeScript answer, planted patterns found`, async () => {
      const want = expected.suspiciousLogins(
        lake.events,
        week,
        expected.standardSuspiciousOptions(weekFrom, timeZone),
      );
      const rows = await answerOf('suspicious_logins', want, { time_zone: timeZone });

      const newNetwork = planted('new_network') as NewNetworkPattern;
      expect(rows).toContainEqual(
        expect.objectContaining({
          reason: 'new_network',
          user_id: newNetwork.userId,
          event_time: lakeTimestamp(newNetwork.timeMs),
          asn: newNetwork.evidence.asn,
          network: newNetwork.evidence.network,
          evidence: expect.stringMatching(
            // The lake starts 14 days before the week: the evidence says how much history there was.
            /^first login from network owner AS\d+ \(.+\) in 1[34] days of history; \d+ owners? known; network \d+\.\d+\.\d+\.0\/24$/,
          ),
        }),
      );
      // Every planted geo finding is there (trips: new country; stolen passwords: impossible travel).
      for (const p of lake.planted) {
        if (p.kind !== 'new_country' && p.kind !== 'impossible_travel' && p.kind !== 'new_network') continue;
        for (const reason of p.findings) {
          expect(rows).toContainEqual(
            expect.objectContaining({ reason, user_id: p.userId, event_time: lakeTimestamp(p.timeMs) }),
          );
        }
      }
      const unusual = planted('unusual_hour') as UnusualHourPattern;
      const localHour = expected.localParts(unusual.timeMs, timeZone).hour;
      const hh = (hour: number) => String((hour + 24) % 24).padStart(2, '0');
      expect(rows).toContainEqual(
        expect.objectContaining({
          reason: 'unusual_hour',
          user_id: unusual.userId,
          event_time: lakeTimestamp(unusual.timeMs),
          local_hour: localHour,
          evidence: expect.stringMatching(
            new RegExp(
              // Not "the previous 30 days": the lake starts 14 days before the week.
              `^login at ${String(localHour).padStart(2, '0')}:\\d\\d${offsetAfter(unusual.timeMs, timeZone)} ${timeZone}; 0 of \\d+ logins in 1[34] days of history were in the hours ${hh(localHour - 2)}:00 to ${hh(localHour + 2)}:59$`,
            ),
          ),
        }),
      );
    });
  }

  it('suspicious_logins with a short history and a higher bar: fewer unusual hours, same answer', async () => {
    const historyFromMs = weekFrom - 7 * DAY_MS;
    const rows = await run('suspicious_logins', {
      history_from_dt: lakeTimestamp(historyFromMs).slice(0, 10),
      history_from_ts: lakeTimestamp(historyFromMs),
      min_history_logins: '8',
    });
    expect(rows).toEqual(
      expected.suspiciousLogins(lake.events, week, { timeZone: 'UTC', historyFromMs, minHistoryLogins: 8 }),
    );
    expect(
      rows.filter((r) => r.reason !== 'impossible_travel').every((r) => / 7 days/.test(String(r.evidence))),
    ).toBe(true);
  });

  it('login_history: the users of the week, and those with too little history to be judged', async () => {
    const standard = (fromMs: number) => expected.standardSuspiciousOptions(fromMs);
    // The planted week has 14 days of history: every user of the 10 has the 10 logins it takes;
    // the guard stories' odd ids sign in that week only (those naming no one are no user).
    const odd = GUARD_SOMEONE.length;
    await answerOf('login_history', expected.loginHistory(lake.events, week, standard(weekFrom)));
    expect(await run('login_history')).toEqual([
      { users: 10 + odd, short_history_users: odd, short_placed_history_users: odd },
    ]);
    // The week before has 7 days of history, enough for some users only.
    const before = { instance: 'default', fromMs: weekFrom - 7 * DAY_MS, toMs: weekFrom };
    const mixed = await run('login_history', {}, before.fromMs, before.toMs);
    expect(mixed).toEqual(expected.loginHistory(lake.events, before, standard(before.fromMs)));
    expect(mixed).toEqual([{ users: 10, short_history_users: 7, short_placed_history_users: 7 }]);
    // The lake's first week has none, so nobody can be judged.
    const first = await run('login_history', {}, lakeFrom, lakeFrom + 7 * DAY_MS);
    expect(first).toEqual([{ users: 10, short_history_users: 10, short_placed_history_users: 10 }]);
    const empty = await run(
      'login_history',
      {},
      Date.parse('2027-01-04T00:00:00Z'),
      Date.parse('2027-01-11T00:00:00Z'),
    );
    expect(empty).toEqual([{ users: 0, short_history_users: 0, short_placed_history_users: 0 }]);
  });

  it('login_history follows the history window and the bar it is given', async () => {
    const historyFromMs = weekFrom - 7 * DAY_MS;
    const shorter = {
      history_from_dt: lakeTimestamp(historyFromMs).slice(0, 10),
      history_from_ts: lakeTimestamp(historyFromMs),
    };
    for (const [bar, short] of [
      [10, 8],
      [5, 0],
    ] as const) {
      const rows = await run('login_history', { ...shorter, min_history_logins: String(bar) });
      expect(rows).toEqual(
        expected.loginHistory(lake.events, week, { historyFromMs, minHistoryLogins: bar }),
      );
      // The guard stories' odd ids have no history (support/simulated-lake.ts, guardStory).
      const odd = GUARD_SOMEONE.length;
      expect(rows).toEqual([
        { users: 10 + odd, short_history_users: short + odd, short_placed_history_users: short + odd },
      ]);
    }
  });

  it('the TypeScript network rule agrees with the simulator on every address it generated', () => {
    // Not the guard stories' text of no address (support/simulated-lake.ts), which it did not generate.
    const addresses = new Set(
      lake.events.map((e) => e.ip_address).filter((ip): ip is string => ip !== null && ip !== 'unknown'),
    );
    expect([...addresses].some((ip) => ip.includes(':'))).toBe(true);
    for (const ip of addresses) expect(expected.networkOf(ip)).toBe(simulatorNetworkOf(ip));
  });
});

describe('known answers hold for a period that does not start at midnight UTC', () => {
  // A report week in America/Denver: Monday 00:00 local = 06:00 UTC.
  const from = Date.parse('2026-10-26T06:00:00Z');
  const to = from + 7 * DAY_MS + HOUR_MS;
  const p = { instance: 'default', fromMs: from, toMs: to };
  const rowsOf = async (name: string, extra: Record<string, string> = {}): Promise<QueryRow[]> =>
    run(name, { time_zone: 'America/Denver', ...extra }, from, to);

  it('every query', async () => {
    expect(await rowsOf('most_active_users')).toEqual(
      expected.mostActiveUsers(lake.events, p, 10, 'America/Denver'),
    );
    expect(await rowsOf('trending_cards')).toEqual(expected.trendingCards(lake.events, p, 10));
    expect(await rowsOf('popular_pages')).toEqual(expected.popularPages(lake.events, p, 10));
    expect(await rowsOf('failed_logins_and_lockouts')).toEqual(
      expected.failedLoginsAndLockouts(lake.events, p),
    );
    expect(await rowsOf('daily_activity')).toEqual(
      expected.dailyActivity(lake.events, lake.coverage, p, 'America/Denver'),
    );
    expect(await rowsOf('period_totals')).toEqual(expected.periodTotals(lake.events, p));
    expect(await rowsOf('data_health')).toEqual(expected.dataHealth(lake.events, lake.coverage, p));
    expect(await rowsOf('suspicious_logins')).toEqual(
      expected.suspiciousLogins(lake.events, p, expected.standardSuspiciousOptions(from, 'America/Denver')),
    );
    expect(await rowsOf('login_history')).toEqual(
      expected.loginHistory(lake.events, p, expected.standardSuspiciousOptions(from)),
    );
    expect(await rowsOf('uncounted_sign_ins')).toEqual(expected.uncountedSignIns(lake.quarantined, p));
    expect(await rowsOf('data_movement')).toEqual(investigation.dataMovement(lake.events, p));
    expect(await rowsOf('admin_changes')).toEqual(
      investigation.adminChanges(lake.events, p, 1000, 'America/Denver'),
    );
    const [top] = expected.mostActiveUsers(lake.events, p, 1);
    expect(await rowsOf('user_activity', { user_id: String(top?.user_id) })).toEqual(
      investigation.userActivity(lake.events, p, String(top?.user_id), 'America/Denver', 1000),
    );
  });
});

describe('every catalog query has a known answer', () => {
  // Last in the file: the tests above have run (in order) and recorded what they compared.
  it('went through answerOf above, its rows compared with an answer computed in TypeScript', () => {
    expect(
      QUERY_NAMES.filter((name) => !compared.has(name)),
      'catalog queries no test compares with a known answer: compute the answer in ' +
        'test/queries/support/expected-answers.ts (no SQL, from lake.events) and compare it in ' +
        'a test of test/queries/known-answers.test.ts through answerOf(name, answer, ...) ' +
        '(a run narrowed by -t or a name leaves the other tests out: run the whole file)',
    ).toEqual([]);
  });

  it('compared each on an answer of some rows, or names the test that plants rows for it', () => {
    expect(
      QUERY_NAMES.filter((name) => compared.has(name) && !answered.has(name) && !(name in ROWS_ELSEWHERE)),
      'catalog queries whose every known answer here is empty (an empty answer equals a query that ' +
        'finds nothing): plant the events they find in the simulated lake, or test their rows on ' +
        'records of their own and name that file in ROWS_ELSEWHERE (test/queries/known-answers.test.ts)',
    ).toEqual([]);
    for (const [name, file] of Object.entries(ROWS_ELSEWHERE)) {
      expect(existsSync(path.join(import.meta.dirname, '../..', file)), `${name}: ${file}`).toBe(true);
      expect(answered.has(name), `${name} has rows here now: take it out of ROWS_ELSEWHERE`).toBe(false);
    }
  });
});
