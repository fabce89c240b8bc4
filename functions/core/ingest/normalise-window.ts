import {
  carriesKnownFields,
  type EntryRead,
  readAuditEntry,
  UNKNOWN_SHAPE_REASON,
} from '../domo/audit-entry.ts';
import { CanonicalJsonError, canonicalJsonSha256, ENTRY_LIMITS } from '../domo/canonical-json.ts';
import type { Categorizer } from '../domo/category-rules.ts';
import { parseDomoTime } from '../domo/domo-time.ts';
import { exactValue } from '../domo/exact-numbers.ts';
import { repeatedReadKey } from '../domo/repeated-keys.ts';
import { isWholeAsSent, timeLiteral } from '../domo/time-literal.ts';
import type { GeoEnricher } from '../geo/geo-enrichment.ts';
import type { EventRecord } from '../lake/event-record.ts';
import { lakeTimestamp } from '../lake/layout.ts';
import { mayHoldLoneSurrogate, wellFormedRecord } from '../lake/lone-surrogates.ts';
import type { QuarantineRecord } from '../lake/quarantine-record.ts';
import { type FieldGapCounts, FieldGaps } from './field-gaps.ts';
import type { ServedEntry } from './served-entry.ts';

export interface HourWindow {
  startMs: number;
  /** Exclusive. */
  endMs: number;
}

interface NormaliseContext {
  categorize: Categorizer;
  docTimeZone: string;
  ingestedAt: string;
  runId: string;
  /** The bounds actually asked of Domo: entries outside them are anomalies, not neighbours' events. */
  requestedStartMs: number;
  requestedEndMs: number;
  /**
   * Entries whose zone-less time reads in a neighbouring hour although Domo did not return them for
   * it (zoneless-neighbours.ts): quarantined here, where Domo placed them, not left to that hour.
   */
  unconfirmed?: ReadonlySet<ServedEntry>;
  /** Adds the geo columns (cached per address); without one they are null. */
  geo?: GeoEnricher;
}

export interface NormalisedWindow {
  records: EventRecord[];
  quarantined: QuarantineRecord[];
  /** Entries Domo returned with a time outside the requested bounds (quarantined too). */
  outOfRange: number;
  /** Entries inside the requested bounds but in a neighbouring hour: that hour's pull stores them. */
  neighbours: number;
  /** The watched fields the hour's entries lacked, and the keys no column reads (field-gaps.ts). */
  fieldGaps: FieldGapCounts;
}

/** Why an entry that held one of the client's credentials is quarantined (its `raw` is scrubbed). */
export const CREDENTIAL_REASON = "entry holds this client's credential";

/**
 * Why an entry whose bytes were not valid UTF-8 is quarantined: its text holds U+FFFD where they
 * were, so it is not the entry as served (`raw`'s promise), and entries differing only in those
 * bytes would be stored as twins of one event (review R-HOSTILE LOW-1).
 */
export const INVALID_UTF8_REASON =
  'entry is not valid UTF-8 (its raw holds U+FFFD for the bytes that were not)';

/**
 * Why an entry that is not JSON is quarantined, with the parser's error: its text is in `raw`. It
 * has no time to read, so it is placed by the entries served beside it (fetch-span.ts), like any
 * entry whose time cannot be read (review R-DRIFT H1).
 */
const notJsonReason = (error: string): string => `entry is not JSON: ${error}`;

/**
 * The content hash an entry's ids are built on: sha256 of the canonical JSON of the *parsed* entry,
 * as every lake written so far has it. Kept although `raw` is now the text as served (and hashing
 * those bytes would be cheaper): a different hash would give every event already stored a new id,
 * and the next pull of its hour would store it a second time. Entries that differ only in digits
 * JSON.parse loses were told apart as twins (`-n`) by the order served, so a re-pull in another
 * order stored one twice and lost the other: such numbers are hashed as served (`exactValue`), and
 * only they, so every other id stays. Entries that differ only in an earlier duplicate key still
 * share a hash. An entry too deep or too large for the entry limits is quarantined with the reason.
 */
