/**
 * One definition: the alert detector and the weekly report's SQL (suspicious_logins,
 * failed_logins_and_lockouts, on DuckDB) over the same simulated lake on disk find the same things.
 * Also the one end-to-end run of the `alerts` command (disk lake, JSON output, .eml written).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbQueryEngine, openDuckDbEngine } from '../../../functions/adapters/duckdb-engine.ts';
import { alertsCommand } from '../../../functions/cli/commands/alerts.ts';
import type { Alert } from '../../../functions/core/alerts/alert.ts';
import { readsEvent } from '../../../functions/core/alerts/alert-event.ts';
import { detectAlerts } from '../../../functions/core/alerts/detect-hour.ts';
import { detectPrivilegedChanges } from '../../../functions/core/alerts/detect-privileged-changes.ts';
import { detectSuspiciousLogins } from '../../../functions/core/alerts/detect-suspicious-logins.ts';
import { alertEventOfLine } from '../../../functions/core/alerts/kept-events.ts';
import { LoginProfile } from '../../../functions/core/alerts/login-profile.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { utcInstant } from '../../../functions/core/lake/utc-instant.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { DEFAULT_ALERT_SETTINGS } from '../../../functions/core/queries/alert-settings.ts';
import { standardParams } from '../../../functions/core/queries/query-params.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { loadQueryCatalog } from '../../../functions/queries/catalog.ts';
import type {
  LockoutBurstPattern,
  NewNetworkPattern,
  PlantedPattern,
  UnusualHourPattern,
} from '../../../functions/simulator/index.ts';
import { type FixtureEngine, openFixtureEngine } from '../../queries/support/fixture-engine.ts';
import { login, writeFixtureLake } from '../../queries/support/lake-fixture.ts';
import { readLake } from '../../support/lake-contents.ts';
import { writeLakeObjects } from '../../support/write-lake-file.ts';
import { historyProfile, hourInput, memoryLake, suspiciousLoginsOver } from './support/alert-fixtures.ts';

const lakeFrom = Date.parse('2026-10-12T00:00:00Z');
const lakeTo = Date.parse('2026-11-03T00:00:00Z');
const weekFrom = Date.parse('2026-10-26T00:00:00Z');
const weekTo = Date.parse('2026-11-02T00:00:00Z');

let lake: { dir: string; events: EventRecord[]; planted: PlantedPattern[] };
let engine: DuckDbQueryEngine;
let out: string;

beforeAll(async () => {
  // Ingested on the schedule's terms in memory (fast), then laid out on disk for DuckDB.
  const memory = memoryLake({ seed: 20261026, fromMs: lakeFrom, toMs: lakeTo });
  await memory.ingest(lakeTo + 15 * 60_000);
  const dir = await mkdtemp(join(tmpdir(), 'alerts-lake-'));
  writeLakeObjects(dir, memory.store.objects);
  lake = { dir, events: (await readLake(memory.store, 'default')).events, planted: memory.planted };
  engine = await openDuckDbEngine({ lakeDir: lake.dir });
  // The lake's ~950 files read once into tables behind the same view names: the ~60 queries below
  // (see `sql`) then compare the SQL's logic without each re-reading and re-parsing every file.
  // Reading the files is the engine's own test's subject; the `alerts` command below still reads them.
  for (const table of ['activity_log', 'coverage', 'quarantine']) {
    await engine.runSql(`CREATE TABLE ${table}_held AS SELECT * FROM ${table}`, []);
    await engine.runSql(`CREATE OR REPLACE VIEW ${table} AS SELECT * FROM ${table}_held`, []);
  }
  out = await mkdtemp(join(tmpdir(), 'alerts-out-'));
}, 120_000);

afterAll(async () => {
  await engine?.close();
  if (lake) await rm(lake.dir, { recursive: true, force: true });
  if (out) await rm(out, { recursive: true, force: true });
});

const hourIndex = (events: readonly EventRecord[]) => {
  const byHour = new Map<number, EventRecord[]>();
  for (const e of events) {
    const hour = Math.floor(e.event_time_ms / HOUR_MS) * HOUR_MS;
    byHour.set(hour, [...(byHour.get(hour) ?? []), e]);
  }
  return byHour;
};

/** The detector over [fromMs, toMs) as one period, its history folded from the lake's records. */
function detectPeriod(fromMs: number, toMs: number, timeZone: string, minHistoryLogins?: number) {
  const profile = historyProfile(lake.events, fromMs, timeZone);
  const events = lake.events.filter((e) => e.event_time_ms >= fromMs && e.event_time_ms < toMs);
  const settings = {
    ...DEFAULT_ALERT_SETTINGS,
    timeZone,
    minHistoryLogins: minHistoryLogins ?? DEFAULT_ALERT_SETTINGS.minHistoryLogins,
  };
  return {
    profile,
    events,
    settings,
    alerts: detectSuspiciousLogins({
      instance: 'default',
      fromMs,
      toMs,
      events,
      before: [],
      profile,
      settings,
    }),
  };
}

