import { wallTime } from '../zoned-time.ts';

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `HH:MM` on the wall clock of `timeZone` (evidence lines, message tables). */
export function localHhmm(ms: number, timeZone: string): string {
  const wall = wallTime(ms, timeZone);
  return `${pad2(wall.hour)}:${pad2(wall.minute)}`;
}

/** `YYYY-MM-DD HH:MM` on the wall clock of `timeZone`. */
export function localDateTime(ms: number, timeZone: string): string {
  const wall = wallTime(ms, timeZone);
  return `${wall.year}-${pad2(wall.month)}-${pad2(wall.day)} ${pad2(wall.hour)}:${pad2(wall.minute)}`;
}
