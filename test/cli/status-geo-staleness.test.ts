import { describe, expect, it } from 'vitest';
import { GEO_DATABASE_STALE_DAYS, GEO_STALE_ADVICE } from '../../functions/cli/commands/status.ts';
import { statusTableOf } from '../support/instance-status-fixture.ts';

const NOW = Date.UTC(2026, 10, 30, 10);

const tableWithGeoAge = (ageDays: number, maxWidth?: number, location = '/lake', demoNote?: string) =>
  statusTableOf([], NOW, {
    geoDatabase: { version: 'dbip 2026-09', releasedAt: '2026-09-01', ageDays },
    location,
    ...(maxWidth === undefined ? {} : { maxWidth }),
    ...(demoNote === undefined ? {} : { demoNote }),
  });

describe('the status geo database note', () => {
  it('asks for an update only once the database is over the stale age', () => {
    expect(tableWithGeoAge(GEO_DATABASE_STALE_DAYS)).not.toContain('days old:');
    expect(tableWithGeoAge(GEO_DATABASE_STALE_DAYS + 1)).toContain(GEO_STALE_ADVICE);
  });

  // Review STATUS6: on a fresh clone the note said to install newer releases if `npm outdated`
  // listed any, and it lists none (the installed ones are the newest published): it now says what
  // that means, and is not shown on the demo's lake, whose addresses are made up.
  it('says what to do when npm has no newer release', () => {
    expect(GEO_STALE_ADVICE).toContain('npm outdated @ip-location-db/dbip-country @ip-location-db/asn');
    expect(GEO_STALE_ADVICE).toContain(
      'if it lists none, these are the newest published: nothing to install',
    );
  });

  it("is not shown on the demo's lake, whose age line stays", () => {
    const table = tableWithGeoAge(GEO_DATABASE_STALE_DAYS + 100, undefined, '/demo', 'the demo stopped');
    expect(table).toContain(`geo database: released 2026-09-01, ${GEO_DATABASE_STALE_DAYS + 100} days old`);
    expect(table).not.toContain('days old:');
  });

  it('wraps on a narrow terminal with its rest two columns in, as it has no instance to hang under', () => {
    const lines = tableWithGeoAge(GEO_DATABASE_STALE_DAYS + 1, 60).split('\n');
    const start = lines.findIndex((line) => line.startsWith('geo database over'));
    const wrapped = lines.slice(start, -1);
    expect(wrapped.length).toBeGreaterThan(2);
    for (const line of wrapped) expect(line.length).toBeLessThanOrEqual(60);
    expect(wrapped.slice(1).every((line) => line.startsWith('  ') && !line.startsWith('   '))).toBe(true);
    expect(wrapped.map((line) => line.trim()).join(' ')).toBe(GEO_STALE_ADVICE);
    // The title has no label either, and wraps the same way.
    expect(tableWithGeoAge(1, 60, '/a/lake/far/down/a/long/path').split('\n').slice(0, 2)).toEqual([
      'status of /a/lake/far/down/a/long/path at 2026-11-30 10:00',
      '  UTC (times in UTC)',
    ]);
  });
});