function contentHash(
  entry: ServedEntry,
): { ok: true; hash: string } | { ok: false; reason: string; hash: string } {
  // A number JSON.parse lost digits of is hashed as served, and only then (exact-numbers.ts).
  const value = exactValue(entry.value, entry.text, ENTRY_LIMITS.maxDepth);
  try {
    return { ok: true, hash: canonicalJsonSha256(value, ENTRY_LIMITS) };
  } catch (error) {
    if (!(error instanceof CanonicalJsonError)) throw error;
    // Unbounded canonical JSON is iterative: it cannot overflow, and keys the quarantined entry stably.
    return { ok: false, reason: `entry is ${error.reason}`, hash: canonicalJsonSha256(value) };
  }
}

/**
 * Turns everything Domo returned for one window into lake records. Identical entries are distinct
 * events (Domo has no event id), so the n-th repeat of the same content within the window gets the
 * suffix `-n`: a re-pull of the window produces the same ids, and merging by id never duplicates.
 */
export function normaliseWindow(
  entries: readonly ServedEntry[],
  window: HourWindow,
  ctx: NormaliseContext,
): NormalisedWindow {
  const records: EventRecord[] = [];
  const quarantined: QuarantineRecord[] = [];
  const eventTwins = new Map<string, number>();
  const quarantineTwins = new Map<string, number>();
  let outOfRange = 0;
  let neighbours = 0;
  const gaps = new FieldGaps();

  const quarantine = (entry: ServedEntry, reason: string, hash: string) => {
    // A reason may quote a value of the entry (its time string, cut short, maybe inside an emoji):
    // every quarantine record is made well-formed, the look costs nothing on this rare path.
    quarantined.push(
      wellFormedRecord({
        quarantine_id: withOrdinal(quarantineTwins, hash),
        reason,
        raw: entry.text,
        window_start_ms: window.startMs,
        window_end_ms: window.endMs,
        ingested_at: ctx.ingestedAt,
        run_id: ctx.runId,
      }),
    );
  };

  for (const entry of entries) {
    const hashed = contentHash(entry);
    if (!hashed.ok) {
      quarantine(entry, hashed.reason, hashed.hash);
      continue;
    }
    const { hash } = hashed;
    const read = readServedEntry(entry);
    if (!read.ok) {
      quarantine(entry, read.reason, hash);
      continue;
    }
    const parsed = readTime(entry, read.time, ctx.docTimeZone);
    if (!parsed.ok) {
      quarantine(entry, unreadTimeReason(entry, read.time, parsed.reason), hash);
      continue;
    }
    const time = { ms: pickReading(parsed.ms, parsed.laterMs, window, ctx) };
    const placed = placement(
      time.ms,
      { raw: read.time, zoneless: parsed.zoneless === true },
      entry,
      window,
      ctx,
    );
    if (placed === 'neighbour') {
      neighbours++;
      continue;
    }
    if (placed !== 'own') {
      outOfRange++;
      quarantine(entry, placed, hash);
      continue;
    }
    gaps.note(entry.value as object, read.fields);
    // Judged last, like an event, so an entry of a neighbouring hour is that hour's to quarantine.
    const late = lateReason(entry, read.fields);
    if (late !== undefined) {
      quarantine(entry, late, hash);
      continue;
    }
    records.push(eventRecord(entry, read, time.ms, withOrdinal(eventTwins, hash), window, ctx));
  }
  return { records, quarantined, outOfRange, neighbours, fieldGaps: gaps.counts() };
}

/** The entry's fields and time, or why it is quarantined: one that is not JSON has neither. */
const readServedEntry = (entry: ServedEntry): EntryRead => {
  if (entry.tooLarge !== undefined) return { ok: false, reason: entry.tooLarge };
  return entry.notJson === undefined
    ? readAuditEntry(entry.value, entry.text)
    : { ok: false, reason: entry.credential ? CREDENTIAL_REASON : notJsonReason(entry.notJson) };
};

