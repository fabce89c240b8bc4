import { DuckDBInstance, type DuckDBValue, type Json, listValue } from '@duckdb/node-api';
import { ALERT_COLUMNS, type Alert, alertRecord } from '../../functions/core/alerts/alert.ts';
import { type Column, duckdbType } from '../../functions/core/lake/column.ts';
import { EVENT_COLUMNS, type EventRecord } from '../../functions/core/lake/event-record.ts';
import { utcDate } from '../../functions/core/lake/layout.ts';

/**
 * The rows `sql` gives over a table `alerts` shaped as the archive's Glue table (its columns, then
 * the partitions `instance` and `dt`) holding `alerts` inserted in the order given. DuckDB meets
 * rows in that order, so the same alerts inserted in two orders show whether a query leaves its ties
 * to storage, as Athena, reading the archive's one object per alert in parallel, does. The local
 * engine has no `alerts` view (the CLI writes no archive), hence this table. `events`, when given,
 * are a table `activity_log` beside it, shaped as the lake's (partitions `instance` and `dt` from
 * the event), for a query joining the two.
 */
export async function queryAlertsArchive(
  sql: string,
  alerts: readonly Alert[],
  /** When each alert was detected (its `detected_at`); its event's time by default. */
  detectedAtMs: (alert: Alert) => number = (alert) => alert.event_time_ms,
  events?: { instance: string; records: readonly EventRecord[] },
): Promise<Record<string, Json>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    // Trino's date_format: the same text as strftime for the `%Y-%m-%d` the saved query formats with.
    await connection.run('CREATE MACRO date_format(ts, format) AS strftime(ts, format)');
    const columns = (of: readonly Column[]) => [
      ...of.map((c) => `${c.name} ${duckdbType(c)}`),
      'instance VARCHAR',
      'dt VARCHAR',
    ];
    await connection.run(`CREATE TABLE alerts (${columns(ALERT_COLUMNS).join(', ')})`);
    await connection.run(`CREATE TABLE activity_log (${columns(EVENT_COLUMNS).join(', ')})`);
    for (const record of events?.records ?? []) {
      const values = [
        ...EVENT_COLUMNS.map((c) => record[c.name as keyof EventRecord] ?? null),
        events?.instance ?? null,
        utcDate(record.event_time_ms),
      ];
      await connection.run(`INSERT INTO activity_log VALUES (${values.map(() => '?').join(', ')})`, values);
    }
    for (const alert of alerts) {
      const record: Record<string, string | number | string[] | null> = {
        ...alertRecord(alert, detectedAtMs(alert), 'run'),
      };
      // A list column (`array<string>`) is bound as DuckDB's list, as the JSON SerDe reads an array.
      const bound = (value: string | number | string[] | null): DuckDBValue =>
        Array.isArray(value) ? listValue(value) : value;
      const values = [
        ...ALERT_COLUMNS.map((c) => bound(record[c.name] ?? null)),
        alert.instance,
        utcDate(alert.event_time_ms),
      ];
      await connection.run(`INSERT INTO alerts VALUES (${values.map(() => '?').join(', ')})`, values);
    }
    return (await connection.runAndReadAll(sql)).getRowObjectsJson();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
