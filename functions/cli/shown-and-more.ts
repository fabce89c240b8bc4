import { capped } from '../core/mail/render-limits.ts';

/**
 * The first `cap` items and how many more there are; all of them when only one more would be left
 * out: the line saying so would take the place that item needs.
 */
export function shownAndMore<T>(items: readonly T[], cap: number): { shown: readonly T[]; more: number } {
  return items.length === cap + 1 ? { shown: items, more: 0 } : capped(items, cap);
}