/**
 * Why an entry whose time cannot be read is quarantined: bytes that are not UTF-8 in the time,
 * turned into U+FFFD, are what made it unreadable, and the reason points at them rather than at a
 * time format or zone that is not at fault (review R-HOSTILE2 LOW-3).
 */
const unreadTimeReason = (entry: ServedEntry, time: unknown, timeReason: string): string =>
  entry.invalidUtf8 && typeof time === 'string' && time.includes('\ufffd') ? INVALID_UTF8_REASON : timeReason;

/**
 * Why an entry placed in the window is quarantined all the same, judged only once it is placed
 * (else an entry at the edge ms of a neighbouring hour would be quarantined by both hours' pulls);
 * undefined: it is an event.
 */
function lateReason(
  entry: ServedEntry,
  fields: Parameters<typeof carriesKnownFields>[0],
): string | undefined {
  // Its text and value are already scrubbed: the other reasons store no credential either.
  if (entry.credential) return CREDENTIAL_REASON;
  if (entry.invalidUtf8) return INVALID_UTF8_REASON;
  if (!carriesKnownFields(fields)) return UNKNOWN_SHAPE_REASON;
  const repeated = repeatedReadKey(entry.value as object, entry.text);
  if (repeated !== undefined) return repeatedKeyReason(repeated);
  return undefined;
}

/**
 * Why an entry that gives a key the lake reads twice is quarantined: `JSON.parse` keeps the last
 * value, other readers of `raw` may keep the first, and which one Domo meant cannot be told.
 */
const repeatedKeyReason = (key: string): string =>
  `entry gives ${key} more than once: which value is meant cannot be told (this reader keeps the last, others the first)`;

/** Longest number literal a reason quotes: Domo's, but of any length. */
const LITERAL_CHARS = 40;

/**
 * The entry's time read, a number judged whole on its literal as sent, not on what `JSON.parse`
 * rounded it to: `1796464829000.0000000000001` is no more whole epoch ms than `…000.7`, and it
 * was stored with `time_raw` 1796464829000 (review R-DRIFT L3).
 */
function readTime(entry: ServedEntry, time: unknown, docTimeZone: string): ReturnType<typeof parseDomoTime> {
  if (typeof time === 'number' && Number.isInteger(time) && !isWholeAsSent(entry.text, time)) {
    const literal = timeLiteral(entry.text, time);
    const shown = literal.length > LITERAL_CHARS ? `${literal.slice(0, LITERAL_CHARS)}…` : literal;
    return { ok: false, reason: `time number ${shown} is not whole epoch ms` };
  }
  return parseDomoTime(time, docTimeZone);
}

/** Which setting a quarantined entry's time depends on, for its reason. */
const zoneWords = (docTimeZone: string): string =>
  `the time zone for Domo's time strings (docTimeZone, now ${docTimeZone})`;

/** An entry's time as served (`raw`), and whether it was a string without a zone of its own. */
interface ServedTime {
  raw: unknown;
  zoneless: boolean;
}

/**
 * Where an entry's time puts it: in the window (`own`), in a neighbouring hour whose pull stores it
 * (`neighbour`), or nowhere, given as the reason it is quarantined here: outside what was asked
 * of Domo (beyond the slack of its precision, {@link precisionSlackMs}), or a zone-less time read
 * just outside the window that Domo did not confirm there (its reading is an hour or more off, as
 * with a wrong `docTimeZone`: left to the neighbour, it would be stored nowhere), or a time string
 * of whole seconds with its own zone read just outside the window that Domo did not confirm there
 * either (a string rounded up from the instant Domo filed it at: the neighbour's request misses it).
 */
