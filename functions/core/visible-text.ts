/**
 * Characters that change how the text around them is displayed without being seen themselves:
 * bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and direction
 * marks (U+200E, U+200F, U+061C). In a Domo name they can make `evil.admin` read as another user
 * or reorder the figures beside it, so they are removed. Ordinary right-to-left text still shows
 * right to left: the Unicode bidi algorithm needs none of these to lay it out.
 */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Line breaks other than `\n`: next line (U+0085), line and paragraph separators (U+2028, U+2029). */
const OTHER_LINE_BREAKS = /[\u0085\u2028\u2029]/g;

/** C0 and C1 control characters (escape sequences, bells, NUL...) except tab, newline and return. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * A string from Domo as it may appear in the report: bidi controls and control characters
 * removed, every line break turned into `\n`. Both renderings use it (the HTML escapes the result,
 * the text flattens it onto one line), so no Domo string can spoof a name or break the layout.
 */
export const visibleText = (text: string): string =>
  text.replace(BIDI_CONTROLS, '').replace(OTHER_LINE_BREAKS, '\n').replace(CONTROLS, '');
