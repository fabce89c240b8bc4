/**
 * Prose wrapped between words for a fixed-width display: a terminal (the notes of `status`), which
 * would cut a long sentence at its edge in the middle of a word, or a mail client, which shows the
 * report's text/plain part as it is, a sentence of 263 columns on one line.
 */
import { displayWidth, widthJoined } from './display-width.ts';

interface WrapNoteOptions {
  /**
   * Columns the lines after the first are indented by, beyond the note's own indentation, when it
   * has no label to hang under: 2 (the default) for a terminal's notes, so the rest of one reads as
   * part of it rather than as a note of its own; 0 for a paragraph of a mail, as plain-text mail
   * is wrapped.
   */
  readonly indent?: number;
}

/** `- ` and `* ` start a list item: its lines hang under the item's text, as a label's do. */
const LIST_MARKERS = new Set(['-', '*']);

/** A first word that labels the rest (`main:`, `NOTE:`, a list marker), which the rest hangs under. */
const isLabel = (word: string): boolean => word.endsWith(':') || LIST_MARKERS.has(word);

const wordsOf = (text: string) => text.split(' ').filter((word) => word !== '');

/**
 * A note for a display `maxWidth` columns wide (counted by {@link displayWidth}): whole when it
 * fits, else wrapped between words. After a label (`main: `, `NOTE: `, `- `) the lines after the
 * first hang under the text after it, so they read as the rest of one note; a note without one (a
 * sentence, whose second word is no column) indents them by `indent` columns. Every line keeps
 * the note's own indentation. A word wider than a line (a path, a URL) stays whole, on a line of
 * its own, where it can be copied in one piece. A label so long that hanging under it would leave
 * too little room is treated as none. A line break inside the note (an error's text) starts a new
 * line at the same indent, so the text after it still reads as part of the note.
 */
export function wrapNote(
  note: string,
  maxWidth = Number.POSITIVE_INFINITY,
  { indent = 2 }: WrapNoteOptions = {},
): string[] {
  if (maxWidth === Number.POSITIVE_INFINITY || (!note.includes('\n') && displayWidth(note) <= maxWidth)) {
    return [note];
  }
  const lead = /^ */.exec(note)?.[0] ?? '';
  const [opening = '', ...more] = note.slice(lead.length).split('\n');
  const [first = '', ...words] = wordsOf(opening);
  const hanging = displayWidth(lead + first) + 1;
  const rest = ' '.repeat(isLabel(first) && hanging <= maxWidth / 3 ? hanging : lead.length + indent);
  const lines: string[] = [];
  let line = lead + first;
  // The line's width is kept as words join it, not measured again whole for each word.
  let lineWidth = displayWidth(line);
  const startLine = (word: string) => {
    lines.push(line);
    line = rest + word;
    lineWidth = displayWidth(line);
  };
  const add = (word: string) => {
    const joinedWidth = widthJoined(line, lineWidth, word);
    if (joinedWidth > maxWidth) return startLine(word);
    line = `${line} ${word}`;
    lineWidth = joinedWidth;
  };
  for (const word of words) add(word);
  for (const paragraph of more) {
    const [start, ...others] = wordsOf(paragraph);
    if (start === undefined) continue;
    startLine(start);
    for (const word of others) add(word);
  }
  return [...lines, line];
}