const catalog = loadQueryCatalog();

/**
 * The catalog's query, bound as `engine.run` binds it, run on the held tables: `engine.run` gives a
 * query with `dt` bounds (these all have) views over its days' files, which would read and parse
 * a month of the lake's files again at each of the ~60 queries (a quarter of their CPU).
 */
async function sql(name: string, fromMs: number, toMs: number, timeZone = 'UTC', minHistoryLogins?: number) {
  const values = { ...standardParams({ instance: 'default', fromMs, toMs, timeZone, minHistoryLogins }) };
  const { query, positional } = catalog.bind(name, values);
  return (await engine.runSql(query.sql, positional, `query ${name}`)).rows;
}

const asRows = (alerts: ReturnType<typeof detectPeriod>['alerts']) =>
  alerts.map((a) => ({
    event_time: a.event_time,
    user_id: a.user_id,
    user_name: a.user_name,
    reason: a.kind,
    ip_address: a.ip_address,
    evidence: a.evidence,
  }));
const sqlRows = (rows: Awaited<ReturnType<typeof sql>>) =>
  rows.map((r) => ({
    event_time: r.event_time,
    user_id: r.user_id,
    user_name: r.user_name,
    reason: r.reason,
    ip_address: r.ip_address,
    evidence: r.evidence,
  }));
const order = (rows: { event_time: unknown; user_id: unknown; reason: unknown }[]) =>
  [...rows].sort((a, b) =>
    `${a.event_time}${a.user_id}${a.reason}`.localeCompare(`${b.event_time}${b.user_id}${b.reason}`),
  );

/**
 * The alerts the detector raises over `events`, hour by hour from `fromMs` to `toMs`, each hour
 * with the one before and an empty login history: lockouts, bursts and sprays need no more.
 */
function lockoutsAndBursts(events: readonly EventRecord[], fromMs: number, toMs: number): Alert[] {
  const byHour = hourIndex(events);
  const alerts: Alert[] = [];
  for (let hour = fromMs; hour < toMs; hour += HOUR_MS) {
    alerts.push(
      ...detectAlerts({
        instance: 'default',
        fromMs: hour,
        toMs: hour + HOUR_MS,
        events: byHour.get(hour) ?? [],
        before: byHour.get(hour - HOUR_MS) ?? [],
        profile: new LoginProfile('default', 'UTC'),
        settings: DEFAULT_ALERT_SETTINGS,
      }),
    );
  }
  return alerts;
}

