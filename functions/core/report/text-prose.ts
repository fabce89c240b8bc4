/**
 * The text part's sentences and section headings: what every section of it is written with.
 */

import { TEXT_WIDTH } from '../mail/text-width.ts';
import { wrapNote } from '../wrap-note.ts';

/**
 * A sentence of the text part as lines of at most {@link TEXT_WIDTH} columns, broken between words
 * only ({@link wrapNote}): a word or URL wider than that stays whole on a line of its own. The
 * lines after the first keep the sentence's indentation, or hang under the text after a label
 * (`NOTE: `).
 */
export const prose = (text: string): string[] => wrapNote(text, TEXT_WIDTH, { indent: 0 });

/** A section's title, upper case and underlined, after a blank line. */
export const heading = (title: string) => ['', title.toUpperCase(), '-'.repeat(title.length)];
