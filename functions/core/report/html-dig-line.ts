/**
 * The HTML of the line that says how to dig into a user (dig-into-user.ts): its sentence as an
 * aside, then the command in a fixed-width font on a pale ground, set apart so it reads as the
 * thing to copy. On a phone it wraps between its words only: each word is a box of its own
 * (`inline-block`), moved whole to the next line, as a browser otherwise breaks after a `-`, and
 * `--lake` or `domo-activity-` at a line's end read as words of their own when retyped (review
 * R-REPORTID); only a word wider than the box, a long path, still breaks inside ({@link WRAP}),
 * rather than widen the page. A copy of it is still the one line. Its words are on lines of the
 * HTML of their own (white space the cell shows as one space), so no line of the HTML passes the
 * 998 octets a mail's line may have.
 */
import { esc } from '../mail/html-escape.ts';
import type { DigLine } from './dig-into-user.ts';
import { asideLine, sectionBody } from './html-section.ts';
import { INK, RULE, WRAP } from './html-style.ts';

/** Rows of a section's table (`columns` wide): the sentence, then the command if there is one. */
export function digLineRows(line: DigLine | undefined, columns = 1): string {
  if (!line) return '';
  return asideLine(line.sentence, columns) + (line.command ? commandRow(line.command, columns) : '');
}

/** A command to copy, a row of its own: fixed-width on a pale ground, broken between words only. */
export const commandRow = (command: string, columns = 1): string =>
  `\n<tr><td colspan="${columns}" style="font-family:Menlo,Consolas,'Courier New',monospace;font-size:12px;line-height:17px;color:${INK};background-color:#f3f4f6;border:1px solid ${RULE};padding:6px 8px;${WRAP}">\n${wholeWords(command)}</td></tr>`;

/** `command`'s words, each a box a line break goes around, not through, while it fits a line. */
const wholeWords = (command: string): string =>
  command
    .split(' ')
    .map((word) => `<span style="display:inline-block;word-break:break-all">${esc(word)}</span>`)
    .join('\n');

/** The same rows as a table of their own, for a section whose table is one of data (the bars). */
export const digLineBlock = (line: DigLine | undefined): string =>
  line ? sectionBody(digLineRows(line)) : '';
