import { unlinked } from '../mail/mail-links.ts';

/** A Domo string on one line, cleaned and defanged like the weekly report's text part. */
export const oneLine = (text: string | null): string =>
  unlinked(text ?? '')
    .replace(/[\t\n\r]+/g, ' ')
    .trim();