describe('the alert detector and the weekly report SQL agree (DuckDB, simulated lake on disk)', () => {
  for (const timeZone of ['UTC', 'America/Denver']) {
    it(`suspicious logins of the planting week in ${timeZone}: same rows, same evidence`, async () => {
      const { alerts } = detectPeriod(weekFrom, weekTo, timeZone);
      const rows = await sql('suspicious_logins', weekFrom, weekTo, timeZone);
      // Every kind is there: new country, new network owner, impossible travel, unusual hour.
      expect(new Set(rows.map((r) => r.reason))).toEqual(
        new Set(['new_country', 'new_network', 'impossible_travel', 'unusual_hour']),
      );
      expect(order(asRows(alerts))).toEqual(order(sqlRows(rows)));
    });
  }

  it("the lake's first day, hour by hour: same rows, no new owner judged on hours of history", async () => {
    const placeKinds = ['new_country', 'new_network'];
    let withFewer = 0;
    for (let hour = lakeFrom; hour < lakeFrom + 25 * HOUR_MS; hour += HOUR_MS) {
      const { alerts } = detectPeriod(hour, hour + HOUR_MS, 'UTC');
      const rows = await sql('suspicious_logins', hour, hour + HOUR_MS);
      expect(order(asRows(alerts)), new Date(hour).toISOString()).toEqual(order(sqlRows(rows)));
      // Nobody has 10 placed sign-ins yet: no new country, no new network owner.
      expect(rows.filter((r) => placeKinds.includes(String(r.reason)))).toEqual([]);
      // With a lower bar both find some, and both say how little history there was.
      const few = detectPeriod(hour, hour + HOUR_MS, 'UTC', 2).alerts;
      const fewRows = await sql('suspicious_logins', hour, hour + HOUR_MS, 'UTC', 2);
      expect(order(asRows(few)), new Date(hour).toISOString()).toEqual(order(sqlRows(fewRows)));
      for (const row of fewRows.filter((r) => placeKinds.includes(String(r.reason)))) {
        expect(row.evidence).toMatch(/ in \d+ hours? of history; /);
        withFewer++;
      }
    }
    expect(withFewer).toBeGreaterThan(0);
    // Two days as one period: their history is before the lake, so neither finds a place by history.
    const twoDays = detectPeriod(lakeFrom, lakeFrom + 2 * DAY_MS, 'UTC').alerts;
    const twoDayRows = await sql('suspicious_logins', lakeFrom, lakeFrom + 2 * DAY_MS);
    expect(order(asRows(twoDays))).toEqual(order(sqlRows(twoDayRows)));
    expect(twoDayRows.filter((r) => r.reason !== 'impossible_travel')).toEqual([]);
  });

  it('lockouts and failed-login bursts match failed_logins_and_lockouts', async () => {
    const alerts = lockoutsAndBursts(lake.events, weekFrom, weekTo);
    const rows = await sql('failed_logins_and_lockouts', weekFrom, weekTo);
    const lockouts = new Map<string, number>();
    for (const a of alerts.filter((x) => x.kind === 'lockout'))
      lockouts.set(a.user_id as string, (lockouts.get(a.user_id as string) ?? 0) + 1);
    expect(Object.fromEntries(lockouts)).toEqual(
      Object.fromEntries(
        rows.filter((r) => Number(r.lockouts) > 0).map((r) => [r.user_id, Number(r.lockouts)]),
      ),
    );
    for (const burst of alerts.filter((x) => x.kind === 'failed_login_burst')) {
      const row = rows.find((r) => r.user_id === burst.user_id);
      expect(Number(row?.failed_attempts)).toBeGreaterThanOrEqual(DEFAULT_ALERT_SETTINGS.burstFailures);
    }
    const planted = lake.planted.find((p) => p.kind === 'lockout_burst') as LockoutBurstPattern;
    expect(
      alerts
        .filter((a) => a.user_id === planted.userId)
        .map((a) => a.kind)
        .sort(),
    ).toEqual(['failed_login_burst', 'lockout']);
  });

  it('privileged changes match admin_changes, event for event (the lines read as a run reads them)', async () => {
    const kept = lake.events
      .filter((e) => e.event_time_ms >= weekFrom && e.event_time_ms < weekTo)
      .flatMap((e, i) => alertEventOfLine(JSON.stringify(e), 'activity_log/x.ndjson.gz', i + 1) ?? []);
    const alerts = detectPrivilegedChanges({ ...hourInput(weekFrom, kept), toMs: weekTo });
    const rows = await sql('admin_changes', weekFrom, weekTo);
    expect(rows.length).toBeGreaterThan(0);
    expect(alerts.map((a) => [a.event_ids[0], a.user_id, a.event_time])).toEqual(
      rows.map((r) => [r.event_id, r.user_id, r.event_time]),
    );
  });

  it('`alerts --format json` over the lake: the hourly alerts equal the SQL run hour by hour', async () => {
    const stdout: string[] = [];
    const io = {
      stdout: { write: (s: string) => stdout.push(s) },
      stderr: process.stderr,
      env: {},
      log: silentLog,
      // Weeks after the lake's last hour: with the default of 24 hours every alert would only be
      // counted in the message; --mail-older-than below keeps them listed.
      clock: { now: () => Date.parse('2026-11-20T00:00:00Z') },
    } as unknown as Parameters<typeof alertsCommand>[1];
    const result = await alertsCommand(
      [
        '--lake',
        lake.dir,
        '--instance',
        'default',
        '--format',
        'json',
        '--out',
        out,
        '--since',
        '2026-10-26',
        '--mail-older-than',
        '8784',
      ],
      io,
    );
    const listed = JSON.parse(stdout.join('')) as Record<string, unknown>[];
    expect(Object.keys(listed[0] ?? {})).toEqual([
      'id',
      'instance',
      'kind',
      'user_id',
      'user_name',
      'event_time',
      'evidence',
      'ip_address',
      'event_ids',
    ]);
    const newNetwork = lake.planted.find((p) => p.kind === 'new_network') as NewNetworkPattern;
    const unusual = lake.planted.find((p) => p.kind === 'unusual_hour') as UnusualHourPattern;
    expect(listed).toContainEqual(
      expect.objectContaining({ kind: 'new_network', user_id: newNetwork.userId }),
    );
    expect(listed).toContainEqual(expect.objectContaining({ kind: 'unusual_hour', user_id: unusual.userId }));
    // Same findings as the SQL with each hour as the period, for every hour that has one.
    const suspicious = listed.filter((a) =>
      ['new_country', 'new_network', 'impossible_travel', 'unusual_hour'].includes(String(a.kind)),
    );
    // The planted trip and stolen password are alerts too.
    for (const p of lake.planted) {
      if (p.kind !== 'new_country' && p.kind !== 'impossible_travel') continue;
      for (const kind of p.findings) {
        expect(listed).toContainEqual(expect.objectContaining({ kind, user_id: p.userId }));
      }
    }
    const hours = [
      ...new Set(suspicious.map((a) => Math.floor(Date.parse(String(a.event_time)) / HOUR_MS) * HOUR_MS)),
    ];
    for (const hour of hours) {
      const rows = await sql('suspicious_logins', hour, hour + HOUR_MS);
      const inHour = suspicious.filter(
        (a) => Math.floor(Date.parse(String(a.event_time)) / HOUR_MS) * HOUR_MS === hour,
      );
      expect(
        order(
          inHour.map((a) => ({
            event_time: a.event_time,
            user_id: a.user_id,
            reason: a.kind,
            evidence: a.evidence,
          })),
        ),
      ).toEqual(
        order(
          rows.map((r) => ({
            // The command's JSON gives its times with their zone, the SQL in the lake's form.
            event_time: utcInstant(String(r.event_time)),
            user_id: r.user_id,
            reason: r.reason,
            evidence: r.evidence,
          })),
        ),
      );
    }
    expect(result.eml).toBeDefined();
    const eml = await readFile(result.eml as string, 'utf8');
    expect(eml).toContain('Subject: Security alerts (default)');
    expect(eml).not.toMatch(/^Subject: .*earlier alerts? archived/m);
    // Nothing was written to the lake.
    await expect(readFile(join(lake.dir, 'alerts-state/instance=default/checkpoint.json'))).rejects.toThrow();
  });
});

