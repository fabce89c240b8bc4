import { columnsRead } from './event-columns-read.ts';
import type { EventRecord } from './event-record.ts';

/** An event id without its twin suffix (`-n`): the hash of the entry as Domo served it. */
const entryHash = (id: string): string => id.replace(/-\d+$/, '');

/**
 * Counts, in one hour's object, the events that say what another event of the same millisecond
 * says (`columnsRead`) but come from other bytes (another entry hash): one event Domo served in
 * two shapes, stored twice by code older than the match of events stored under another id (or
 * two events that differ only in fields the lake does not read). Identical twins share the hash
 * and are not counted. Each further copy counts once.
 */
export class CopiesInAnotherShape {
  count = 0;
  private readonly seen = new Map<string, string>();

  note(record: EventRecord): void {
    const key = `${record.event_time_ms} ${columnsRead(record)}`;
    const hash = entryHash(record.event_id);
    const first = this.seen.get(key);
    if (first === undefined) this.seen.set(key, hash);
    else if (first !== hash) this.count++;
  }
}
