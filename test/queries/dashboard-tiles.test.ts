import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbQueryEngine, openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { portabilityWarnings } from '../../functions/cli/portable-sql.ts';
import { unboundedScanLine } from '../../functions/cli/unbounded-scan.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { DAY_MS } from '../../functions/core/time-units.ts';
import { event, login, manifest, writeFixtureLake } from './support/lake-fixture.ts';
import { saveTrinoVerdicts, trinoErrors, trinoFunctionNames } from './support/trino-verdicts.ts';

/**
 * docs/queries.md "A dashboard on the lake": the five tiles a BI tool is given as custom SQL are
 * taken from the page as written, checked to bound every read by `dt` from `current_date` (no
 * parameter a BI dataset cannot fill), to read only those days' files, and to give the figures of
 * the catalog queries they name over the same days (review ANALYST, 2026-12-07).
 */
const docs = readFileSync(path.join(import.meta.dirname, '../../docs/queries.md'), 'utf8');
const section = docs.slice(
  docs.indexOf('\n## A dashboard on the lake (BI tools)\n'),
  docs.indexOf('\n## Hunting in Athena\n'),
);
const blocks = [...section.matchAll(/```sql\n([\s\S]*?)\n```/g)].map((m) => m[1] ?? '');
const [monthly = '', content = '', countries = '', failures = '', changes = '', hours = '', local = ''] =
  blocks;

const INSTANCE = 'main';
const [U1, U2, U3, ADMIN] = ['101', '102', '103', '900'];
const NOBODY = ' 0 ';
/** The tiles' today: their 30 days cross Denver's change of clocks (2026-11-01) and a month. */
const TODAY = '2026-11-20';

/** The UTC date `days` before `today`, as `dt` writes it. */
const dayBefore = (today: number, days: number) => new Date(today - days * DAY_MS).toISOString().slice(0, 10);
const monthStart = (today: number, back: number) => {
  const d = new Date(today);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1);
};

let dir: string;
let engine: DuckDbQueryEngine;
let todayMs: number;
/** The tiles' 30 days: [today - 30, today), UTC. */
let window: { fromMs: number; toMs: number };
let events: ReturnType<typeof event>[];

