import { once } from '../once.ts';

/**
 * Country names for the report: the ISO 3166-1 alpha-2 code with its English name from the
 * platform's `Intl` data (no table to maintain, no flag emoji: flags render unevenly across mail
 * clients and say nothing a code does not).
 */
const names = once(() => new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' }));

/** The English name of a country code, or the code itself when the runtime does not know it. */
export function countryName(code: string): string {
  try {
    return names().of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** `DE (Germany)`; `unknown` for null (an address the geo database does not place). */
export const countryLabel = (code: string | null): string =>
  code === null ? 'unknown' : `${code} (${countryName(code)})`;

/**
 * How the shipped database differs from the sources: CC BY 4.0 §3(a)(1)(B) asks an adaptation to
 * say it was modified. The same words are in THIRD-PARTY-NOTICES.md.
 */
export const GEO_MODIFICATIONS =
  'modified: IPv6 ranges cut to /64, overlapping ranges resolved, ranges without a country or network (ZZ, AS 0) dropped, 6to4 and Teredo addresses placed by the IPv4 address they carry';

/** What the report's footer and the README owe the data's licence (CC BY 4.0). */
export const GEO_ATTRIBUTION = `IP geolocation by DB-IP (https://db-ip.com) and IP to ASN data by DB-IP, RouteViews and NRO, via ip-location-db, licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/) (${GEO_MODIFICATIONS}).`;
