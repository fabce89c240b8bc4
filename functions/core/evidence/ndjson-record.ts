/**
 * A line of a bundle's NDJSON as the object it holds; undefined when it is no JSON object. Parsed
 * once per line for every tally of the command (the geo databases, an alert's events).
 */
export function ndjsonRecord(line: string): Readonly<Record<string, unknown>> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
