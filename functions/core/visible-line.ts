import { visibleText } from './visible-text.ts';

/**
 * `text` as one line of a terminal: {@link visibleText} (no escape sequence, control character or
 * bidi control left to move the cursor, retitle the window or reorder what follows), and every run
 * of whitespace holding a line break or a tab made one space, so a stored value cannot start a
 * line of its own that reads as the command's. Runs of plain spaces stay: they are an indent.
 */
export const visibleLine = (text: string): string => visibleText(text).replace(/\s*[^\S ]\s*/g, ' ');
