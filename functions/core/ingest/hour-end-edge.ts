import type { AuditSource } from '../domo/audit-source.ts';
import { parseDomoTime } from '../domo/domo-time.ts';
import { HOUR_MS } from '../time-units.ts';
import { entryContentKey } from './entry-content-key.ts';
import { type FetchRangeOptions, fetchRange } from './fetch-range.ts';
import type { ServedEntry } from './served-entry.ts';

/** An entry whose time places it in no hour (none, unreadable, or no JSON): its neighbours place it. */
function timeless(entry: ServedEntry, docTimeZone: string): boolean {
  const { value } = entry;
  if (value === null || typeof value !== 'object' || !('time' in value)) return true;
  return !parseDomoTime((value as { time: unknown }).time, docTimeZone).ok;
}

/**
 * Leaves to the next hour the entries without a time that it shares with the hour read last
 * (`hour`, the last of a part read): a read reaches one ms past each end of what it owns, so an
 * entry Domo filed at the instant between two hours comes back from both hours' requests, and
 * with no time to place it both quarantined it, counted twice (review stop 90). The instant is
 * asked of Domo alone (one ms early to the instant, as every read asks), and the copies of a
 * timeless entry it returns are taken out of this hour: whatever Domo's bounds include, the next
 * hour's request returns whatever this one does, so that hour, never this one, keeps them. Asked
 * only for an hour holding such an entry; an instant's answer has none of the hour's own entries.
 */
export async function leaveEndEdgeToNextHour(
  source: AuditSource,
  hour: { startMs: number; entries: ServedEntry[] },
  docTimeZone: string,
  options: FetchRangeOptions,
): Promise<{ pages: number; requests: number }> {
  if (!hour.entries.some((entry) => timeless(entry, docTimeZone))) return { pages: 0, requests: 0 };
  const endMs = hour.startMs + HOUR_MS;
  const edge = await fetchRange(source, endMs, endMs, options);
  const shared = new Map<string, number>();
  for (const entry of edge.entries) {
    if (!timeless(entry, docTimeZone)) continue;
    const key = entryContentKey(entry);
    shared.set(key, (shared.get(key) ?? 0) + 1);
  }
  if (shared.size > 0) {
    // Copies of one content are alike: which of them go does not matter, only how many.
    hour.entries = hour.entries.filter((entry) => {
      if (!timeless(entry, docTimeZone)) return true;
      const key = entryContentKey(entry);
      const left = shared.get(key) ?? 0;
      if (left === 0) return true;
      shared.set(key, left - 1);
      return false;
    });
  }
  return { pages: edge.pages, requests: edge.requests };
}
