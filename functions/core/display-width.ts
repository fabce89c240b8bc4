/**
 * How many columns of a fixed-width font (a terminal, a mail client's plain-text view) a string
 * takes: what aligned text columns must pad and clip by. `.length` counts UTF-16 units, so a
 * Japanese name (each character two columns wide) pushes what follows it to the right, and a name
 * with a combining accent (`Zoe\u0301`, one column for two units) pulls it to the left.
 *
 * Counted per grapheme (what a reader sees as one character): 2 for East Asian Wide and Fullwidth
 * characters and for emoji (a flag, a skin tone or a family joined with ZWJ is one emoji), 0 for a
 * cluster of combining marks and invisible format characters alone, 1 for anything else. East
 * Asian Ambiguous characters (`…`, Greek, Cyrillic) count 1, as Western terminals show them.
 */
import { once } from './once.ts';

/**
 * East Asian Width W and F ranges (Unicode 15, UAX #11) outside the emoji, which the emoji
 * properties below catch: Hangul Jamo, CJK radicals to CJK compatibility, Hangul syllables,
 * fullwidth forms, Tangut, Kana supplements and the supplementary ideographic planes.
 */
const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2329, 0x232a],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18cff],
  [0x1b000, 0x1b2ff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

const isWide = (codePoint: number): boolean =>
  WIDE_RANGES.some(([from, to]) => codePoint >= from && codePoint <= to);

/** Shown as an emoji: emoji presentation by default, or asked for with VS16 (U+FE0F, `❤️`). */
const EMOJI = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F/u;

/** Marks drawn on the character before them, and invisible format characters (ZWJ, ZWSP, soft hyphen). */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]+$/u;

// Built on first use, not at import: the first Intl object of a process loads ICU's data.
const graphemes = once(() => new Intl.Segmenter('en', { granularity: 'grapheme' }));

function clusterWidth(cluster: string): number {
  if (ZERO_WIDTH.test(cluster)) return 0;
  if (EMOJI.test(cluster) || isWide(cluster.codePointAt(0) ?? 0)) return 2;
  return 1;
}

/**
 * The graphemes of `text`, each with its width in columns, segmented as they are taken: a clip
 * that stops after a few columns of a long name does not segment the rest of it.
 */
function* clusters(text: string): Generator<{ cluster: string; width: number }> {
  for (const { segment } of graphemes().segment(text)) {
    yield { cluster: segment, width: clusterWidth(segment) };
  }
}

/** Columns `text` takes in a fixed-width font. */
export function displayWidth(text: string): number {
  // Printable ASCII, and the Latin, Greek and Cyrillic letters of European names, are one column a
  // character and one grapheme each: most text, counted without segmenting.
  if (ONE_COLUMN_EACH.test(text)) return text.length;
  return segmentedWidth(text);
}

/**
 * Characters each one column wide that no neighbour joins into a grapheme: printable ASCII, then
 * U+00A0-U+02FF (Latin-1 to the spacing modifiers) without the soft hyphen (U+00AD, no width), Greek
 * and Coptic, and Cyrillic without its combining marks (U+0483-U+0489). The combining diacritics
 * (U+0300-U+036F) are left out, so `Zoe\u0301` is segmented.
 */
const ONE_COLUMN_EACH = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u0370-\u0482\u048a-\u04ff]*$/;

/** Runs of characters outside {@link ONE_COLUMN_EACH}, which only segmenting sizes. */
const SEGMENTED_RUN = /[^\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u0370-\u0482\u048a-\u04ff]+/g;

/**
 * Columns of `text` summed over its graphemes, segmenting only what needs it: each run outside
 * the one-column set, with the character each side of it. A mark, a joiner or a variation
 * selector after a letter is one grapheme with it (`Zoe\u0301`), a prepended character with the
 * letter after it, and `©` ZWJ `©` is one; those neighbours are in the one-column set, and no rule
 * of UAX #29 joins two of them, so the text between two such windows is one column a character. A
 * window whose neighbour is shared with the next (one character between two runs) runs on to it.
 * A note of mostly ASCII words was segmented whole for one accent (review R-WIDTH).
 */
function segmentedWidth(text: string): number {
  let width = 0;
  let segmented = 0;
  let from = -1;
  let to = -1;
  for (const run of text.matchAll(SEGMENTED_RUN)) {
    const start = Math.max(0, run.index - 1);
    if (start >= to) {
      if (to > from) width += windowWidth(text.slice(from, to));
      segmented += to - from;
      from = start;
    }
    to = Math.min(text.length, run.index + run[0].length + 1);
  }
  if (to > from) width += windowWidth(text.slice(from, to));
  segmented += to - from;
  return width + text.length - segmented;
}

/** Columns of `text` summed over all its graphemes. */
function windowWidth(text: string): number {
  let width = 0;
  for (const c of clusters(text)) width += c.width;
  return width;
}

/** Code points in `text` (an astral character, two UTF-16 units, counts once). */
const codePoints = (text: string): number =>
  text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);

/**
 * Shortens text to at most `max` columns with an ellipsis (one column), cutting between
 * graphemes, so an accent stays on its letter and a wide character is never halved; and to at
 * most `maxCodePoints` code points (default twice `max`), as columns alone do not bound it: a
 * zero-width character or a combining mark takes none, so 40,000 of them on one letter were one
 * column and 80 KB of a mail's line (review R-REPORT L1).
 */
