/**
 * Characters that change how the text around them is displayed without being seen themselves:
 * bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and direction
 * marks (U+200E, U+200F, U+061C). In a Domo name they can make `evil.admin` read as another user
 * or reorder the figures beside it, so they are removed. Ordinary right-to-left text still shows
 * right to left: the Unicode bidi algorithm needs none of these to lay it out.
 */
export const BIDI_CONTROL_CHARS = '\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069';
const BIDI_CONTROLS = new RegExp(`[${BIDI_CONTROL_CHARS}]`, 'g');

/** Line breaks other than `\n`: next line (U+0085), line and paragraph separators (U+2028, U+2029). */
export const OTHER_LINE_BREAK_CHARS = '\u0085\u2028\u2029';
const OTHER_LINE_BREAKS = new RegExp(`[${OTHER_LINE_BREAK_CHARS}]`, 'g');

/** DEL and the C1 control characters (U+009B starts an escape sequence on some terminals). */
export const C1_CONTROL_CHARS = '\u007f-\u009f';

/** C0 and C1 control characters (escape sequences, bells, NUL...) except tab, newline and return. */
const CONTROLS = new RegExp(`[\u0000-\u0008\u000b\u000c\u000e-\u001f${C1_CONTROL_CHARS}]`, 'g');

/**
 * UTF-16 surrogates standing alone. With the `u` flag a high and low surrogate in a row are one code
 * point and do not match, so this finds exactly the halves of a character that lost the other half.
 */
const LONE_SURROGATES = /[\ud800-\udfff]/gu;

/**
 * `text` with every lone surrogate replaced by U+FFFD (what `String.prototype.toWellFormed` does,
 * which the ES2023 library types lack). A Domo string can hold one (JSON's `\ud83d` escape parses to
 * it), and so can a cut through an emoji; a lone surrogate has no UTF-8 form, so an SDK that
 * URI-encodes its request (SNS Publish) throws before sending, and every alert batched with it waits
 * for nothing.
 */
export const wellFormed = (text: string): string => text.replace(LONE_SURROGATES, '\ufffd');

/**
 * `text` with every bidi control and control character (tab, newline and return kept) replaced by
 * `by`. Error messages quote Domo's and proxies' strings with a space in their place: removed, the
 * pieces around one could join into a secret the redactor, run before, did not see.
 */
export const withoutControls = (text: string, by = ''): string =>
  text.replace(BIDI_CONTROLS, by).replace(CONTROLS, by);

/**
 * Combining marks and invisible code points (format characters, default-ignorables: what the
 * report's namesake key drops, row-names.ts's IGNORABLE) in a row beyond the first eight.
 * Burmese writes four after a letter in common names (Kyaw, Myo, Phyo), Tibetan stacks more, a
 * subdivision's flag has seven tags after its black flag: three, the first bound, cut them (review
 * R-REPORT2 L2); a name of one letter and 40,000 marks drew over the rows above it in the HTML and
 * made a megabyte of the text part (review R-REPORT L1).
 */
const MARKS_PAST_EIGHT =
  /([\p{M}\p{Cf}\p{Default_Ignorable_Code_Point}]{8})[\p{M}\p{Cf}\p{Default_Ignorable_Code_Point}]+/gu;

/**
 * `text` with at most eight combining marks or invisible code points in a row (the first eight
 * kept): what the mail shows of a Domo string, in both parts.
 */
export const fewMarks = (text: string): string => text.replace(MARKS_PAST_EIGHT, '$1');

/**
 * A string from Domo as it may appear in the report: bidi controls and control characters
 * removed, U+0085, U+2028 and U+2029 turned into `\n`. A CR stays: `query`'s CSV makes it a
 * `\n` in a quoted field (its CR ends records), the report's HTML escape makes it a `\n` and its
 * text part a space. Both renderings use it (the HTML escapes the result, the text
 * flattens it onto one line), so no Domo string can spoof a name or break the layout, and
 * lone surrogates become U+FFFD ({@link wellFormed}), so every channel can encode it.
 */
export const visibleText = (text: string): string =>
  // Line breaks first: U+0085 is also a C1 control.
  wellFormed(withoutControls(text.replace(OTHER_LINE_BREAKS, '\n')));
