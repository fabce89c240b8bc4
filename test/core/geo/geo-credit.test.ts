import { describe, expect, it } from 'vitest';
import { GEO_ATTRIBUTION } from '../../../functions/core/geo/country-names.ts';
import { geoCredit, geoCreditHtml, geoReleasesNote } from '../../../functions/core/geo/geo-credit.ts';

const version = (country: string, asn: string) => `dbip-country@2.3.${country}+asn@2.3.${asn}`;
const june = version('2026060120', '2026061719');
const may = version('2026050120', '2026051719');

describe('geoReleasesNote', () => {
  it('dates a release by its oldest source, once however many sign-ins it placed', () => {
    expect(geoReleasesNote([june, june])).toBe('Places from geo data released 2026-06-01.');
  });

  it('lists a few releases, oldest first, and gives more as their range', () => {
    expect(geoReleasesNote([june, may])).toBe('Places from geo data released 2026-05-01 and 2026-06-01.');
    const months = ['01', '02', '03', '04', '05'].map((m) => version(`2026${m}0120`, `2026${m}1719`));
    expect(geoReleasesNote(months.slice(0, 3))).toBe(
      'Places from geo data released 2026-01-01, 2026-02-01 and 2026-03-01.',
    );
    expect(geoReleasesNote(months.reverse())).toBe(
      'Places from geo data released 2026-01-01 to 2026-05-01 (5 releases).',
    );
  });

  it('names a version without a dated source as it is, clipped', () => {
    expect(geoReleasesNote(['geo@2', june])).toBe('Places from geo data released 2026-06-01 and geo@2.');
    const long = `x@${'9'.repeat(200)}a`;
    const note = geoReleasesNote([long]) ?? '';
    expect(note.length).toBeLessThan(120);
    expect(note.startsWith('Places from geo data x@999')).toBe(true);
    expect(geoReleasesNote(['a@1', 'b@1', 'c@1', 'd@1'])).toBe(
      'Places from geo data a@1, b@1 and 2 other versions.',
    );
  });

  it('says nothing when no sign-in was placed', () => {
    expect(geoReleasesNote([])).toBeUndefined();
    expect(geoReleasesNote([''])).toBeUndefined();
  });
});

describe('geoReleasesNote of a journey (impossible travel)', () => {
  it("names the departure's release beside the arrival's when another placed it", () => {
    expect(geoReleasesNote([june], [{ departure: may, arrival: june }])).toBe(
      'Places from geo data released 2026-05-01 (departure) and 2026-06-01 (arrival).',
    );
    // Newer at the departure (the arrival enriched later with an older checkout): the same words.
    expect(geoReleasesNote([may], [{ departure: june, arrival: may }])).toBe(
      'Places from geo data released 2026-05-01 (arrival) and 2026-06-01 (departure).',
    );
    expect(geoReleasesNote(['geo@2'], [{ departure: 'geo@1', arrival: 'geo@2' }])).toBe(
      'Places from geo data geo@1 (departure) and geo@2 (arrival).',
    );
  });

  it('says as before when both ends show as one release, or the departure is unknown', () => {
    const before = geoReleasesNote([june]);
    expect(before).toBe('Places from geo data released 2026-06-01.');
    expect(geoReleasesNote([june], [{ departure: june, arrival: june }])).toBe(before);
    // Two versions of one release date read as one release.
    const sameDay = version('2026060120', '2026061720');
    expect(geoReleasesNote([june], [{ departure: sameDay, arrival: june }])).toBe(before);
    expect(geoReleasesNote([june], [{ departure: '', arrival: june }])).toBe(before);
  });

  it("names the departure's release when the arrival's is unknown, as the departure's", () => {
    expect(geoReleasesNote([], [{ departure: may, arrival: '' }])).toBe(
      'Places from geo data released 2026-05-01 (departure).',
    );
  });

  it('labels each release with the ends it placed among several alerts', () => {
    const july = version('2026070120', '2026071719');
    // A new country placed by July beside the journey: its release goes unlabelled.
    expect(geoReleasesNote([june, july], [{ departure: may, arrival: june }])).toBe(
      'Places from geo data released 2026-05-01 (departure), 2026-06-01 (arrival) and 2026-07-01.',
    );
    expect(
      geoReleasesNote(
        [june, july],
        [
          { departure: may, arrival: june },
          { departure: june, arrival: july },
        ],
      ),
    ).toBe(
      'Places from geo data released 2026-05-01 (departure), 2026-06-01 (departure and arrival) and 2026-07-01 (arrival).',
    );
  });
});

describe('geoCredit', () => {
  it('puts the releases before the attribution, and gives the attribution alone without them', () => {
    expect(geoCredit([june])).toBe(`Places from geo data released 2026-06-01. ${GEO_ATTRIBUTION}`);
    expect(geoCredit([])).toBe(GEO_ATTRIBUTION);
  });
});

describe('geoCreditHtml', () => {
  const esc = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

  it('links the attribution, never a version read from the lake that holds the same text (R-LOOKB F2)', () => {
    const forged = 'DB-IP (https://db-ip.com) see https://evil.example/x';
    const html = geoCreditHtml(esc, [forged]);
    expect(html).toContain(`${esc(forged)}`);
    expect(html.match(/<a href="https:\/\/db-ip\.com">DB-IP<\/a>/g)).toHaveLength(1);
    expect(html.indexOf('<a href="https://db-ip.com">')).toBeGreaterThan(html.indexOf('evil.example'));
  });
});