export function clipToWidth(text: string, max: number, maxCodePoints = 2 * max): string {
  if (codePoints(text) <= maxCodePoints && displayWidth(text) <= max) return text;
  let kept = '';
  let width = 0;
  let points = 0;
  for (const c of clusters(text)) {
    const size = codePoints(c.cluster);
    if (width + c.width > max - 1 || points + size > maxCodePoints - 1) break;
    kept += c.cluster;
    width += c.width;
    points += size;
  }
  // As the HTML's clip: no space left before the ellipsis.
  return `${kept.trimEnd()}…`;
}

/** Letters of the scripts written right to left: Hebrew, Arabic, Syriac, Thaana, N'Ko and the rest. */
const RIGHT_TO_LEFT =
  /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}]/u;

/**
 * `text` for a column that other columns follow on its line: with right-to-left letters in it,
 * between two left-to-right marks (U+200E, no width, no glyph). Without them a bidi-aware view (a
 * mail client's plain text, a browser, some terminals) runs the padding and the figures after a
 * Hebrew name into the name's right-to-left run, and the figures move left of it; the mark before
 * it keeps a view that takes a line's direction from its first letter from reading the line as
 * right to left. The Domo string itself had its own bidi controls removed ({@link visibleText}).
 */
export const inColumn = (text: string): string => (RIGHT_TO_LEFT.test(text) ? `\u200e${text}\u200e` : text);

/** The mark {@link endingLeftToRight} puts after a right-to-left name: U+200E. */
export const LEFT_TO_RIGHT_MARK = '\u200e';

/**
 * `text` to be followed on its line by a neutral suffix such as an id in brackets: with right-to-left
 * letters in it, a left-to-right mark (U+200E) after it. Without it a bidi-aware view read the
 * ` (12)` after a Hebrew name as part of the name's right-to-left run and showed `(12) ` before it,
 * its brackets turned round.
 */
export const endingLeftToRight = (text: string): string =>
  RIGHT_TO_LEFT.test(text) ? `${text}${LEFT_TO_RIGHT_MARK}` : text;

/** `text` followed by spaces up to `width` columns. */
export const padEndToWidth = (text: string, width: number): string =>
  text + ' '.repeat(Math.max(0, width - displayWidth(text)));

/** `text` preceded by spaces up to `width` columns. */
export const padStartToWidth = (text: string, width: number): string =>
  ' '.repeat(Math.max(0, width - displayWidth(text))) + text;

/** `word` in pieces of at most `width` columns, cut between graphemes (a piece holds at least one). */
function breakWord(word: string, width: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  let pieceWidth = 0;
  for (const c of clusters(word)) {
    if (piece !== '' && pieceWidth + c.width > width) {
      pieces.push(piece);
      piece = '';
      pieceWidth = 0;
    }
    piece += c.cluster;
    pieceWidth += c.width;
  }
  return piece === '' ? pieces : [...pieces, piece];
}

/**
 * Text of one line as lines of at most `width` columns, broken between words, so a reader never
 * meets a word cut in two as a terminal's own wrap leaves it; a word longer than a line is cut
 * between graphemes. Runs of spaces become one. Always at least one line (empty for no text).
 */
export function wrapToWidth(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  for (const word of text.split(' ')) {
    if (word === '') continue;
    const joined = line === '' ? word : `${line} ${word}`;
    const joinedWidth = line === '' ? displayWidth(word) : widthJoined(line, lineWidth, word);
    if (joinedWidth <= width) {
      line = joined;
      lineWidth = joinedWidth;
      continue;
    }
    if (line !== '') lines.push(line);
    const pieces = breakWord(word, width);
    lines.push(...pieces.slice(0, -1));
    line = pieces.at(-1) ?? '';
    lineWidth = displayWidth(line);
  }
  return line === '' && lines.length > 0 ? lines : [...lines, line];
}

/**
 * The width of `line`, a space and `word`, from the width `line` has. When the space stands as a
 * grapheme of its own (no prepended character before it, no mark or joiner after it), no rule of
 * UAX #29 looks across it, so the sum is exact, and a line of words is not segmented again for
 * each word it takes (a long line of non-ASCII text was segmented once per word). Else counted
 * whole: a word that begins with a spacing mark is one grapheme with the space before it.
 */
export function widthJoined(line: string, lineWidth: number, word: string): number {
  return spaceStandsAlone(line, word) ? lineWidth + 1 + displayWidth(word) : displayWidth(`${line} ${word}`);
}

/** Whether a space between `line` and `word` is a grapheme of its own, from the characters beside it. */
function spaceStandsAlone(line: string, word: string): boolean {
  const before = line.charCodeAt(line.length - 1);
  const after = word.charCodeAt(0);
  if (before >= 0x20 && before <= 0x7e && after > 0x20 && after <= 0x7e) return true;
  // Two UTF-16 units each side hold the code point beside the space, astral or not.
  const near = `${line.slice(-2)} ${word.slice(0, 2)}`;
  const at = line.slice(-2).length;
  for (const { segment, index } of graphemes().segment(near)) {
    if (index <= at && index + segment.length > at) return segment === ' ';
  }
  return false;
}
