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
});
