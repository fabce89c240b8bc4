import { MINUTE_MS } from '../time-units.ts';
import { zonedWallTimeCandidates } from '../zoned-time.ts';

/**
 * Parses Domo's `time` field. Its format is not settled (domo-api-notes §2.3): the public docs show
 * `"2017-12-13 10:57:35 PM"` with no zone, the internal API returns epoch ms, SDKs expect ISO 8601.
 * All four forms are accepted; anything else is reported with a reason so it can be quarantined.
 */

export type TimeParse =
  | {
      ok: true;
      ms: number;
      /**
       * The later reading of a zone-less string that names a wall time the zone showed twice (the
       * repeated hour when clocks go back); `ms` is the earlier one. The caller picks by context.
       */
      laterMs?: number;
      /**
       * True for a string without a zone of its own (the documented form): `ms` is only as right
       * as `docTimeZone`, and a wrong setting moves it by hours.
       */
      zoneless?: true;
    }
  | { ok: false; reason: string };

// Outside these bounds a number is more likely seconds, microseconds or garbage than epoch ms.
const MIN_MS = Date.UTC(2000, 0, 1);
const MAX_MS = Date.UTC(2100, 0, 1);

const DIGITS = /^\d{1,16}$/;
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)$/;
/**
 * An ISO-looking time that ends in a zone: a sign after the `T` starts one, since a zone-less time
 * has none there. Told apart from zone-less ones so a form not read (ten fraction digits, a
 * fraction without seconds) is not quarantined as lacking the zone it has.
 */
const ISO_WITH_TRAILING_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}.*\d(?:[Zz]|[+-][\d:]+)$/;
const ISO_FORMS = 'HH:MM, HH:MM:SS or HH:MM:SS with 1-9 fraction digits, then Z or an offset such as +02:00';
const DOC = /^(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,3}))? ?([AaPp])\.?[Mm]\.?$/;

export function parseDomoTime(value: unknown, docTimeZone = 'UTC'): TimeParse {
  if (typeof value === 'number') return fromEpochMs(value, 'number');
  if (typeof value !== 'string') {
    return {
      ok: false,
      reason: `time is ${value === null ? 'null' : typeof value}, expected a string or number`,
    };
  }
  const text = value.trim();
  if (text === '') return { ok: false, reason: 'time is an empty string' };
  if (DIGITS.test(text)) return fromEpochMs(Number(text), 'digit string');

  const iso = ISO.exec(text);
  if (iso) return fromIso(iso, text);
  const doc = DOC.exec(text);
  if (doc) return fromDocFormat(doc, text, docTimeZone);

  if (ISO_WITH_TRAILING_ZONE.test(text)) {
    return {
      ok: false,
      reason: `time "${truncate(text)}" has a zone but is not an ISO 8601 form read here (${ISO_FORMS})`,
    };
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) {
    return {
      ok: false,
      reason: `time "${truncate(text)}" is ISO 8601 without a zone; the instant it means is ambiguous`,
    };
  }
  return {
    ok: false,
    reason: `time "${truncate(text)}" matches no known format (epoch ms, ISO 8601 with zone, yyyy-MM-dd hh:mm:ss a)`,
  };
}

/** An ISO 8601 time with its zone. */
function fromIso(iso: RegExpExecArray, text: string): TimeParse {
  const [y, mo, d, h, mi, s] = numbers(iso);
  const local = wallClockUtc(y, mo, d, h, mi, s, fractionMs(iso[7] ?? ''));
  if (local === undefined) return { ok: false, reason: `time "${text}" is not a valid calendar time` };
  const zone = iso[8] ?? 'Z';
  const offset = zoneOffsetMs(zone);
  if (offset === undefined) {
    return { ok: false, reason: `time "${text}" has the UTC offset ${zone}: ${OFFSET_RULE}` };
  }
  return checkRange(local - offset, text);
}

/** The documented `yyyy-MM-dd hh:mm:ss a`, a wall time in `docTimeZone` (twice, when clocks go back). */
function fromDocFormat(doc: RegExpExecArray, text: string, docTimeZone: string): TimeParse {
  const [y, mo, d, hour12, mi, s] = numbers(doc);
  if (hour12 < 1 || hour12 > 12)
    return { ok: false, reason: `time "${text}" has hour ${hour12} on a 12-hour clock` };
  const hour = (hour12 % 12) + (doc[8]?.toUpperCase() === 'P' ? 12 : 0);
  const local = wallClockUtc(y, mo, d, hour, mi, s, fractionMs(doc[7] ?? ''));
  if (local === undefined) return { ok: false, reason: `time "${text}" is not a valid calendar time` };
  const [earlier = local, later] = zonedWallTimeCandidates(local, docTimeZone);
  const parsed = checkRange(earlier, text);
  if (!parsed.ok) return parsed;
  return later !== undefined ? { ...parsed, laterMs: later, zoneless: true } : { ...parsed, zoneless: true };
}

type Six = [number, number, number, number, number, number];

/** The first six capture groups as numbers (absent optional groups read as 0). */
const numbers = (match: RegExpExecArray): Six => {
  const n = (i: number) => Number(match[i] ?? 0);
  return [n(1), n(2), n(3), n(4), n(5), n(6)];
};

function fromEpochMs(ms: number, kind: string): TimeParse {
  if (!Number.isFinite(ms) || !Number.isInteger(ms))
    return { ok: false, reason: `time ${kind} ${ms} is not whole epoch ms` };
  return checkRange(ms, ms);
}

/** `text` (or the number itself) names the time in the reason; a number is only written then. */
function checkRange(ms: number, text: string | number): TimeParse {
  if (ms < MIN_MS || ms >= MAX_MS) {
    return {
      ok: false,
      reason: `time "${truncate(String(text))}" is outside 2000-2099; epoch seconds or a corrupt value?`,
    };
  }
  return { ok: true, ms };
}

const fractionMs = (frac: string): number =>
  frac === '' ? 0 : Math.floor(Number(`0.${frac}`) * 1000 + 1e-6);

/** Epoch ms of a wall-clock time read as if it were UTC, or undefined if the date does not exist. */
function wallClockUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number) {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const back = new Date(t);
  return back.getUTCDate() === d && back.getUTCMonth() === mo - 1 ? t : undefined;
}

/**
 * What an offset must be. Hours up to 23, not the 14 of today's furthest zone: RFC 3339's grammar
 * (and `Date.parse`, Temporal) allow them, and a clock a zone may yet adopt is not corrupt data;
 * `+99:00` or `+05:75` is, and would move the instant by days or an hour unseen.
 */
const OFFSET_RULE = 'an offset needs hours 00-23 and minutes 00-59';

/** The offset `zone` (`Z`, `±HH`, `±HHMM`, `±HH:MM`) names, or undefined past 23 hours or 59 minutes. */
function zoneOffsetMs(zone: string): number | undefined {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 23 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes) * MINUTE_MS;
}

/** The text cut to 57 code units and `...` past 60, never between the two halves of an emoji. */
const truncate = (text: string): string => {
  if (text.length <= 60) return text;
  const cut = /[\uD800-\uDBFF]/.test(text.charAt(56)) ? 56 : 57;
  return `${text.slice(0, cut)}...`;
};
