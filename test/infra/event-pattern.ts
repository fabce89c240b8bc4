/** An EventBridge event pattern, or an event, as plain JSON. */
export type Pattern = { [field: string]: unknown };

/** The string matchers, by their key: each compares the event's string with the matcher's. */
const STRING_MATCHERS: Record<string, (value: string, operand: string) => boolean> = {
  prefix: (value, operand) => value.startsWith(operand),
  suffix: (value, operand) => value.endsWith(operand),
  'equals-ignore-case': (value, operand) => value.toLowerCase() === operand.toLowerCase(),
};

function matcherMatches(matcher: object, value: unknown): boolean {
  for (const [key, test] of Object.entries(STRING_MATCHERS)) {
    const operand = (matcher as Record<string, unknown>)[key];
    if (typeof operand === 'string') return typeof value === 'string' && test(value, operand);
  }
  const exists = (matcher as { exists?: unknown }).exists;
  if (typeof exists === 'boolean') return (value !== undefined) === exists;
  const excluded = (matcher as { 'anything-but'?: unknown })['anything-but'];
  if (excluded === undefined) throw new Error(`matcher not modelled: ${JSON.stringify(matcher)}`);
  return value !== undefined && !(Array.isArray(excluded) ? excluded : [excluded]).includes(value);
}

/**
 * Whether one value satisfies one field's list of EventBridge matchers: the subset the stack's
 * rules use, exact values, `prefix`, `suffix`, `equals-ignore-case`, `exists` and `anything-but` (AWS:
 * "Content filtering in Amazon EventBridge event patterns"). A field whose value is an array
 * matches when any of its elements does.
 */
function fieldMatches(matchers: unknown[], value: unknown): boolean {
  if (Array.isArray(value)) return value.some((element) => fieldMatches(matchers, element));
  return matchers.some((matcher) =>
    typeof matcher !== 'object' || matcher === null ? matcher === value : matcherMatches(matcher, value),
  );
}

/**
 * Whether `event` matches `pattern`: every field ANDed, `$or` any of its branches (at any level); a
 * nested pattern under a field holding an array of objects (CloudTrail's `resources`) matches when
 * one object does.
 */
export function matchesPattern(pattern: Pattern, event: Pattern): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    if (field === '$or') return (expected as Pattern[]).some((branch) => matchesPattern(branch, event));
    if (Array.isArray(expected)) return fieldMatches(expected, event[field]);
    // A missing object matches as an empty one: `exists: false` under it holds.
    const nested = event[field] ?? {};
    const objects = Array.isArray(nested) ? nested : [nested];
    return objects.some(
      (object) =>
        typeof object === 'object' &&
        object !== null &&
        matchesPattern(expected as Pattern, object as Pattern),
    );
  });
}
