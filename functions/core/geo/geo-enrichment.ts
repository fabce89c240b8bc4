import type { GeoLookup } from '../ports.ts';

/** The event record's geo columns (DESIGN §3.1, issue 12). */
export interface GeoColumns {
  ip_country: string | null;
  ip_asn: number | null;
  ip_org: string | null;
  geo_db_version: string | null;
}

export const NO_GEO: Readonly<GeoColumns> = Object.freeze({
  ip_country: null,
  ip_asn: null,
  ip_org: null,
  geo_db_version: null,
});

/** Distinct addresses remembered per lookup; an hour of a busy instance has a few thousand. */
const CACHE_LIMIT = 50_000;

/**
 * Longest address text remembered: an IPv6 address is at most 45 characters, a forwarded-for list
 * of a few hops fits. Longer texts (a list of hundreds of hops, as a client can send) are looked up
 * every time: cached for the container's life, 50,000 distinct ~7 KB lists held ~480 MB.
 * Bounds the cache to about 50,000 × 100 characters.
 */
const MAX_CACHED_CHARS = 100;

/**
 * Geo columns for an address, computed once per distinct address and lookup (a user's session
 * repeats its address on every event). `geo_db_version` is set whenever an address was looked
 * up, even when the database had no answer, so a later re-enrichment knows what was tried.
 */
export class GeoEnricher {
  private readonly cache = new Map<string, Readonly<GeoColumns>>();

  constructor(private readonly lookup: GeoLookup | undefined) {}

  columns(ipAddress: string | null): Readonly<GeoColumns> {
    if (ipAddress === null || this.lookup === undefined) return NO_GEO;
    const cached = this.cache.get(ipAddress);
    if (cached) return cached;
    const answer = this.lookup.lookup(ipAddress);
    const columns = Object.freeze({
      ip_country: answer?.country ?? null,
      ip_asn: answer?.asn ?? null,
      ip_org: answer?.org ?? null,
      geo_db_version: this.lookup.version,
    });
    if (ipAddress.length > MAX_CACHED_CHARS) return columns;
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(ipAddress, columns);
    return columns;
  }
}

const enrichers = new WeakMap<GeoLookup, GeoEnricher>();

/** The enricher of a lookup, shared by every window of the container (its cache lives as long as the lookup). */
export function enricherFor(lookup: GeoLookup | undefined): GeoEnricher {
  if (!lookup) return new GeoEnricher(undefined);
  let enricher = enrichers.get(lookup);
  if (!enricher) {
    enricher = new GeoEnricher(lookup);
    enrichers.set(lookup, enricher);
  }
  return enricher;
}