function fixtureEvents(today: number) {
  const at = (days: number, time: string) => `${dayBefore(today, days)} ${time}`;
  const onDay = (ms: number, time: string) => `${new Date(ms).toISOString().slice(0, 10)} ${time}`;
  const page = { object_type: 'PAGE', object_id: 'p1' };
  return [
    // Tile 1: an event in each of the four months read, one the day before them, one naming nobody.
    ...[0, 1, 2, 3].map((back) => event(onDay(monthStart(today, back), '12:00:00'), { user_id: U2 })),
    event(onDay(monthStart(today, 3) - DAY_MS, '12:00:00'), { user_id: U3 }),
    event(at(0, '00:00:01'), { user_id: NOBODY }),
    // Tile 2: a page renamed, viewed by two users and by nobody; a card spelt in lower case; views
    // the day before the 30 days and today, both left out.
    event(at(30, '00:00:00'), { ...page, object_name: 'Old name', user_id: U1 }),
    event(at(5, '10:00:00'), { ...page, object_name: 'New name', user_id: U2 }),
    event(at(5, '11:00:00'), { ...page, object_name: 'New name', user_id: NOBODY }),
    event(at(5, '11:30:00'), { ...page, object_name: null, user_id: U2 }),
    event(at(31, '23:59:59'), { ...page, object_name: 'Older', user_id: U3 }),
    event(at(0, '00:00:02'), { ...page, object_name: 'Today', user_id: U3 }),
    event(at(2, '09:00:00'), { object_type: 'card', action_type: 'viewed', object_id: 'c1', user_id: U1 }),
    // Tile 3: sign-ins from two countries, one unplaced, one naming nobody, one today.
    login(at(2, '08:00:00'), 'login', { user_id: U1, ip_country: 'US' }),
    login(at(2, '08:30:00'), 'login', { user_id: U2, ip_country: 'DE' }),
    login(at(10, '08:00:00'), 'login', { user_id: U3, ip_country: null }),
    login(at(10, '09:00:00'), 'login', { user_id: NOBODY, ip_country: 'US' }),
    login(at(0, '00:00:03'), 'login', { user_id: U1, ip_country: 'US' }),
    // Tile 4: failures and a lockout of one user, a failure naming nobody.
    login(at(3, '07:00:00'), 'login_failed', { user_id: U1 }),
    login(at(3, '07:01:00'), 'login_failed', { user_id: U1 }),
    login(at(3, '07:02:00'), 'lockout', { user_id: U1 }),
    login(at(4, '07:00:00'), 'login_failed', { user_id: NOBODY }),
    // Tile 5: a token made by an admin as another user, a role changed (any case), a user updated.
    event(at(6, '12:00:00'), {
      object_type: 'ACCESS_TOKEN',
      action_type: 'CREATED',
      user_id: U2,
      actor_id: ADMIN,
      actor_name: 'Admin',
    }),
    event(at(7, '12:00:00'), { object_type: 'role', action_type: 'UPDATED', user_id: U1 }),
    event(at(8, '12:00:00'), { object_type: 'USER', action_type: 'UPDATED', user_id: U3 }),
  ];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dashboard-'));
  todayMs = Date.parse(`${TODAY}T00:00:00Z`);
  window = { fromMs: todayMs - 30 * DAY_MS, toMs: todayMs };
  events = fixtureEvents(todayMs);
  // Tile 6: a whole day 2 days back, 3 hours of the day before, an hour of today (not read).
  const coverage = [
    ...Array.from({ length: 24 }, (_, h) => `${dayBefore(todayMs, 2)} ${String(h).padStart(2, '0')}:00`),
    ...['00:00', '01:00', '05:00'].map((hour) => `${dayBefore(todayMs, 3)} ${hour}`),
    `${dayBefore(todayMs, 0)} 00:00`,
  ].map((hour) => manifest(hour, { event_count: 2 }));
  await writeFixtureLake(dir, { instance: INSTANCE, events, coverage });
  engine = await openDuckDbEngine({ lakeDir: dir });
});
afterAll(async () => {
  saveTrinoVerdicts();
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The tile as it runs on TODAY: its current_date pinned, so no clock decides the answer. */
const pinned = (sql: string) => sql.replaceAll('current_date', `DATE '${TODAY}'`);
const run = async (sql: string) => (await engine.runSql(pinned(sql), [])).rows;
const catalog = async (name: string, period: { fromMs: number; toMs: number }, extra = {}) =>
  (await engine.run(name, { ...standardParams({ instance: INSTANCE, ...period, limit: 100 }), ...extra }))
    .rows;

describe("docs/queries.md's dashboard tiles", () => {
  it('are seven, each bounding instance and dt from current_date, portable as written', () => {
    expect(blocks).toHaveLength(7);
    for (const sql of blocks) {
      expect([...sql.matchAll(/\bFROM (?:activity_log|coverage)\b/g)], sql).toHaveLength(1);
      expect(sql).toContain(`instance = '${INSTANCE}'`);
      expect(sql, sql).toMatch(
        /\bdt >= (?:substr\()?CAST\(CAST\(current_date - INTERVAL '\d+' (?:DAY|MONTH) AS date\) AS varchar\)/,
      );
      expect(sql).not.toContain('?');
      expect(unboundedScanLine(sql), sql).toBe('');
      expect(portabilityWarnings(sql), sql).toEqual([]);
    }
  });

  it("parse with Trino's grammar, calling functions both engines answer alike", async () => {
    // Each in Athena v3's documented functions; none of those DuckDB answers otherwise (trim,
    // concat, date_add, date_diff, regexp_replace, count_if: sql-grammar.test.ts).
    const alike = new Set(['substr', 'count', 'translate', 'chr', 'max_by', 'upper', 'sum', 'max']);
    const zones = new Set(['at_timezone', 'with_timezone']);
    for (const sql of blocks) {
      expect(await trinoErrors(sql), sql).toEqual([]);
      const called = [...(await trinoFunctionNames(sql))];
      expect(
        called.filter((f) => !alike.has(f) && !zones.has(f)),
        sql,
      ).toEqual([]);
    }
  });

  it('run as written, current_date and all', async () => {
    for (const sql of blocks) await expect(engine.runSql(sql, []), sql).resolves.toBeDefined();
  });

  it("read only their days' files", async () => {
    const [plan] = await run(`EXPLAIN ANALYZE ${content}`);
    const read = /Total Files Read:[\s│]*(\d+)/.exec(Object.values(plan ?? {}).join('\n'))?.[1];
    const inWindow = events.filter((e) => e.event_time_ms >= window.fromMs && e.event_time_ms < window.toMs);
    expect(Number(read)).toBe(new Set(inWindow.map((e) => e.window_start_ms)).size);
    expect(Number(read)).toBeLessThan(new Set(events.map((e) => e.window_start_ms)).size);
  });

  it("1 gives each month's active users and events as period_totals does", async () => {
    const rows = await run(monthly);
    const starts = [3, 2, 1, 0].map((back) => monthStart(todayMs, back));
    expect(rows.map((r) => r.month)).toEqual(starts.map((ms) => new Date(ms).toISOString().slice(0, 7)));
    for (const [i, fromMs] of starts.entries()) {
      const [totals] = await catalog('period_totals', { fromMs, toMs: starts[i + 1] ?? todayMs + DAY_MS });
      expect([rows[i]?.active_users, rows[i]?.events].map(Number)).toEqual(
        [totals?.active_users, totals?.events].map(Number),
      );
    }
    // The first month read holds one event of one user; the day before it is not read.
    expect([rows[0]?.active_users, rows[0]?.events].map(Number)).toEqual([1, 1]);
  });

  it('2 ranks pages and cards as popular_pages and trending_cards count them', async () => {
    const rows = await run(content);
    const pages = await catalog('popular_pages', window);
    expect(
      rows
        .filter((r) => r.object_type === 'PAGE')
        .map((r) => [r.object_id, r.object_name, r.views, r.viewers].map(String)),
    ).toEqual(pages.map((r) => [r.page_id, r.page_name, r.views, r.viewers].map(String)));
    expect(pages.map((r) => [r.page_name, Number(r.views), Number(r.viewers)])).toEqual([['New name', 4, 2]]);
    // DuckDB's max_by passes over a null name, Trino's returns it: the key must be null there too.
    expect(content).toContain(
      'max_by(object_name, CASE WHEN object_name IS NOT NULL THEN event_time_ms END)',
    );
    const cards = await catalog('trending_cards', window);
    expect(rows.filter((r) => r.object_type === 'CARD').map((r) => [r.object_id, Number(r.views)])).toEqual(
      cards.map((r) => [r.card_id, Number(r.views)]),
    );
  });

  it("3 sums to logins_by_country's sign-ins per country", async () => {
    const rows = await run(countries);
    const sums = new Map<unknown, number>();
    for (const r of rows) sums.set(r.country, (sums.get(r.country) ?? 0) + Number(r.sign_ins));
    const byCountry = await catalog('logins_by_country', window);
    expect(Object.fromEntries(sums)).toEqual(
      Object.fromEntries(byCountry.map((r) => [r.country, Number(r.logins)])),
    );
    expect(Object.fromEntries(sums)).toEqual({ US: 2, DE: 1, null: 1 });
  });

  it("4 sums to period_totals' failed sign-ins and lockouts", async () => {
    const rows = await run(failures);
    const [totals] = await catalog('period_totals', window);
    const sum = (column: string) => rows.reduce((n, r) => n + Number(r[column]), 0);
    expect([sum('failed_sign_ins'), sum('lockouts')]).toEqual([
      Number(totals?.failed_logins),
      Number(totals?.lockouts),
    ]);
    expect(rows.map((r) => [Number(r.failed_sign_ins), Number(r.lockouts), Number(r.users_failing)])).toEqual(
      [
        [1, 0, 0],
        [2, 1, 1],
      ],
    );
  });

  it('5 lists the events admin_changes lists, with who did each', async () => {
    const rows = await run(changes);
    const listed = await catalog('admin_changes', window);
    expect(rows.map((r) => [r.event_time, r.user_id, r.object_id])).toEqual(
      listed.map((r) => [r.event_time, r.user_id, r.object_id]),
    );
    expect(rows.map((r) => r.doer_id)).toEqual([U3, U1, ADMIN]);
  });

  it("5 names admin_changes' object types, no more, no fewer", () => {
    const sql = readFileSync(
      path.join(import.meta.dirname, '../../functions/queries/admin_changes.sql'),
      'utf8',
    );
    const types = (text: string) =>
      [/upper\(object_type\) IN \(([^)]*)\)/.exec(text)?.[1] ?? ''].flatMap((list) =>
        [...list.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]),
      );
    expect(types(changes)).toEqual(types(sql));
    expect(types(changes).length).toBeGreaterThan(10);
  });

  it("6 counts each day's hours as data_health's covered hours", async () => {
    const rows = await run(hours);
    expect(rows.map((r) => [r.day, Number(r.hours_covered), Number(r.events)].map(String))).toEqual([
      [dayBefore(todayMs, 3), '3', '6'],
      [dayBefore(todayMs, 2), '24', '48'],
    ]);
    const [health] = await catalog('data_health', window);
    expect(Number(health?.covered_hours)).toBe(27);
  });

  it("7 counts Denver's last 30 full days as daily_activity does", async () => {
    const rows = await run(local);
    const first = dayBefore(todayMs, 30);
    const last = dayBefore(todayMs, 1);
    // A period wider than those days on both sides: each of them is whole in it.
    const days = await catalog(
      'daily_activity',
      { fromMs: todayMs - 32 * DAY_MS, toMs: todayMs + DAY_MS },
      { time_zone: 'America/Denver' },
    );
    const within = days.filter(
      (r) => String(r.day) >= first && String(r.day) <= last && Number(r.events) > 0,
    );
    const figures = (r: Record<string, unknown>, names: string[]) => [
      String(r.day),
      ...names.map((n) => Number(r[n])),
    ];
    expect(
      rows.map((r) => figures(r, ['events', 'active_users', 'sign_ins', 'failed_sign_ins', 'lockouts'])),
    ).toEqual(
      within.map((r) => figures(r, ['events', 'active_users', 'logins', 'failed_logins', 'lockouts'])),
    );
    // Today's first second UTC is yesterday afternoon in Denver: counted on yesterday.
    expect(rows.at(-1)?.day).toBe(last);
    expect(rows.length).toBeGreaterThan(5);
  });
});
