/**
 * How a row's text is measured and cut: a {@link Ruler}. The HTML counts characters
 * ({@link CHARACTERS}), as the mail client lays the text out; the text part counts columns
 * (text-names.ts).
 */

import { clip } from '../mail/clip.ts';

/** How text is measured and cut for a row: by characters (HTML), or by columns (the text part). */
export interface Ruler {
  width(text: string): number;
  clip(text: string, max: number): string;
}

/** A high and a low surrogate in a row: one code point in two UTF-16 units. */
const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/** Code points in `text`: its UTF-16 length less one per surrogate pair. */
const codePoints = (text: string): number => text.length - (text.match(SURROGATE_PAIR)?.length ?? 0);

/**
 * Characters (code points, as {@link clip} counts them): what bounds a name's size in the HTML,
 * where the mail client lays the text out.
 */
export const CHARACTERS: Ruler = { width: codePoints, clip };
