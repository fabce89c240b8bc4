import { parseDomoTime } from './domo-time.ts';

/** The forms {@link parseUtcInstant} takes, as examples for an error message. */
export const UTC_INSTANT_EXAMPLES = '2026-10-01 or 2026-10-01T00:00:00Z';

/**
 * What else {@link parseUtcInstant} asks of a time, for an error message: the lake's times are read
 * only in 2000-2099 (an epoch in seconds taken for ms reads as 1970), so a bound outside could
 * never be pulled; an offset past 23:59 (`+99:00`) names no clock and would move the time by days.
 */
export const UTC_INSTANT_RULE =
  'on a date that exists, in the years 2000-2099, an offset (if any) with hours 00-23 and minutes 00-59';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A UTC instant as a person gives one (a command's range, a re-pull event): an ISO 8601 time with
 * a zone, or a bare `YYYY-MM-DD` meaning midnight UTC; undefined for anything else. Zone-less
 * times are refused rather than read in the machine's zone, and dates that do not exist
 * (2026-02-30, 2026-11-31) are refused rather than rolled over into the next month, as
 * `Date.parse` does. A lower-case `t` or `z` (RFC 3339 allows them) is read as its capital, the
 * only form the time parser knows.
 */
export function parseUtcInstant(value: string): number | undefined {
  const text = value.trim();
  const iso = DATE.test(text)
    ? `${text}T00:00:00Z`
    : ISO_WITH_ZONE.test(text)
      ? text.toUpperCase()
      : undefined;
  if (iso === undefined) return undefined;
  const parsed = parseDomoTime(iso);
  return parsed.ok ? parsed.ms : undefined;
}
