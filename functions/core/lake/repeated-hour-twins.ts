import { parseDomoTime } from '../domo/domo-time.ts';
import { HOUR_MS } from '../time-units.ts';
import { zoneOffsetMs } from '../zoned-time.ts';
import type { EventRecord } from './event-record.ts';

const isZoneless = (time: ReturnType<typeof parseDomoTime>): boolean => time.ok && time.zoneless === true;

/** Every zone the runtime knows, read when a pair is first looked at (not at import: the CLI's start). */
let zones: readonly string[] | undefined;
const allZones = (): readonly string[] => {
  zones ??= Intl.supportedValuesOf('timeZone');
  return zones;
};

/**
 * The identical entries of the two occurrences of a repeated hour (clocks going back), which share
 * an id by design: a pair counts when some zone reads the zone-less string as exactly the two
 * stored times (an hour apart, or 30 minutes on Lord Howe), and each id once (no zone repeats an
 * hour twice, so a third copy is a duplicate). The lake does not record the zone Domo writes in;
 * a pair of ordinary hours (a July event stored twice an hour apart) has no such zone.
 */
export class RepeatedHourTwins {
  private readonly counted = new Set<string>();

  isTwin(record: EventRecord, otherTimeMs: number): boolean {
    if (this.counted.has(record.event_id)) return false;
    const earlier = Math.min(record.event_time_ms, otherTimeMs);
    const later = Math.max(record.event_time_ms, otherTimeMs);
    // No zone shifts its clocks by 0 or more than 3 hours; and only a zone whose offset differs
    // between the two instants can read one string as both (a lake re-pulled in a wrong zone holds
    // thousands of pairs an hour apart: parsing each string in every zone took ~2 ms a string).
    if (later === earlier || later - earlier > 3 * HOUR_MS) return false;
    if (!isZoneless(parseDomoTime(record.time_raw))) return false;
    const shifting = allZones().filter((zone) => zoneOffsetMs(earlier, zone) !== zoneOffsetMs(later, zone));
    const twin = shifting.some((zone) => {
      const time = parseDomoTime(record.time_raw, zone);
      return time.ok && time.ms === earlier && time.laterMs === later;
    });
    if (twin) this.counted.add(record.event_id);
    return twin;
  }
}
