import { TEXT_WIDTH } from '../../functions/core/mail/text-width.ts';
import { wrapNote } from '../../functions/core/wrap-note.ts';

/**
 * The report's text part as its words read, whatever the wrapping: every run of white space (the
 * line break inside a wrapped sentence and the indentation after it) as one space.
 */
export const textWords = (text: string): string => text.replace(/\s+/g, ' ');

/** A paragraph as the text part lays it out: its lines, wrapped to the text part's width. */
export const textLines = (paragraph: string): string[] => wrapNote(paragraph, TEXT_WIDTH, { indent: 0 });

/** {@link textLines} as one string, for a search of the whole text part. */
export const asText = (paragraph: string): string => textLines(paragraph).join('\n');
