import { esc } from './html-escape.ts';

/**
 * The opening of a mail's content, closed by `</div>`: webmail embeds the body in its own page and
 * drops `<html>` and `<head>`, so `lang="en"` and the `<title>` went with them and a screen reader
 * set to another language read the mail in that voice (review R-A11Y M5). A main landmark rather than the usual
 * e-mail `role="article"`: an article is no landmark, and axe 4.14 still found the content outside any
 * (`region`) and no main one; named by the subject, a user can jump to it among the webmail's own.
 */
export const contentStart = (subject: string) =>
  `<div role="main" aria-roledescription="email" aria-label="${esc(subject)}" lang="en" dir="ltr">`;
