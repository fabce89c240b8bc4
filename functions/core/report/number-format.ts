/**
 * How the report writes numbers: counts with grouping commas, signed changes and percentages,
 * sizes, English plurals. Shared by the HTML, the text, the subject and the command line, so that
 * all of them say the same thing.
 */

import { once } from '../once.ts';
import type { Change } from './report-model.ts';

// Built on first use, not at import: the first Intl object of a process loads ICU's data (~30 ms),
// which belongs with the run that formats numbers, not with loading the bundle.
const grouping = once(() => new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }));

/** `12,345`; fractions keep one decimal. */
export const formatCount = (n: number): string => grouping().format(n);

/**
 * A signed percentage: `+8%`, `-12%`, `+0.4%` (one decimal only below 1%). Rounding never turns a
 * change into one it is not: `±0%` only for none (a tiny one is `+<0.1%`), and `-100%` only for a
 * fall to zero (1 event against thousands is `-99.9%`, cut toward zero instead of rounded).
 */
export function formatPct(pct: number): string {
  if (pct === 0) return '±0%';
  const sign = pct > 0 ? '+' : '-';
  const size = Math.abs(pct);
  if (size < 0.05) return `${sign}<0.1%`;
  if (size < 1) return `${sign}${Math.round(size * 10) / 10}%`;
  if (size < 100 && Math.round(size) >= 100) return `${sign}${Math.floor(size * 10) / 10}%`;
  // Grouped like every count: `+15,000,350%`, not `+15000350%`.
  return `${sign}${formatCount(Math.round(size))}%`;
}

/**
 * The change of a figure against the previous week: `+8%`, `new` (from zero), `±0%`, or `-` (both
 * zero). Computed from the two counts, not the model's `pct`, which is rounded to one decimal
 * already (1 against 20,000 is stored as -100).
 */
export function formatChange(change: Pick<Change, 'current' | 'previous' | 'pct'>): string {
  if (change.previous !== 0) return formatPct((100 * (change.current - change.previous)) / change.previous);
  return change.current === 0 ? '-' : 'new';
}

/** A signed whole-number difference: `+12`, `-3`, `±0`. */
export const formatDelta = (delta: number): string =>
  `${delta > 0 ? '+' : delta < 0 ? '-' : '±'}${formatCount(Math.abs(delta))}`;

/**
 * A week before's count below which a change reads as a difference, not a percentage: 1 failed
 * login to 29 showed `+2,800%`, which shouts about 28 typos (review R-PHONE L3).
 */
export const SMALL_BASE = 20;

/** {@link formatChange}, or against a base under {@link SMALL_BASE}, {@link formatDelta}: `+28`. */
export const formatChangeOnBase = (change: Pick<Change, 'current' | 'previous' | 'pct'>): string =>
  change.previous > 0 && change.previous < SMALL_BASE
    ? formatDelta(change.current - change.previous)
    : formatChange(change);

/** `1.2 MB`, `340 KB`, `12 B`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** English plural: `1 lockout`, `3 lockouts`. */
export const plural = (n: number, one: string, many = `${one}s`): string =>
  `${formatCount(n)} ${n === 1 ? one : many}`;
