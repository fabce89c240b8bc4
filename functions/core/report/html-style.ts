/**
 * The look of the report's HTML, set inline on every element as mail clients want it: its font and
 * colours, the attributes of its tables, how long strings wrap, and the one media query for phones.
 */

export const FONT = 'font-family:Arial,sans-serif;';
export const INK = '#1f2937';
/** 7:1 on the boxes' #f8fafc and the page's white: #6b7280 was 4.39:1 on #f3f4f6, under WCAG AA (review R-PHONE L2). */
export const MUTED = '#4b5563';
export const BRAND = '#1f3a5f';
export const BAR = '#2f6fdf';
/** A bar whose count is not the whole (a day in progress, a day that lost events): paler. */
export const BAR_PART = '#9dbcf2';
export const RULE = '#e5e7eb';
export const BAD = '#b3261e';
export const GOOD = '#1e7b34';

/** A table of data (failed logins, bars): its `<th scope="col">` headers name its value columns to a screen reader. */
export const DATA_TABLE = 'cellpadding="0" cellspacing="0" border="0"';
/** A layout table: screen readers skip its structure and read the cells as text. */
export const TABLE = `role="presentation" ${DATA_TABLE}`;

/** Lets a long unbroken Domo string (an id, an evidence line, a name) wrap anywhere rather than widen the page. */
export const WRAP = 'word-break:break-word;overflow-wrap:anywhere;';

/**
 * The least width of a column of names, set on its header cell (once a table, not a row): as wide
 * as a long word of a real name (`Konstantinopoulou`, 108 px at 13 px Arial). The names wrap
 * anywhere ({@link WRAP}), so a name with no space in it cannot widen the page, and such a column
 * was squeezed by its neighbours until it broke names mid-word on a phone. (`overflow-wrap:
 * break-word` would keep words whole, but lets one unbroken string set the column's least width,
 * and a 48-character one then widens the page.)
 */
export const NAME_COLUMN = 'min-width:108px;';

/**
 * The phone's layout is the inline one: headline boxes three a line (one a line, six took the first
 * screen; review R-PHONE M2), 12 px side padding, and 8 px between the failed-logins columns (at
 * 320 px the names and the "Last" times then both keep their words whole). Wider windows get the
 * desktop's room from this rule: boxes as wide as their text, a sixth of the row at least, 24 px
 * (20 around the boxes) and 14 px, and 8 px of grey beside the white column (none inline: with it a
 * 320 px window still scrolled by 11 px, review R-A11Y L5). It was the other way round until 2026-12-06, and a client that
 * drops `<style>` (Gmail's app for other accounts, some forwarded views) got the desktop layout on a
 * phone: 364 px wide at 320 (review R-A11Y M1, WCAG 1.4.10).
 */
export const WIDE_CSS = `@media only screen and (min-width: 481px) {
  .tile { width: auto !important; min-width: 16% !important; }
  .outer { padding-left: 8px !important; padding-right: 8px !important; }
  .pad { padding-left: 24px !important; padding-right: 24px !important; }
  .padt { padding-left: 20px !important; padding-right: 20px !important; }
  .gap, .gap td { padding-left: 14px !important; }
}`;

/**
 * Outlook for Windows reads classes but no media query, and its fixed 600 px column is a desktop's:
 * the desktop's padding, under its own conditional comment; the boxes are its table's cells, each
 * box whole in its cell.
 */
export const OUTLOOK_CSS = `<!--[if mso]><style>
.tile { width: auto !important; }
.pad { padding-left: 24px !important; padding-right: 24px !important; }
.padt { padding-left: 20px !important; padding-right: 20px !important; }
.gap, .gap td { padding-left: 14px !important; }
</style><![endif]-->`;
