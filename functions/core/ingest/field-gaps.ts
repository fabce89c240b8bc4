import { ENTRY_STRING_FIELDS, type EntryColumn, type EntryField } from '../domo/audit-entry.ts';
import { mostlyMissing, WATCHED_FIELDS } from '../lake/field-gap-tally.ts';

/** Fields no column reads that one hour's counts name at most, and the longest name kept whole. */
const MOST_UNREAD = 20;
const UNREAD_NAME_CHARS = 64;

/**
 * The keys the lake reads, as an object without a prototype: a keyed load is cheaper than a Set's
 * hash for the ~16 keys of every entry (this runs for every entry read).
 */
const READ_KEY_FLAGS: Readonly<Record<string, true | undefined>> = Object.assign(
  Object.create(null) as Record<string, true>,
  Object.fromEntries([...Object.keys(ENTRY_STRING_FIELDS), 'time'].map((key) => [key, true])),
);

/** Each watched field with the column it fills, looked up once rather than per entry. */
const WATCHED_COLUMNS: readonly (readonly [EntryField, EntryColumn])[] = WATCHED_FIELDS.map(
  (field) => [field, ENTRY_STRING_FIELDS[field]] as const,
);

/** What one hour's entries lacked and carried besides the documented fields (coverage manifest). */
export interface FieldGapCounts {
  /** Entries read: objects with a time, placed in the hour (events, and those quarantined after). */
  entries_read: number;
  /** Per watched field, the entries without it (absent or null); only fields some entry lacked. */
  missing_fields?: Record<string, number>;
  /** Per top-level key no column reads, the entries holding it; at most 20 names, each cut to 64. */
  unread_fields?: Record<string, number>;
}

/**
 * Counts, over one hour's entries, the watched fields each lacks and the keys no column reads: a
 * field Domo renamed (`actionType` to `action`) leaves its column null and nothing quarantined,
 * and logins vanish from every count without a word (review R-DRIFT M1; a new field, L1).
 */
export class FieldGaps {
  private entries = 0;
  private readonly missing = new Map<string, number>();
  private readonly unread = new Map<string, number>();

  note(value: object, fields: Readonly<Record<EntryColumn, string | null>>): void {
    this.entries++;
    for (const [field, column] of WATCHED_COLUMNS) {
      if (fields[column] === null) this.missing.set(field, (this.missing.get(field) ?? 0) + 1);
    }
    for (const key in value) {
      if (READ_KEY_FLAGS[key] === true) continue;
      const name = key.length > UNREAD_NAME_CHARS ? `${key.slice(0, UNREAD_NAME_CHARS)}…` : key;
      const seen = this.unread.get(name);
      if (seen !== undefined) this.unread.set(name, seen + 1);
      else if (this.unread.size < MOST_UNREAD) this.unread.set(name, 1);
    }
  }

  counts(): FieldGapCounts {
    return {
      entries_read: this.entries,
      ...(this.missing.size > 0 ? { missing_fields: Object.fromEntries(this.missing) } : {}),
      ...(this.unread.size > 0 ? { unread_fields: Object.fromEntries(this.unread) } : {}),
    };
  }
}

/**
 * The sentence that tells of a shape change, when a watched field is missing from more than half
 * of the hour's entries (`mostlyMissing`: of 10 or more); undefined otherwise. `hour` names the
 * hour, or the quiet hours summed.
 */
export function shapeChangeNote(hour: string, counts: FieldGapCounts): string | undefined {
  const { entries_read: read, missing_fields: missing, unread_fields: unread = {} } = counts;
  const lacking = mostlyMissing(read, missing);
  if (lacking.length === 0) return undefined;
  const lacks = lacking.map(({ field, count }) => `${field} (${count} of ${read})`).join(', ');
  const names = Object.keys(unread);
  const carries = names.length > 0 ? ` and carry fields no column reads: ${names.join(', ')}` : '';
  return (
    `Domo's entries of ${hour} UTC lack ${lacks}${carries}: its entry shape may have changed ` +
    '(fields renamed or nested), and the columns those fields fill are empty. Each hour counts them in its coverage manifest.'
  );
}
