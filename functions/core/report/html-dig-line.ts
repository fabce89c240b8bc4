/**
 * The HTML of the line that says how to dig into a user (dig-into-user.ts): its sentence as an
 * aside, then the command in a fixed-width font on a pale ground, set apart so it reads as the
 * thing to copy. The command wraps anywhere on a phone (it is one word to copy, not prose); a
 * copy of it is still the one line. It starts a line of the HTML of its own (the break before it
 * is white space a cell does not show), so the style before it does not push its line past the
 * 998 octets a mail's line may have.
 */
import { esc } from '../mail/html-escape.ts';
import type { DigLine } from './dig-into-user.ts';
import { asideLine, sectionBody } from './html-section.ts';
import { INK, RULE, WRAP } from './html-style.ts';

/** Rows of a section's table (`columns` wide): the sentence, then the command if there is one. */
export function digLineRows(line: DigLine | undefined, columns = 1): string {
  if (!line) return '';
  const command = line.command
    ? `\n<tr><td colspan="${columns}" style="font-family:Menlo,Consolas,'Courier New',monospace;font-size:12px;line-height:17px;color:${INK};background-color:#f3f4f6;border:1px solid ${RULE};padding:6px 8px;${WRAP}">\n${esc(line.command)}</td></tr>`
    : '';
  return asideLine(line.sentence, columns) + command;
}

/** The same rows as a table of their own, for a section whose table is one of data (the bars). */
export const digLineBlock = (line: DigLine | undefined): string =>
  line ? sectionBody(digLineRows(line)) : '';
