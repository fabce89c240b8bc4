/**
 * The geo databases an evidence bundle's events were placed by. Each event's country and network
 * (`ip_country`, `ip_asn`, `ip_org`) are stored with the version of the geo database that placed
 * them (`geo_db_version`), at ingest or by a later `enrich`; the queries read them as stored. A
 * receiver judging where a sign-in came from needs to know how old that data was: addresses move
 * between countries and networks from month to month (review AUDIT4, 2026-12-07).
 */
import type { GeoDatabaseUse } from '../core/evidence/evidence-bundle.ts';
import { ndjsonRecord } from '../core/evidence/ndjson-record.ts';
import { geoReleaseDate } from '../core/geo/geo-db-version.ts';

/** Counts the events of each geo database version, an hour's lines at a time. */
export class GeoDatabaseTally {
  private readonly counts = new Map<string | null, number>();

  /** The kept lines of an hour's activity object. */
  add(lines: readonly string[]): void {
    this.addRecords(lines.map(ndjsonRecord));
  }

  /**
   * The same lines parsed ({@link ndjsonRecord}); a line's version is its `geo_db_version`, none
   * when it names none (an address not looked up) or is no JSON object.
   */
  addRecords(records: readonly (Readonly<Record<string, unknown>> | undefined)[]): void {
    for (const record of records) {
      const field = record?.geo_db_version;
      const version = typeof field === 'string' && field !== '' ? field : null;
      this.counts.set(version, (this.counts.get(version) ?? 0) + 1);
    }
  }

  /**
   * Each version with its data's release date (its oldest source's, as `status` dates the
   * installed database; null when it has none) and its events, by version; the events placed by
   * none last (version null).
   */
  databases(): GeoDatabaseUse[] {
    const versions = [...this.counts.keys()].filter((v): v is string => v !== null).sort();
    const placed = versions.map((version) => ({
      version,
      released: geoReleaseDate(version) ?? null,
      events: this.counts.get(version) ?? 0,
    }));
    const none = this.counts.get(null);
    return none === undefined ? placed : [...placed, { version: null, released: null, events: none }];
  }
}