function placement(
  timeMs: number,
  time: ServedTime,
  entry: ServedEntry,
  window: HourWindow,
  ctx: NormaliseContext,
): 'own' | 'neighbour' | string {
  // The slack and the reasons' words are worked out only for an entry outside the request (rare):
  // this runs for every entry.
  if (timeMs < ctx.requestedStartMs || timeMs > ctx.requestedEndMs) {
    const slackMs = precisionSlackMs(time.raw);
    if (timeMs < ctx.requestedStartMs - slackMs || timeMs > ctx.requestedEndMs + slackMs) {
      return outOfRangeReason(timeMs, time.zoneless, ctx);
    }
  }
  if (timeMs >= window.startMs && timeMs < window.endMs) return 'own';
  if (!ctx.unconfirmed?.has(entry)) return 'neighbour';
  if (!time.zoneless) {
    return (
      `time ${lakeTimestamp(timeMs)} UTC, a string without milliseconds, falls just outside this hour, but ` +
      "Domo does not return the entry for that second: the instant Domo filed it at is this hour's (the " +
      "string is rounded up or off, not cut to its precision), and the neighbouring hour's request does " +
      'not return it'
    );
  }
  return (
    `time ${lakeTimestamp(timeMs)} UTC, read in ${zoneWords(ctx.docTimeZone)}, falls just outside this hour, but Domo does not return the ` +
    "entry for that second: its time is this hour's in another zone. Set docTimeZone to the zone " +
    'Domo writes its times in (that of the Domo instance) and pull these hours again: the entry is ' +
    'then stored as an event'
  );
}

/**
 * Why an entry outside the request is quarantined. Only a zone-less string is read in a setting
 * (`docTimeZone`) that a wrong value moves by hours; a time with its own zone or in epoch ms is
 * what Domo says, and no setting would bring it inside.
 */
function outOfRangeReason(timeMs: number, zoneless: boolean, ctx: NormaliseContext): string {
  const outside = `time ${lakeTimestamp(timeMs)} UTC is outside the requested range ${lakeTimestamp(ctx.requestedStartMs)}..${lakeTimestamp(ctx.requestedEndMs)} UTC`;
  return zoneless
    ? `${outside}; if many entries say this, check ${zoneWords(ctx.docTimeZone)}`
    : `${outside}: Domo returned an entry outside the range it was asked for`;
}

/** The lake record of an entry that was read, timed and found to belong to the window. */
function eventRecord(
  entry: ServedEntry,
  read: Extract<EntryRead, { ok: true }>,
  timeMs: number,
  eventId: string,
  window: HourWindow,
  ctx: NormaliseContext,
): EventRecord {
  const { fields } = read;
  const geo = ctx.geo?.columns(fields.ip_address);
  return wellFormedIfNeeded(entry, {
    event_id: eventId,
    event_time: lakeTimestamp(timeMs),
    event_time_ms: timeMs,
    time_raw: typeof read.time === 'string' ? read.time : JSON.stringify(read.time),
    action_type: fields.action_type,
    event_text: fields.event_text,
    object_type: fields.object_type,
    object_id: fields.object_id,
    object_name: fields.object_name,
    user_id: fields.user_id,
    user_name: fields.user_name,
    user_type: fields.user_type,
    actor_id: fields.actor_id,
    actor_name: fields.actor_name,
    actor_type: fields.actor_type,
    additional_comment: fields.additional_comment,
    ip_address: fields.ip_address,
    device: fields.device,
    browser_details: fields.browser_details,
    category: ctx.categorize({
      actionType: fields.action_type,
      eventText: fields.event_text,
      objectType: fields.object_type,
    }),
    raw: entry.text,
    window_start_ms: window.startMs,
    window_end_ms: window.endMs,
    ingested_at: ctx.ingestedAt,
    run_id: ctx.runId,
    ip_country: geo?.ip_country ?? null,
    ip_asn: geo?.ip_asn ?? null,
    ip_org: geo?.ip_org ?? null,
    geo_db_version: geo?.geo_db_version ?? null,
  });
}

