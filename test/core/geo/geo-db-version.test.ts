import { describe, expect, it } from 'vitest';
import { isNewerGeoVersion } from '../../../functions/core/geo/geo-db-version.ts';

const version = (country: string, asn: string) => `dbip-country@2.3.${country}+asn@2.3.${asn}`;

describe('isNewerGeoVersion', () => {
  it('orders versions by the publication hour of their sources', () => {
    const june = version('2026060120', '2026061719');
    const november = version('2026110120', '2026111719');
    expect(isNewerGeoVersion(november, june)).toBe(true);
    expect(isNewerGeoVersion(june, november)).toBe(false);
    expect(isNewerGeoVersion(june, june)).toBe(false);
  });

  it('takes one source published later as newer, though the other is older', () => {
    expect(isNewerGeoVersion(version('2026110120', '2026051719'), version('2026060120', '2026061719'))).toBe(
      true,
    );
  });

  it('does not order versions without dated sources, or with none in common', () => {
    expect(isNewerGeoVersion('geo@3', 'geo@2')).toBe(false);
    expect(isNewerGeoVersion('other@1.0.2099010100', version('2026060120', '2026061719'))).toBe(false);
  });
});
