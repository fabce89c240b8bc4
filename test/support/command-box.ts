/**
 * The text of the report's command box (html-dig-line.ts), as a copy of it reads: its words (each
 * in a box of its own) one space apart; undefined when the HTML has none. Entities stay escaped.
 */
export const commandBoxText = (html: string): string | undefined =>
  /monospace;[^>]*>\n([\s\S]*?)<\/td>/
    .exec(html)?.[1]
    ?.replace(/<[^>]+>/g, '')
    .replace(/\n/g, ' ');
