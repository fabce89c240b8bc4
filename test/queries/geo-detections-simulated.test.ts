/**
 * Known answers of the geo detections on the simulator at company scale: a synthetic instance of
 * 1,000 users over five weeks, its sign-ins placed by the shipped geo database, laid out as a lake
 * and queried on DuckDB. Every planted trip (new country) and stolen password used from afar
 * (impossible travel) is found; on the unplanted traffic (offices, phones on carrier-grade NAT, VPN
 * exits at home) there is at most one false alarm per 1,000 active users in the week; and the SQL
 * answer equals the TypeScript reading of the definitions.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbQueryEngine, openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import type { QueryRow } from '../../functions/core/ports.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import {
  generateInstance,
  type ImpossibleTravelPattern,
  type NewCountryPattern,
  type NewNetworkPattern,
  type SyntheticInstance,
} from '../../functions/simulator/index.ts';
import { standardSuspiciousOptions, suspiciousLogins } from './support/expected-answers.ts';
import { placedLoginRecords, writeDailyLake } from './support/placed-login-lake.ts';

const USERS = 1000;
const lakeFrom = Date.parse('2026-09-28T00:00:00Z');
const weekFrom = Date.parse('2026-10-26T00:00:00Z');
const weekTo = Date.parse('2026-11-02T00:00:00Z');

let instance: SyntheticInstance;
let logins: EventRecord[];
let dir: string;
let engine: DuckDbQueryEngine;
/** Every finding, and the geo ones. */
let all: QueryRow[];
let rows: QueryRow[];

beforeAll(async () => {
  instance = generateInstance({
    seed: 12,
    fromMs: lakeFrom,
    toMs: weekTo,
    users: USERS,
    eventsPerUserDay: 0,
    cards: 10,
    pages: 6,
    trips: 12,
    takeovers: 8,
  });
  logins = placedLoginRecords(instance);
  dir = await mkdtemp(join(tmpdir(), 'geo-sim-'));
  await writeDailyLake(dir, logins);
  engine = await openDuckDbEngine({ lakeDir: dir });
  all = (
    await engine.run(
      'suspicious_logins',
      standardParams({ instance: 'default', fromMs: weekFrom, toMs: weekTo }),
    )
  ).rows;
  rows = all.filter((r) => r.reason !== 'unusual_hour');
}, 60_000);

afterAll(async () => {
  await engine?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const plantedGeo = () =>
  instance.planted.filter(
    (p): p is NewCountryPattern | ImpossibleTravelPattern | NewNetworkPattern =>
      p.kind === 'new_country' || p.kind === 'impossible_travel' || p.kind === 'new_network',
  );
const key = (userId: unknown, reason: unknown, time: unknown) => `${userId} ${reason} ${time}`;
const at = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 23);

describe(`geo detections over a simulated company of ${USERS} users (DuckDB)`, () => {
  it('plants the trips and stolen passwords asked for, with the places the database gives', () => {
    const kinds = plantedGeo().map((p) => p.kind);
    expect(kinds.filter((k) => k === 'new_country')).toHaveLength(12);
    expect(kinds.filter((k) => k === 'impossible_travel')).toHaveLength(8);
    const byIp = new Map(logins.map((r) => [r.ip_address, r]));
    for (const p of plantedGeo()) {
      const stored = byIp.get(p.evidence.ipAddress);
      expect([stored?.ip_country, stored?.ip_asn, stored?.ip_org]).toEqual([
        p.evidence.country,
        p.evidence.asn,
        p.evidence.org,
      ]);
    }
  });

  it('finds every planted new country, impossible travel and new network owner', () => {
    const found = new Set(rows.map((r) => key(r.user_id, r.reason, r.event_time)));
    const missing = plantedGeo().flatMap((p) =>
      p.findings.map((reason) => key(p.userId, reason, at(p.timeMs))).filter((k) => !found.has(k)),
    );
    expect(missing).toEqual([]);
  });

  it('raises at most one false alarm per 1,000 active users in the week', () => {
    const plantedKeys = new Set(
      plantedGeo().flatMap((p) => p.findings.map((reason) => key(p.userId, reason, at(p.timeMs)))),
    );
    const falseAlarms = rows.filter((r) => !plantedKeys.has(key(r.user_id, r.reason, r.event_time)));
    const active = new Set(
      logins.filter((r) => r.event_time_ms >= weekFrom && r.event_time_ms < weekTo).map((r) => r.user_id),
    );
    expect(active.size).toBeGreaterThan(0.9 * USERS);
    expect(falseAlarms.length).toBeLessThanOrEqual(active.size / 1000);
  });

  it('gives the same answer as the TypeScript reading of the definitions', () => {
    const ts = suspiciousLogins(
      logins,
      { instance: 'default', fromMs: weekFrom, toMs: weekTo },
      standardSuspiciousOptions(weekFrom),
    );
    expect(all).toEqual(ts);
  });
});
