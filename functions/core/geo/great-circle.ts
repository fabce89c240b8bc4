import { COUNTRY_POINTS } from './country-points.ts';

const EARTH_RADIUS_KM = 6371;
const radians = (degrees: number): number => (degrees * Math.PI) / 180;

/**
 * Great-circle (haversine) distance in km between two countries' reference points, computed with
 * the same formula as the suspicious-logins SQL, or undefined when either country has no point.
 */
export function countryDistanceKm(from: string, to: string): number | undefined {
  const a = COUNTRY_POINTS[from];
  const b = COUNTRY_POINTS[to];
  if (a === undefined || b === undefined) return undefined;
  const h =
    Math.sin(radians(b[0] - a[0]) / 2) ** 2 +
    Math.cos(radians(a[0])) * Math.cos(radians(b[0])) * Math.sin(radians(b[1] - a[1]) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(h));
}