/**
 * Behind a proxy the forwarded-for list's internal hop changes between sign-ins, and addresses
 * come with their port: both sides compare the client entry (ip-network.ts, clientAddressKey), so
 * a geo data update moving the client's block raises nothing for the user's own address, and the
 * /24 of new_network's evidence is the client's.
 */
describe('the detector and the SQL judge the client entry of a forwarded-for list alike', () => {
  const FROM = Date.parse('2026-11-16T00:00:00Z');
  const TO = FROM + DAY_MS;
  const day = (offset: number, hhmm: string) =>
    `${new Date(FROM + offset * DAY_MS).toISOString().slice(0, 10)} ${hhmm}:00`;
  const older = { ip_country: 'US', ip_asn: 7922, ip_org: 'Comcast', geo_db_version: 'v1' };
  const newer = { ip_country: 'CA', ip_asn: 812, ip_org: 'Rogers', geo_db_version: 'v2' };
  const signIn = (id: string, when: string, ip: string, geo: object) =>
    login(when, 'login', { user_id: id, user_name: `User ${id}`, ...geo, ip_address: ip });
  const history = (id: string, ip: string) =>
    Array.from({ length: 20 }, (_, i) => signIn(id, day(-20 + i, '09:00'), ip, older));
  const events = [
    // Another internal hop after the same client, then the same client with its port.
    ...history('ann', '80.150.1.2, 10.0.0.4'),
    signIn('ann', day(0, '09:00'), '80.150.1.2, 10.0.0.5', newer),
    signIn('ann', day(0, '09:30'), '80.150.1.2:50123', newer),
    // The same proxy hop after another client: a new place, its network the client's.
    ...history('bob', '80.150.1.3, 10.0.0.4'),
    signIn('bob', day(0, '09:00'), '81.2.69.142:50123, 10.0.0.4', newer),
    // A client entry the simple key cannot vouch for (IPv6 unique local): judged as new.
    ...history('cy', 'fd00::1, 80.150.1.4'),
    signIn('cy', day(0, '09:00'), 'fd00::1, 80.150.1.4', newer),
    // The user's address in brackets, or an IPv6 one made malformed: the geo lookup reads no
    // address there and places the sign-in by the next entry, so neither exempts it.
    ...history('dee', '80.150.1.5'),
    signIn('dee', day(0, '09:00'), '[80.150.1.5], 5.6.7.8', newer),
    signIn('dee', day(0, '09:30'), '[80.150.1.5]:443, 5.6.7.8', newer),
    ...history('eli', '2a00:1:2:3:4:5:6:7:8'),
    signIn('eli', day(0, '09:00'), '2a00:1:2:3:4:5:6:7:8, 5.6.7.8', newer),
    // Junk before the address (no dot or colon: no address to the geo lookup either) is passed
    // over: the user's own address, not judged as new.
    ...history('fay', 'unknown, 80.150.1.6'),
    signIn('fay', day(0, '09:00'), 'x1, 80.150.1.6:443', newer),
  ];
  let dir: string;
  let fixture: DuckDbQueryEngine;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'client-entry-'));
    await writeFixtureLake(dir, { events });
    fixture = await openDuckDbEngine({ lakeDir: dir });
  });
  afterAll(async () => {
    await fixture?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the same findings and evidence on both sides', async () => {
    const rows = (
      await fixture.run('suspicious_logins', standardParams({ instance: 'default', fromMs: FROM, toMs: TO }))
    ).rows;
    const alerts = suspiciousLoginsOver(events, FROM, TO);
    expect(order(asRows(alerts))).toEqual(order(sqlRows(rows)));
    expect(rows.filter((r) => r.user_id === 'ann')).toEqual([]);
    expect(rows.find((r) => r.user_id === 'bob' && r.reason === 'new_network')).toMatchObject({
      network: '81.2.69.0/24',
      evidence: expect.stringMatching(/; network 81\.2\.69\.0\/24$/),
    });
    expect(rows.filter((r) => r.user_id === 'bob').map((r) => r.reason)).toEqual([
      'new_country',
      'new_network',
    ]);
    // Its network is not shown: the geo lookup placed it by 80.150.1.4, not by fd00::1.
    const cy = rows.filter((r) => r.user_id === 'cy');
    expect(cy.map((r) => r.reason)).toEqual(['new_country', 'new_network']);
    expect(cy.map((r) => r.network)).toEqual([null, null]);
    const reasons = (id: string) => rows.filter((r) => r.user_id === id).map((r) => r.reason);
    expect(reasons('dee')).toEqual(['new_country', 'new_network']);
    expect(reasons('eli')).toEqual(['new_country', 'new_network']);
    expect(reasons('fay')).toEqual([]);
  });
});

