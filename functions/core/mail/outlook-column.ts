/**
 * Outlook for Windows lays mail out with Word's engine, which ignores `max-width`: a column capped
 * in CSS runs the window's full width there. Both mails (the weekly report, the security alerts)
 * wrap their column in a "ghost" table of fixed width that only Outlook's Word engine reads (in
 * `[if mso]` conditional comments, which every other client takes for comments), so one helper
 * keeps the two the same (docs/decisions.md, "Mail layout").
 */

/** The attributes of a layout table that screen readers skip (html-style.ts's `TABLE`). */
const GHOST_TABLE = 'role="presentation" cellpadding="0" cellspacing="0" border="0"';

/** Opens Outlook's fixed-width column of `width` px; what follows up to {@link OUTLOOK_COLUMN_END} is in it. */
export const outlookColumnStart = (width: number): string =>
  `<!--[if mso]><table ${GHOST_TABLE} width="${width}"><tr><td><![endif]-->`;

/** Closes the column {@link outlookColumnStart} opened. */
export const OUTLOOK_COLUMN_END = '<!--[if mso]></td></tr></table><![endif]-->';
