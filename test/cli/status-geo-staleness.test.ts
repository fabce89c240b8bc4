import { describe, expect, it } from 'vitest';
import { GEO_DATABASE_STALE_DAYS } from '../../functions/cli/commands/status.ts';
import { statusTableOf } from '../support/instance-status-fixture.ts';

const NOW = Date.UTC(2026, 10, 30, 10);

const tableWithGeoAge = (ageDays: number, maxWidth?: number, location = '/lake') =>
  statusTableOf([], NOW, {
    geoDatabase: { version: 'dbip 2026-09', releasedAt: '2026-09-01', ageDays },
    location,
    ...(maxWidth === undefined ? {} : { maxWidth }),
  });

describe('the status geo database note', () => {
  it('asks for an update only once the database is over the stale age', () => {
    const note = `geo database over ${GEO_DATABASE_STALE_DAYS} days old: install newer releases if \`npm outdated\` lists any (README, "Geo data")`;
    expect(tableWithGeoAge(GEO_DATABASE_STALE_DAYS)).not.toContain(note);
    expect(tableWithGeoAge(GEO_DATABASE_STALE_DAYS + 1)).toContain(note);
  });

  it('wraps on a narrow terminal with its rest two columns in, as it has no instance to hang under', () => {
    const lines = tableWithGeoAge(GEO_DATABASE_STALE_DAYS + 1, 60).split('\n');
    const start = lines.findIndex((line) => line.startsWith('geo database over'));
    expect(lines.slice(start)).toEqual([
      `geo database over ${GEO_DATABASE_STALE_DAYS} days old: install newer releases if`,
      '  `npm outdated` lists any (README, "Geo data")',
      '',
    ]);
    // The title has no label either, and wraps the same way.
    expect(tableWithGeoAge(1, 60, '/a/lake/far/down/a/long/path').split('\n').slice(0, 2)).toEqual([
      'status of /a/lake/far/down/a/long/path at 2026-11-30 10:00',
      '  UTC (times in UTC)',
    ]);
  });
});