/**
 * A user id of `""`, white space or `0` names no user (Domo writes 0 for none in an actor id): both
 * sides key such failures by the name they carry, as failures without an id. Kept as ids, five
 * users failing once each under `""` were one user's burst, and 12 names guessed from one address
 * under `0` one user's burst with no spray and no row in failed_logins_by_ip (review R-ALERT4 F2).
 */
describe('the detector and the SQL take a user id of "", white space or 0 as none', () => {
  const FROM = Date.parse('2026-11-16T10:00:00Z');
  const TO = FROM + 5 * HOUR_MS;
  const at = (hour: number, seconds: number) =>
    new Date(FROM + hour * HOUR_MS + 10 * 60_000 + seconds * 1000)
      .toISOString()
      .slice(0, 19)
      .replace('T', ' ');
  const fail = (when: string, id: string, name: string, ip: string) =>
    login(when, 'login_failed', { user_id: id, user_name: name, ip_address: ip });
  const events = [
    // Five users, one failure each, each from its own address: no burst.
    ...[0, 1, 2, 3, 4].map((k) => fail(at(0, k * 10), '', `alice${k}@corp.example`, `8.8.8.${k}`)),
    ...[0, 1, 2, 3, 4].map((k) => fail(at(1, k * 10), '0', `bob${k}`, `9.9.9.${k}`)),
    ...[0, 1, 2, 3, 4].map((k) => fail(at(1, 60 + k * 10), ' \t', `dan${k}`, `9.9.8.${k}`)),
    // One user under id 0 failing five times, then locked out: a burst and a lockout of the name.
    ...[0, 1, 2, 3, 4].map((k) => fail(at(2, k * 10), '0', 'carol', `7.7.7.${k}`)),
    login(at(2, 60), 'lockout', { user_id: '0', user_name: 'carol', ip_address: '7.7.7.9' }),
    // 12 names guessed twice each from one address under id 0: a spray, no user's burst.
    ...Array.from({ length: 24 }, (_, i) =>
      fail(
        at(3, Math.floor(i / 2) * 30 + (i % 2)),
        '0',
        `guess${Math.floor(i / 2)}@corp.example`,
        '45.33.32.156',
      ),
    ),
  ];
  let lake: FixtureEngine;
  let fixture: DuckDbQueryEngine;

  beforeAll(async () => {
    lake = await openFixtureEngine('no-user-id-', { events });
    fixture = lake.engine;
  });
  afterAll(async () => {
    await lake?.close();
  });

  it('the same users, lockouts, bursts and spray on both sides', async () => {
    const params = standardParams({ instance: 'default', fromMs: FROM, toMs: TO });
    const rows = (await fixture.run('failed_logins_and_lockouts', params)).rows;
    const byIp = (await fixture.run('failed_logins_by_ip', params)).rows;
    const alerts = lockoutsAndBursts(events, FROM, TO);
    // One row a name, none under an id: 15 users failing once, carol, the 12 names guessed.
    expect(rows.filter((r) => r.user_id !== null)).toEqual([]);
    expect(rows.length).toBe(15 + 1 + 12);
    expect(rows.find((r) => r.user_name === 'carol')).toMatchObject({ lockouts: 1 });
    expect(Number(rows.find((r) => r.user_name === 'carol')?.failed_attempts)).toBe(5);
    // The detector: carol's burst and lockout, under her name and no id, and the spray.
    const found = (kind: string) => alerts.filter((a) => a.kind === kind);
    expect(found('failed_login_burst').map((a) => [a.user_id, a.user_name])).toEqual([[null, 'carol']]);
    expect(found('lockout').map((a) => [a.user_id, a.user_name])).toEqual(
      rows.filter((r) => Number(r.lockouts) > 0).map((r) => [r.user_id, r.user_name]),
    );
    expect(found('password_spray').map((a) => a.ip_address)).toEqual(['45.33.32.156']);
    expect(found('password_spray')[0]?.evidence).toMatch(/^failed logins of 10 users /);
    expect(byIp.map((r) => [r.ip_address, Number(r.users)])).toEqual([['45.33.32.156', 12]]);
    expect(alerts).toHaveLength(3);
  });
});

