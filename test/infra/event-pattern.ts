/** An EventBridge event pattern, or an event, as plain JSON. */
export type Pattern = { [field: string]: unknown };

/**
 * Whether one value satisfies one field's list of EventBridge matchers: the subset the stack's
 * rules use, exact values, `prefix`, `suffix` and `anything-but` (AWS: "Content filtering in Amazon EventBridge event
 * patterns"). A field whose value is an array matches when any of its elements does.
 */
function fieldMatches(matchers: unknown[], value: unknown): boolean {
  if (Array.isArray(value)) return value.some((element) => fieldMatches(matchers, element));
  return matchers.some((matcher) => {
    if (typeof matcher !== 'object' || matcher === null) return matcher === value;
    const prefix = (matcher as { prefix?: unknown }).prefix;
    if (typeof prefix === 'string') return typeof value === 'string' && value.startsWith(prefix);
    const suffix = (matcher as { suffix?: unknown }).suffix;
    if (typeof suffix === 'string') return typeof value === 'string' && value.endsWith(suffix);
    const excluded = (matcher as { 'anything-but'?: unknown })['anything-but'];
    if (excluded === undefined) throw new Error(`matcher not modelled: ${JSON.stringify(matcher)}`);
    return value !== undefined && !(Array.isArray(excluded) ? excluded : [excluded]).includes(value);
  });
}

/**
 * Whether `event` matches `pattern`: every field ANDed, `$or` any of its branches; a nested pattern
 * under a field holding an array of objects (CloudTrail's `resources`) matches when one object does.
 */
export function matchesPattern(pattern: Pattern, event: Pattern): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    if (field === '$or') return (expected as Pattern[]).some((branch) => matchesPattern(branch, event));
    if (Array.isArray(expected)) return fieldMatches(expected, event[field]);
    const nested = event[field];
    const objects = Array.isArray(nested) ? nested : [nested];
    return objects.some(
      (object) =>
        typeof object === 'object' &&
        object !== null &&
        matchesPattern(expected as Pattern, object as Pattern),
    );
  });
}
