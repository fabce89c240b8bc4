/**
 * Prose wrapped between words for a fixed-width display (the notes of `status` in a terminal),
 * which would otherwise cut a long sentence at its edge, in the middle of a word.
 */
import { displayWidth } from './display-width.ts';

const wordsOf = (text: string) => text.split(' ').filter((word) => word !== '');

/**
 * A note (a warning, a piece of advice) for a display `maxWidth` columns wide (counted by
 * {@link displayWidth}): whole when it fits, else wrapped between words with a hanging indent
 * under the text after its first word (`main: `, `- `), so the lines after the first read as the
 * rest of one note, not as notes of their own. A word wider than a line (a path, a URL) stays
 * whole, on a line of its own, where it can be copied in one piece; the terminal folds it. A first
 * word so long that the indent would leave too little room indents the rest by two columns
 * instead. A line break inside the note (an error's text) starts a new line at that indent, so the
 * text after it still reads as part of the note.
 */
export function wrapNote(note: string, maxWidth = Number.POSITIVE_INFINITY): string[] {
  if (maxWidth === Number.POSITIVE_INFINITY || (!note.includes('\n') && displayWidth(note) <= maxWidth)) {
    return [note];
  }
  const lead = /^ */.exec(note)?.[0] ?? '';
  const [opening = '', ...more] = note.slice(lead.length).split('\n');
  const [first = '', ...words] = wordsOf(opening);
  const hanging = displayWidth(lead + first) + 1;
  const rest = ' '.repeat(hanging <= maxWidth / 3 ? hanging : lead.length + 2);
  const lines: string[] = [];
  let line = lead + first;
  const add = (word: string) => {
    const joined = `${line} ${word}`;
    if (displayWidth(joined) <= maxWidth) {
      line = joined;
      return;
    }
    lines.push(line);
    line = rest + word;
  };
  for (const word of words) add(word);
  for (const paragraph of more) {
    const [start, ...others] = wordsOf(paragraph);
    if (start === undefined) continue;
    lines.push(line);
    line = rest + start;
    for (const word of others) add(word);
  }
  return [...lines, line];
}
