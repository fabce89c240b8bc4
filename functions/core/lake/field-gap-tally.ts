import type { EntryField } from '../domo/audit-entry.ts';
import type { CoverageManifest } from './coverage-manifest.ts';

/**
 * The documented fields every entry carries, whose absence says Domo's entry shape may have
 * changed: the reference's example has them and so does every sample of the internal endpoint,
 * which omits keys (domo-api-notes §2.1, §2.4). `objectId` is not one: those samples lack it and a
 * logout has no object, so one such entry of a quiet hour would read as a change of shape.
 */
export const WATCHED_FIELDS: readonly EntryField[] = [
  'actionType',
  'eventText',
  'objectType',
  'userId',
  'userName',
];
const WATCHED: ReadonlySet<string> = new Set(WATCHED_FIELDS);

/**
 * Entries an hour, or quiet hours summed (lake/hour-shape-judgement.ts `lookBack`), must hold before their gaps are
 * judged: below it one odd entry is most of them (a lone logout at night is "1 of 1"). A shape
 * change lacks the field in every entry, so 10 still catches it in the first busy hour, and a
 * change that begins at night once 10 entries came; a chance gap in more than 5 of 10 is not
 * ordinary. Reshaped entries count from 10 pairs too (ingest/changed-in-value.ts).
 */
export const SHAPE_EVIDENCE_ENTRIES = 10;

/** An hour's counts, as a coverage manifest and the ingest's FieldGaps hold them. */
type GapCounts = Pick<CoverageManifest, 'entries_read' | 'missing_fields' | 'unread_fields'>;

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
 * entries without a name are ordinary, and fewer than {@link SHAPE_EVIDENCE_ENTRIES} say nothing.
 * Fields no longer watched are passed over: manifests written before counted `objectId`.
 */
export function mostlyMissing(
  entriesRead: number,
  missing: Readonly<Record<string, number>> | undefined,
): { field: string; count: number }[] {
  if (entriesRead < SHAPE_EVIDENCE_ENTRIES) return [];
  return Object.entries(missing ?? {})
    .filter(([field, count]) => WATCHED.has(field) && typeof count === 'number' && count * 2 > entriesRead)
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

  add(manifest: GapCounts): void {
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
