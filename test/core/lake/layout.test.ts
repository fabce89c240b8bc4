import { describe, expect, it } from 'vitest';
import {
  activityKey,
  assertInstanceName,
  checkpointKey,
  coverageKey,
  lakeTimestamp,
  projectionLocationTemplate,
  quarantineKey,
  reportKey,
  reportSentKey,
  reportsPrefix,
  statePrefix,
  windowStartFromKey,
} from '../../../functions/core/lake/layout.ts';

const tenAm = Date.parse('2026-10-01T10:00:00Z');

describe('lake layout', () => {
  it('names one activity object per UTC hour under instance and dt partitions', () => {
    expect(activityKey('acme', tenAm)).toBe(
      'activity_log/instance=acme/dt=2026-10-01/2026-10-01T10.ndjson.gz',
    );
    expect(coverageKey('acme', tenAm)).toBe('coverage/instance=acme/dt=2026-10-01/2026-10-01T10.json');
    expect(quarantineKey('acme', tenAm)).toBe(
      'quarantine/instance=acme/dt=2026-10-01/2026-10-01T10.ndjson.gz',
    );
    expect(checkpointKey('acme')).toBe('state/instance=acme/checkpoint.json');
  });

  it('reads the window start back from any window key', () => {
    expect(windowStartFromKey(activityKey('acme', tenAm))).toBe(tenAm);
    expect(windowStartFromKey(coverageKey('acme', tenAm))).toBe(tenAm);
    expect(
      windowStartFromKey('activity_log/instance=acme/dt=2026-10-02/2026-10-01T10.ndjson.gz'),
    ).toBeUndefined();
    expect(windowStartFromKey('state/instance=acme/checkpoint.json')).toBeUndefined();
  });

  it('derives the Athena projection template from the same partition shape', () => {
    const template = projectionLocationTemplate('activity_log', 's3://bucket/lake');
    expect(template).toBe('s3://bucket/lake/activity_log/instance=${instance}/dt=${dt}/');
    const key = activityKey('acme', tenAm);
    const filled = template.replace('${instance}', 'acme').replace('${dt}', '2026-10-01');
    expect(`s3://bucket/lake/${key}`.startsWith(filled)).toBe(true);
  });

  it('rejects instance names that are unsafe as paths or Athena enum values', () => {
    expect(() => assertInstanceName('../etc')).toThrow(/not valid/);
    expect(() => assertInstanceName('Acme Corp')).toThrow(/lower-case letters/);
    expect(assertInstanceName('acme-prod_1')).toBe('acme-prod_1');
  });

  it('names the state and reports prefixes every checkpoint, report and sent-marker key lies under', () => {
    expect(statePrefix('acme')).toBe('state/instance=acme/');
    expect(reportsPrefix('acme')).toBe('reports/instance=acme/');
    expect(checkpointKey('acme').startsWith(statePrefix('acme'))).toBe(true);
    for (const ext of ['html', 'txt', 'json', 'eml'] as const) {
      expect(reportKey('acme', '2026-W47', ext)).toBe(`${reportsPrefix('acme')}2026-W47.${ext}`);
    }
    expect(reportSentKey('acme', '2026-W47')).toBe(`${reportsPrefix('acme')}2026-W47.sent.json`);
    // Another instance's keys never fall under this instance's prefixes.
    expect(checkpointKey('acme-2').startsWith(statePrefix('acme'))).toBe(false);
    expect(reportKey('acme-2', '2026-W47', 'html').startsWith(reportsPrefix('acme'))).toBe(false);
    expect(() => statePrefix('../x')).toThrow(/not valid/);
    expect(() => reportsPrefix('Acme')).toThrow(/not valid/);
  });

  it('writes lake timestamps as the ISO text would, whatever order the times come in', () => {
    const viaIso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
    const times = [
      tenAm,
      tenAm + 1,
      tenAm + 59_999,
      tenAm + 3_599_999,
      tenAm + 3_600_000,
      tenAm - 1,
      tenAm + 61_001,
      tenAm + 0.5,
      tenAm + 1.999,
      0,
      -1,
      -3_600_001,
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      tenAm + 12_345,
    ];
    // And a walk that stays in one hour, leaves it and comes back, as a window's records do.
    for (let t = tenAm - 7_000_000; t < tenAm + 7_000_000; t += 997_003) times.push(t, t - 999);
    for (const ms of times) expect(lakeTimestamp(ms), String(ms)).toBe(viaIso(ms));
    expect(() => lakeTimestamp(Number.NaN)).toThrow(RangeError);
  });
});