/**
 * The record with U+FFFD for each lone surrogate a Domo string brought into it (`"\ud83d"`, half an
 * emoji): DuckDB refuses a whole file for one (lake/lone-surrogates.ts). Ids are kept, hashed from
 * the entry as parsed. Only an entry whose text may hold one is looked at closer: this runs for
 * every event, and the first look costs ~0.1 µs.
 */
const wellFormedIfNeeded = <T extends object>(entry: ServedEntry, record: T): T =>
  mayHoldLoneSurrogate(entry.text) ? wellFormedRecord(record) : record;

/**
 * Time strings without milliseconds (Domo's documented form) read up to a second away from the
 * instant Domo filters on; entries that close to the requested range are neighbours, not anomalies.
 */
export const PRECISION_SLACK_MS = 1000;

const EPOCH_DIGITS = /^\s*\d+\s*$/;
/** The fraction of a second after a time string's seconds (`:05.250`, `:05,5`). */
const FRACTION = /:\d{2}[.,](\d+)/;

/**
 * How far outside the requested range an entry's time (`raw`, as served and parsed) may read and
 * still be a neighbour's entry: as far as its precision lets it stray from the instant Domo filters
 * on. A string of whole seconds, {@link PRECISION_SLACK_MS}; one with tenths or hundredths, that
 * unit. Epoch ms, or a fraction of milliseconds or finer, is the instant itself: none, and an entry
 * outside the range is one Domo was not asked for (left to a neighbour whose request does not
 * reach it either, it would be stored nowhere).
 */
export function precisionSlackMs(raw: unknown): number {
  if (typeof raw !== 'string' || EPOCH_DIGITS.test(raw)) return 0;
  const digits = FRACTION.exec(raw)?.[1]?.length;
  if (digits === undefined) return PRECISION_SLACK_MS;
  return digits >= 3 ? 0 : 10 ** (3 - digits);
}

/**
 * Of the two readings of a string in the repeated hour, the one inside this window; else the one
 * inside the request (a neighbour's entry the request reached, such as `01:59:59 AM` of the second
 * occurrence at the last ms of the hour before, served when Domo's `start` is inclusive: its
 * earlier reading is an hour outside the request, and would quarantine it as if `docTimeZone` were
 * wrong); else the earlier. An entry whose other reading could also have been returned by the
 * window's request (at the hour's edges) was settled by a request of its second alone: see
 * repeated-hour-edge.ts. An hour read alone checks the reading chosen here when it falls just
 * outside the hour (zoneless-neighbours.ts).
 */
export function pickReading(
  earlier: number,
  later: number | undefined,
  window: HourWindow,
  ctx: Pick<NormaliseContext, 'requestedStartMs' | 'requestedEndMs'>,
): number {
  if (later === undefined) return earlier;
  const inWindow = (ms: number) => ms >= window.startMs && ms < window.endMs;
  if (inWindow(earlier)) return earlier;
  if (inWindow(later)) return later;
  const inRequest = (ms: number) =>
    ms >= ctx.requestedStartMs - PRECISION_SLACK_MS && ms <= ctx.requestedEndMs + PRECISION_SLACK_MS;
  return !inRequest(earlier) && inRequest(later) ? later : earlier;
}

function withOrdinal(seen: Map<string, number>, hash: string): string {
  const count = seen.get(hash) ?? 0;
  seen.set(hash, count + 1);
  return count === 0 ? hash : `${hash}-${count}`;
}

/** Order of records inside a window object: by time, then id, so rewrites are byte-stable. */
export const compareEvents = (a: EventRecord, b: EventRecord): number =>
  a.event_time_ms - b.event_time_ms || (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0);

export const compareQuarantine = (a: QuarantineRecord, b: QuarantineRecord): number =>
  a.quarantine_id < b.quarantine_id ? -1 : a.quarantine_id > b.quarantine_id ? 1 : 0;
