/**
 * The alert kinds a stored alerts checkpoint names that this version does not know: a newer
 * release added them, and the checkpoint was read after rolling back to this one. Read only when
 * the checkpoint fails its schema, to tell a newer release's alerts from corruption: called
 * corrupt, the checkpoint came with the advice to delete it, and the alerts waiting in it were lost
 * (review R-CONTRIB H2).
 */
import { ALERT_KINDS } from './alert.ts';

const KNOWN: ReadonlySet<string> = new Set(ALERT_KINDS);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every string an alert's `kind` or a count record's `kinds` (its keys) holds anywhere in `json`
 * (archive, outboxes, claims, count records, notices), whatever nests them.
 */
function kindsNamed(json: unknown, into: Set<string>): void {
  if (Array.isArray(json)) {
    for (const item of json) kindsNamed(item, into);
    return;
  }
  if (!isRecord(json)) return;
  for (const [field, value] of Object.entries(json)) {
    if (field === 'kind' && typeof value === 'string') into.add(value);
    else if (field === 'kinds' && isRecord(value)) for (const kind of Object.keys(value)) into.add(kind);
    else kindsNamed(value, into);
  }
}

/** The kinds `body` (a checkpoint's bytes) names that this version does not know; none when not JSON. */
export function unknownKindsIn(body: Uint8Array): string[] {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return [];
  }
  const named = new Set<string>();
  kindsNamed(json, named);
  return [...named].filter((kind) => !KNOWN.has(kind)).sort();
}
