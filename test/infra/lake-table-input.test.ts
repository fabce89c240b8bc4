import { describe, expect, it } from 'vitest';
import { COVERAGE_COLUMNS } from '../../functions/core/lake/coverage-manifest.ts';
import { EVENT_COLUMNS } from '../../functions/core/lake/event-record.ts';
import {
  activityKey,
  coverageKey,
  type LakeTable,
  PARTITION_KEYS,
  quarantineKey,
  TABLE_FILE_SUFFIX,
} from '../../functions/core/lake/layout.ts';
import { QUARANTINE_COLUMNS } from '../../functions/core/lake/quarantine-record.ts';
import { JSON_SERDE, lakeTableInput } from '../../infra/catalog/lake-table-input.ts';

const root = 's3://lake-bucket/';
const options = { lakeRootUri: root, instances: ['acme', 'beta'], startDate: '2025-01-01' };
const tenAm = Date.parse('2026-10-01T10:00:00Z');

/** Where Athena looks for one partition: the template with its placeholders filled. */
const partitionLocation = (table: LakeTable, instance: string, dt: string): string => {
  const template = lakeTableInput(table, options).parameters['storage.location.template'] as string;
  return template.replace('${instance}', instance).replace('${dt}', dt);
};

describe('lakeTableInput', () => {
  it.each([
    ['activity_log', activityKey],
    ['coverage', coverageKey],
    ['quarantine', quarantineKey],
  ] as const)('points the %s projection at the partition the writer puts objects in', (table, keyOf) => {
    const key = keyOf('acme', tenAm);
    const location = partitionLocation(table, 'acme', '2026-10-01');
    expect(`${root}${key}`.startsWith(location)).toBe(true);
    // The object sits directly in the partition folder, with the suffix Athena takes the codec from.
    expect(`${root}${key}`.slice(location.length)).toMatch(
      new RegExp(`^[^/]+${TABLE_FILE_SUFFIX[table].replaceAll('.', '\\.')}$`),
    );
    expect(lakeTableInput(table, options).storageDescriptor).toMatchObject({ location: `${root}${table}/` });
  });

  it.each([
    ['activity_log', EVENT_COLUMNS],
    ['coverage', COVERAGE_COLUMNS],
    ['quarantine', QUARANTINE_COLUMNS],
  ] as const)('declares the %s columns exactly as the schema module, in order', (table, columns) => {
    const input = lakeTableInput(table, options);
    expect(input.storageDescriptor).toMatchObject({
      columns: columns.map((c) => ({ name: c.name, type: c.glue, comment: c.comment })),
      serdeInfo: { serializationLibrary: JSON_SERDE },
    });
    expect(input.partitionKeys).toEqual(
      PARTITION_KEYS.map((k) => ({ name: k.name, type: k.glue, comment: k.comment })),
    );
  });

  it('projects instance as an enum of the configured instances and dt as a date from the start to NOW', () => {
    expect(lakeTableInput('activity_log', options).parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.instance.type': 'enum',
      'projection.instance.values': 'acme,beta',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': '2025-01-01,NOW',
      'projection.dt.interval': '1',
      'projection.dt.interval.unit': 'DAYS',
    });
  });

  it('treats a lake root with or without a trailing slash the same', () => {
    const withoutSlash = lakeTableInput('coverage', { ...options, lakeRootUri: 's3://lake-bucket' });
    expect(withoutSlash).toEqual(lakeTableInput('coverage', options));
  });
});
