import { once } from '../once.ts';

/**
 * Country names for the report: the ISO 3166-1 alpha-2 code with its English name from the
 * platform's `Intl` data (no table to maintain, no flag emoji: flags render unevenly across mail
 * clients and say nothing a code does not).
 */
const names = once(() => new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' }));

/** The English name of a country code, or the code itself when the runtime does not know it. */
function countryName(code: string): string {
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

/**
 * The sources the attribution names with their address, each linked in the HTML parts: DB-IP's
 * terms ask for a link back to db-ip.com, RouteViews' and the NRO's for attribution to
 * routeviews.org and nro.net (their licence files in the @ip-location-db packages).
 */
export const GEO_ATTRIBUTION_LINKS: readonly { name: string; url: string }[] = [
  { name: 'DB-IP', url: 'https://db-ip.com' },
  { name: 'RouteViews', url: 'https://www.routeviews.org' },
  { name: 'NRO', url: 'https://www.nro.net' },
  { name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' },
];

const cited = (name: string): string => {
  const url = GEO_ATTRIBUTION_LINKS.find((link) => link.name === name)?.url;
  return url === undefined ? name : `${name} (${url})`;
};

/**
 * What the report's footer and the README owe the data's licence (CC BY 4.0). The HTML parts link
 * each `name (address)` of it ({@link GEO_ATTRIBUTION_LINKS}).
 */
export const GEO_ATTRIBUTION = `IP geolocation by ${cited('DB-IP')} and IP to ASN data by DB-IP, ${cited('RouteViews')} and ${cited('NRO')}, via ip-location-db, licensed under ${cited('CC BY 4.0')} (${GEO_MODIFICATIONS}).`;