/**
 * Sign-ins under a user id of `""`, white space or `0` name no user either: both sides read none of
 * them. Only a null id was none to the sign-in detectors, the login profile and the SQL, so
 * whoever signed in so was one pseudo-user, and a hostile lake raised impossible journeys, new
 * countries and unusual hours between them (review R-AK L2).
 */
describe('the detector and the SQL read no sign-in under a user id of "", white space or 0', () => {
  const FROM = Date.parse('2026-11-16T00:00:00Z');
  const TO = FROM + DAY_MS;
  const day = (offset: number, hhmm: string) =>
    `${new Date(FROM + offset * DAY_MS).toISOString().slice(0, 10)} ${hhmm}:00`;
  const us = { ip_country: 'US', ip_asn: 7922, ip_org: 'Comcast', geo_db_version: 'v1' };
  const jp = { ip_country: 'JP', ip_asn: 2516, ip_org: 'KDDI', geo_db_version: 'v1' };
  const de = { ip_country: 'DE', ip_asn: 3320, ip_org: 'Telekom', geo_db_version: 'v1' };
  const signIn = (id: string, when: string, ip: string, geo: object) =>
    login(when, 'login', { user_id: id, user_name: `User [${id}]`, ...geo, ip_address: ip });
  const history = (id: string) =>
    Array.from({ length: 20 }, (_, i) => signIn(id, day(-20 + i, '09:00'), '80.150.1.2', us));
  const events = [
    ...['', '0', ' 0 ', 'ann'].flatMap(history),
    ...['', '0', ' 0 ', 'ann'].flatMap((id, k) => [
      signIn(id, day(0, `03:0${k}`), '81.2.69.142', jp),
      signIn(id, day(0, `03:3${k}`), '85.214.132.117', de),
    ]),
  ];
  let lake: FixtureEngine;

  beforeAll(async () => {
    lake = await openFixtureEngine('no-user-id-sign-ins-', { events });
  });
  afterAll(async () => {
    await lake?.close();
  });

  it("the same findings on both sides: ann's alone", async () => {
    const params = standardParams({ instance: 'default', fromMs: FROM, toMs: TO });
    const rows = (await lake.engine.run('suspicious_logins', params)).rows;
    const alerts = suspiciousLoginsOver(events, FROM, TO);
    expect(order(asRows(alerts))).toEqual(order(sqlRows(rows)));
    expect(new Set(rows.map((r) => r.user_id))).toEqual(new Set(['ann']));
    expect(alerts.map((a) => a.kind)).toContain('impossible_travel');
    expect(alerts.every((a) => a.user_id === 'ann')).toBe(true);
  });

  it('the login profile keeps no history of them', () => {
    const profile = historyProfile(events, FROM, 'UTC');
    const logins = (id: string) => profile.history(id, FROM - 30 * DAY_MS, FROM).logins;
    expect(logins('ann')).toBe(20);
    expect(['', '0', ' 0 '].map(logins)).toEqual([0, 0, 0]);
  });

  // Nothing dropped silently: what no reader judges, data_health counts, and login_history counts
  // no pseudo-user among the users whose history was judged.
  it('the report counts every sign-in the readers drop, and no user for them', async () => {
    const params = standardParams({ instance: 'default', fromMs: FROM, toMs: TO });
    const dropped = events.filter((e) => e.event_time_ms >= FROM && !readsEvent(['login'], e));
    const [health] = (await lake.engine.run('data_health', params)).rows;
    expect(health).toMatchObject({ logins: 8, logins_without_user: dropped.length });
    expect(dropped).toHaveLength(6);
    expect((await lake.engine.run('login_history', params)).rows).toEqual([
      { users: 1, short_history_users: 0, short_placed_history_users: 0 },
    ]);
  });
});
