import { visibleText } from '../visible-text.ts';

/**
 * A Domo string on one line: {@link visibleText} (which makes U+0085, U+2028 and U+2029 a `\n`),
 * then every line break or tab a space. Every Domo string the text part puts in a row or a
 * sentence passes here, or a name holding a line break starts a line of its own: above the
 * command to copy, one that reads as part of the mail (review R-REPORTID M2).
 */
export const oneLine = (text: string): string =>
  visibleText(text)
    .replace(/[\t\n\r]+/g, ' ')
    .trim();
