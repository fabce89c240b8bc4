import type { CoverageManifest } from './coverage-manifest.ts';

/** What a set of hours' manifests count of entries lacking watched fields, and of unread keys. */
export interface FieldGapTotals {
  /** Hours whose manifest counts its entries (written from 2026-12-06 on). */
  hours: number;
  entriesRead: number;
  /** Per watched field, the entries without it; only fields some entry lacked. */
  missing: Record<string, number>;
  /** Per key no column reads, the entries holding it. */
  unread: Record<string, number>;
}

/**
 * The watched fields missing from more than half of `entriesRead` entries, most missing first: the
 * share at which the ingest says Domo's entry shape may have changed (ingest/field-gaps.ts). A few
 * entries without a name are ordinary.
 */
export function mostlyMissing(
  entriesRead: number,
  missing: Readonly<Record<string, number>> | undefined,
): { field: string; count: number }[] {
  return Object.entries(missing ?? {})
    .filter(([, count]) => typeof count === 'number' && count * 2 > entriesRead)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'en'))
    .map(([field, count]) => ({ field, count }));
}

/** Unread names a line names at most: a day's hours may sum 480 (20 an hour). */
const MOST_NAMED = 20;

/**
 * "actionType missing in 20 of 20 entries; unread fields: action, description": the words `status`
 * and `verify` give the counts of {@link mostlyMissing}. Field names are Domo's key names, never
 * values, and the manifest bounds them (20 names of 64 characters).
 */
export function fieldGapWords(
  entriesRead: number,
  lacking: readonly { field: string; count: number }[],
  unread: Readonly<Record<string, number>> | undefined,
): string {
  const missing = lacking.map((m) => `${m.field} missing in ${m.count} of ${entriesRead} entries`).join(', ');
  const names = Object.keys(unread ?? {});
  if (names.length === 0) return missing;
  const more = names.length > MOST_NAMED ? ` and ${names.length - MOST_NAMED} more` : '';
  return `${missing}; unread fields: ${names.slice(0, MOST_NAMED).join(', ')}${more}`;
}

/** Sums the field counts of manifests; those written before the counts existed are left out. */
export class FieldGapTally {
  private readonly totals: FieldGapTotals = { hours: 0, entriesRead: 0, missing: {}, unread: {} };

  add(manifest: CoverageManifest): void {
    if (typeof manifest.entries_read !== 'number') return;
    this.totals.hours++;
    this.totals.entriesRead += manifest.entries_read;
    addInto(this.totals.missing, manifest.missing_fields);
    addInto(this.totals.unread, manifest.unread_fields);
  }

  /** The sums, or null when no manifest counted its entries. */
  result(): FieldGapTotals | null {
    return this.totals.hours === 0 ? null : this.totals;
  }
}

/** At most 20 names an hour, so a day sums at most 480: the totals stay small. */
function addInto(into: Record<string, number>, counts: Readonly<Record<string, number>> | undefined): void {
  for (const [name, count] of Object.entries(counts ?? {})) {
    if (typeof count === 'number') into[name] = (into[name] ?? 0) + count;
  }
}
