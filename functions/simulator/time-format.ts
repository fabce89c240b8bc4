import { wallTime } from '../core/zoned-time.ts';

/**
 * How the simulator renders an entry's `time` (domo-api-notes §2.3: the real type is unknown).
 * `epochMs`: JSON number of epoch ms. `docString`: Domo's documented `yyyy-MM-dd hh:mm:ss a`
 * (e.g. "2017-12-13 10:57:35 PM", no zone, second precision) in a configured zone. `iso`: ISO 8601 in UTC.
 */
export type TimeFormat = 'epochMs' | 'docString' | 'iso';

export const TIME_FORMATS: readonly TimeFormat[] = ['epochMs', 'docString', 'iso'];

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** Domo's documented `yyyy-MM-dd hh:mm:ss a` reading of instant `ms` on a wall clock in `timeZone`. */
export function formatDocString(ms: number, timeZone: string): string {
  const w = wallTime(ms, timeZone);
  const hour12 = w.hour % 12 === 0 ? 12 : w.hour % 12;
  const meridiem = w.hour < 12 ? 'AM' : 'PM';
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(hour12)}:${pad(w.minute)}:${pad(w.second)} ${meridiem}`;
}

/** The value the server puts in `time` for an event at `ms`. */
export function renderTime(ms: number, format: TimeFormat, timeZone = 'UTC'): number | string {
  switch (format) {
    case 'epochMs':
      return ms;
    case 'iso':
      return new Date(ms).toISOString();
    case 'docString':
      return formatDocString(ms, timeZone);
  }
}
