/**
 * Appends `items` to `target` one by one. `target.push(...items)` passes each item as an argument,
 * and a call takes only so many: a backfill's alerts (150,000 in review R-LAST) overflowed the
 * stack.
 */
export function appendAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}
