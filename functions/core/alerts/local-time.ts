import { wallTime, zoneOffsetMs } from '../zoned-time.ts';

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `HH:MM` on the wall clock of `timeZone`. */
function localHhmm(ms: number, timeZone: string): string {
  const wall = wallTime(ms, timeZone);
  return `${pad2(wall.hour)}:${pad2(wall.minute)}`;
}

/** `timeZone`'s offset from UTC at `ms`, as `+05:30` or `-04:00`. */
function offsetText(ms: number, timeZone: string): string {
  const minutes = Math.round(zoneOffsetMs(ms, timeZone) / 60_000);
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/**
 * `HH:MM to HH:MM` from `fromMs` to `toMs` on the wall clock of `timeZone` ("to", not a hyphen: a
 * screen reader reads `05:53-05:55` as "05:53 minus 05:55"). When the clocks moved between the two
 * (a span across the hour they go back reads 01:56 to 01:02), each end also shows its offset,
 * `01:56 -04:00 to 01:02 -05:00`, so the span reads forwards and as long as it was.
 */
export function localHhmmSpan(fromMs: number, toMs: number, timeZone: string): string {
  const from = localHhmm(fromMs, timeZone);
  const to = localHhmm(toMs, timeZone);
  const fromOffset = offsetText(fromMs, timeZone);
  const toOffset = offsetText(toMs, timeZone);
  if (fromOffset === toOffset) return `${from} to ${to}`;
  return `${from} ${fromOffset} to ${to} ${toOffset}`;
}

/** `YYYY-MM-DD HH:MM` on the wall clock of `timeZone`. */
export function localDateTime(ms: number, timeZone: string): string {
  const wall = wallTime(ms, timeZone);
  return `${wall.year}-${pad2(wall.month)}-${pad2(wall.day)} ${pad2(wall.hour)}:${pad2(wall.minute)}`;
}
