import type * as z from 'zod';
import { errorMessage } from '../error-message.ts';
import type { StoredObject } from '../ports.ts';

/** What reading a stored JSON object gave: the validated value, or why it is unusable. */
type JsonReading<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Decodes a stored object's bytes as strict UTF-8 JSON and validates it. The reason of a refusal
 * names the first bad field (`field a.b: …`) or the parse error (`not valid JSON: …`), so every
 * caller can word its own message (what the object is, and how to recover) around it.
 */
export function decodeStoredJson<T>(body: Uint8Array, schema: z.ZodType<T>): JsonReading<T> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (error) {
    return { ok: false, reason: `not valid JSON: ${errorMessage(error)}` };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, reason: `field ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` };
}

/**
 * The JSON object as read (undefined: there was none) with its ETag, for a conditional rewrite. An
 * object that is not valid JSON or fails `schema` throws what `invalid` makes of the reason.
 */
export function storedJsonOf<T>(
  stored: StoredObject | undefined,
  schema: z.ZodType<T>,
  invalid: (reason: string) => Error,
): { value: T; etag: string } | undefined {
  if (!stored) return undefined;
  const reading = decodeStoredJson(stored.body, schema);
  if (!reading.ok) throw invalid(reading.reason);
  return { value: reading.value, etag: stored.etag };
}
