/**
 * Byte counts as every reader of this project sees them: the command line, and (to be folded in)
 * the report's data-health line. Units of 1,024 named KB, MB, GB and TB, as Athena's console and
 * the report name them; one decimal below 10 of a unit, none from 10, so a 40 KB scan reads
 * `40 KB`, not `0.0 MB` (review R-SHAPE3 L6).
 */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** `value` in the unit at `unit`, with the decimals that unit's size gets. */
const shown = (value: number, unit: number): string => value.toFixed(unit > 0 && value < 9.95 ? 1 : 0);

/**
 * `12 B`, `1.0 KB`, `40 KB`, `1.2 MB`. The unit is chosen after rounding, so 1,048,575 bytes read
 * `1.0 MB`, never `1024 KB`, and 10,230 bytes `10 KB`, never `10.0 KB`.
 */
export function formatBytes(bytes: number): string {
  if (bytes < 0) return `-${formatBytes(-bytes)}`;
  let value = bytes;
  let unit = 0;
  while (unit < UNITS.length - 1 && Number(shown(value, unit)) >= 1024) {
    value /= 1024;
    unit++;
  }
  return `${shown(value, unit)} ${UNITS[unit]}`;
}
