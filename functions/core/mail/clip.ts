/**
 * Shortens text to `max` characters with an ellipsis, so one long Domo name cannot bloat the mail.
 * A cut that falls after a space drops it: `Manager…`, not `Manager …`, which reads as a gap.
 */
export function clip(text: string, max: number): string {
  // Measured and cut by code point, so an emoji or other astral character (two UTF-16 units) is
  // never cut in half, nor counted twice into a false `…`. A text of at most `max` UTF-16 units
  // has at most as many code points: the common case needs no split (the size budget renders
  // every list many times).
  if (text.length <= max) return text;
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars
    .slice(0, Math.max(0, max - 1))
    .join('')
    .trimEnd()}…`;
}
