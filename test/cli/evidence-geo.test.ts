/**
 * The geo databases an evidence bundle states its events were placed by (review AUDIT4): each
 * version the lines name, with its data's release date and its events, and those placed by none.
 */
import { describe, expect, it } from 'vitest';
import { GeoDatabaseTally } from '../../functions/cli/evidence-geo.ts';

const DATED = 'dbip-country@2.3.2026060120+asn@2.3.2026061719+rules@2.0.2026120420';
const OLDER = 'dbip-country@2.3.2026030120+asn@2.3.2026031719';
const line = (geo: unknown) => JSON.stringify({ event_id: 'e', geo_db_version: geo });

describe('GeoDatabaseTally', () => {
  it('counts the events of each version, dated by its oldest source, by version, those of none last', () => {
    const tally = new GeoDatabaseTally();
    tally.add([line(DATED), line(null), line(OLDER)]);
    tally.add([line(DATED), '{"event_id":"no geo field"}', line('')]);
    expect(tally.databases()).toEqual([
      { version: OLDER, released: '2026-03-01', events: 1 },
      { version: DATED, released: '2026-06-01', events: 2 },
      { version: null, released: null, events: 3 },
    ]);
  });

  it('names a version of another form as it is, undated; no line, no database', () => {
    const tally = new GeoDatabaseTally();
    expect(tally.databases()).toEqual([]);
    tally.add([line('test-geo'), 'not JSON']);
    expect(tally.databases()).toEqual([
      { version: 'test-geo', released: null, events: 1 },
      { version: null, released: null, events: 1 },
    ]);
  });
});
