import { columnsRead } from './event-columns-read.ts';
import { eventIdentity } from './event-identity.ts';
import type { EventRecord } from './event-record.ts';
import { keyNormalisedContent } from './key-normalised-content.ts';

/** An event id without its twin suffix (`-n`): the hash of the entry as Domo served it. */
const entryHash = (id: string): string => id.replace(/-\d+$/, '');

/** The first event of one entry hash at one millisecond, and its spelling-free content once needed. */
interface FirstOfHash {
  hash: string;
  raw: string;
  spellingFree?: string | undefined;
}

/**
 * Counts, in one hour's object, the events that say what another event of the same millisecond
 * says but come from other bytes (another entry hash): one event Domo served in two shapes, stored
 * twice by code older than the match of events stored under another id (or two events that differ
 * only in fields the lake does not read). "Says the same": the same columns read (`columnsRead`),
 * or the same entry with its field names' spelling set aside (`keyNormalisedContent`: a renamed
 * field, `userName` to `user_name`, changes the columns; review R-DRIFT H2), or the same user,
 * actor, action and object (a value Domo changed since, such as a card's name: stored again and
 * counted apart from late events since 2026-12-06; or two events of one user on one object in one
 * millisecond that differ in another field). Identical twins share
 * the hash and are not counted. Each further copy counts once. The entry is parsed only for an
 * event whose millisecond holds more than one entry hash.
 */
export class CopiesInAnotherShape {
  count = 0;
  private readonly seen = new Map<string, string>();
  private readonly hashesAt = new Map<number, FirstOfHash[]>();

  note(record: EventRecord): void {
    const hash = entryHash(record.event_id);
    const byColumns = this.firstElsewhere(`${record.event_time_ms} ${columnsRead(record)}`, hash);
    const identity = eventIdentity(record);
    const byIdentity = identity !== undefined && this.firstElsewhere(`who ${identity}`, hash);
    const bySpelling = this.spelledApart(record, hash);
    if (byColumns || byIdentity || bySpelling) this.count++;
  }

  /** Whether `key` was first seen with another hash (and notes `hash` as its first if new). */
  private firstElsewhere(key: string, hash: string): boolean {
    const first = this.seen.get(key);
    if (first === undefined) this.seen.set(key, hash);
    return first !== undefined && first !== hash;
  }

  /**
   * Whether the first entry hash of the record's millisecond that holds its entry with field
   * names' spelling set aside is another hash: the record is a further copy, its twins too.
   */
  private spelledApart(record: EventRecord, hash: string): boolean {
    const ms = record.event_time_ms;
    const firsts = this.hashesAt.get(ms);
    if (firsts === undefined) {
      this.hashesAt.set(ms, [{ hash, raw: record.raw }]);
      return false;
    }
    let mine = firsts.find((f) => f.hash === hash);
    if (mine === undefined) {
      mine = { hash, raw: record.raw };
      firsts.push(mine);
    }
    if (firsts.length === 1) return false;
    const content = spellingFreeOf(mine);
    if (content === undefined) return false;
    return firsts.find((f) => spellingFreeOf(f) === content) !== mine;
  }
}

function spellingFreeOf(first: FirstOfHash): string | undefined {
  if (!('spellingFree' in first)) first.spellingFree = keyNormalisedContent(first.raw);
  return first.spellingFree;
}
