import { describe, expect, it } from 'vitest';
import { GEO_DATABASE_STALE_DAYS, statusTable } from '../../functions/cli/commands/status.ts';

const NOW = Date.UTC(2026, 10, 30, 10);

const tableWithGeoAge = (ageDays: number) =>
  statusTable(
    {
      location: '/lake',
      lagHours: 3,
      instances: [],
      geoDatabase: { version: 'dbip 2026-09', releasedAt: '2026-09-01', ageDays },
      ok: true,
    },
    NOW,
  );

describe('the status geo database note', () => {
  it('asks for an update only once the database is over the stale age', () => {
    const note = `geo database over ${GEO_DATABASE_STALE_DAYS} days old: bump its packages (README, "Geo data")`;
    expect(tableWithGeoAge(GEO_DATABASE_STALE_DAYS)).not.toContain(note);
    expect(tableWithGeoAge(GEO_DATABASE_STALE_DAYS + 1)).toContain(note);
  });
});
