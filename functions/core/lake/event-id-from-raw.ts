import { canonicalJsonSha256, ENTRY_LIMITS } from '../domo/canonical-json.ts';
import { exactValue } from '../domo/exact-numbers.ts';

/** The `-n` an id carries for the n-th identical entry of its hour (normalise-window.ts). */
const TWIN_SUFFIX = /-\d+$/;

/**
 * Whether a stored event's id is what the ingest makes of its `raw`: the SHA-256 of the canonical
 * JSON of the parsed entry, numbers JSON.parse loses digits of as served (normalise-window.ts),
 * with the twin suffix. A row whose `raw` was rewritten keeps an id it no longer hashes to; one
 * whose id was made up to pass as another event does not hash to it either. A row rewritten with
 * its id recomputed passes: only the digest chain (`--integrity`) finds that.
 */
export function eventIdMatchesRaw(eventId: unknown, raw: unknown): boolean {
  if (typeof eventId !== 'string' || typeof raw !== 'string') return false;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return false;
  }
  try {
    return (
      canonicalJsonSha256(exactValue(value, raw, ENTRY_LIMITS.maxDepth), ENTRY_LIMITS) ===
      eventId.replace(TWIN_SUFFIX, '')
    );
  } catch {
    return false;
  }
}
