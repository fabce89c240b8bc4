/**
 * The alerts archive's lines and the Glue table `alerts` over them declare the same columns
 * (ALERT_COLUMNS, as EVENT_COLUMNS for activity_log), and a column added later reads as null from
 * the lines archived before it: the JSON SerDes take a missing key for null.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_COLUMNS, alertRecord } from '../../../functions/core/alerts/alert.ts';
import { duckdbType } from '../../../functions/core/lake/column.ts';
import { alertOf } from './support/alert-fixtures.ts';

const RELEASE = 'dbip-country@2.3.2026060120+asn@2.3.2026061719';
const DETECTED = Date.parse('2026-11-02T09:00:00Z');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alerts-archive-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('the alerts archive record', () => {
  it("holds the table's columns in order, instance (a partition column) besides", () => {
    const record = alertRecord(alertOf({ kind: 'new_country', geo_db_version: RELEASE }), DETECTED, 'run');
    expect(Object.keys(record).filter((key) => key !== 'instance')).toEqual(ALERT_COLUMNS.map((c) => c.name));
    expect(ALERT_COLUMNS.find((c) => c.name === 'geo_db_version')?.glue).toBe('string');
    expect(record.geo_db_version).toBe(RELEASE);
    // Every key present, as in activity_log: null where the alert carries none.
    expect(alertRecord(alertOf({ kind: 'lockout' }), DETECTED, 'run').geo_db_version).toBeNull();
  });

  it("holds an impossible journey's departure release, null when unknown", () => {
    const MAY = 'dbip-country@2.3.2026050120+asn@2.3.2026051719';
    const trip = alertOf({
      kind: 'impossible_travel',
      geo_db_version: RELEASE,
      departure_geo_db_version: MAY,
    });
    expect(alertRecord(trip, DETECTED, 'run')).toMatchObject({
      geo_db_version: RELEASE,
      departure_geo_db_version: MAY,
    });
    const unknown = alertOf({ kind: 'impossible_travel', geo_db_version: RELEASE });
    expect(alertRecord(unknown, DETECTED, 'run').departure_geo_db_version).toBeNull();
  });

  it('reads, through the declared columns, a line archived before geo_db_version as null', async () => {
    const now = alertRecord(
      alertOf({ id: 'b'.repeat(32), kind: 'new_network', geo_db_version: RELEASE }),
      DETECTED,
      'run',
    );
    const {
      geo_db_version: _,
      departure_geo_db_version: __,
      ...older
    } = alertRecord(alertOf({ id: 'a'.repeat(32), kind: 'new_country' }), DETECTED, 'old');
    const file = join(dir, 'alerts.json');
    await writeFile(file, `${JSON.stringify(older)}\n${JSON.stringify(now)}\n`);
    const struct = ALERT_COLUMNS.map((c) => `'${c.name}': '${duckdbType(c)}'`).join(', ');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(
        `SELECT id, run_id, geo_db_version FROM read_json('${file}', format = 'newline_delimited', columns = {${struct}}) ORDER BY id`,
      );
      expect(reader.getRowObjectsJson()).toEqual([
        { id: 'a'.repeat(32), run_id: 'old', geo_db_version: null },
        { id: 'b'.repeat(32), run_id: 'run', geo_db_version: RELEASE },
      ]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it("keeps a spray's key, address texts and names, read back as lists; older lines read null", async () => {
    const spray = alertOf({
      id: 'c'.repeat(32),
      kind: 'password_spray',
      user_id: null,
      spray_key: 'NET 178.62.10.0/24',
      ip_addresses: ['178.62.10.7:50001', '178.62.10.7, 10.0.0.1'],
      user_names: ['Ann@corp.com', ' ann@corp.com'],
    });
    const record = alertRecord(spray, DETECTED, 'run');
    expect(record).toMatchObject({
      spray_key: 'NET 178.62.10.0/24',
      ip_addresses: ['178.62.10.7:50001', '178.62.10.7, 10.0.0.1'],
      user_names: ['Ann@corp.com', ' ann@corp.com'],
    });
    expect(alertRecord(alertOf({ kind: 'lockout' }), DETECTED, 'run')).toMatchObject({
      spray_key: null,
      ip_addresses: null,
      user_names: null,
    });
    // A line of the release before: none of the three keys.
    const {
      spray_key: _,
      ip_addresses: __,
      user_names: ___,
      ...older
    } = alertRecord(alertOf({ id: 'd'.repeat(32), kind: 'password_spray', user_id: null }), DETECTED, 'old');
    const file = join(dir, 'sprays.json');
    await writeFile(file, `${JSON.stringify(record)}\n${JSON.stringify(older)}\n`);
    const struct = ALERT_COLUMNS.map((c) => `'${c.name}': '${duckdbType(c)}'`).join(', ');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(
        `SELECT id, spray_key, ip_addresses[2] AS second_text, len(user_names) AS names FROM read_json('${file}', format = 'newline_delimited', columns = {${struct}}) ORDER BY id`,
      );
      expect(reader.getRowObjectsJson()).toEqual([
        {
          id: 'c'.repeat(32),
          spray_key: 'NET 178.62.10.0/24',
          second_text: '178.62.10.7, 10.0.0.1',
          names: '2',
        },
        { id: 'd'.repeat(32), spray_key: null, second_text: null, names: null },
      ]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
