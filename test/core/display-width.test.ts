import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  clipToWidth,
  displayWidth,
  padEndToWidth,
  padStartToWidth,
  wrapToWidth,
} from '../../functions/core/display-width.ts';

describe('displayWidth: columns of a fixed-width font', () => {
  it('counts ASCII and Latin text one column a character', () => {
    expect(displayWidth('')).toBe(0);
    expect(displayWidth('Ada Lovelace')).toBe(12);
    expect(displayWidth('Zoë Müller')).toBe(10);
    expect(displayWidth('Ελένη Иван')).toBe(10);
    // Halfwidth katakana is narrow.
    expect(displayWidth('ｶﾀｶﾅ')).toBe(4);
  });

  it('counts Latin, Greek and Cyrillic letters one column each, without segmenting them', () => {
    // Every character of the ranges counted by length is a grapheme of its own beside any other
    // of them, and one column as a grapheme would count it (no mark, format character or emoji).
    const ranges = [
      [0x20, 0x7e],
      [0xa0, 0xac],
      [0xae, 0x2ff],
      [0x370, 0x482],
      [0x48a, 0x4ff],
    ];
    const chars = ranges.flatMap(([from = 0, to = 0]) =>
      Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i)),
    );
    const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
    for (const [i, c] of chars.entries()) {
      expect(/[\p{Mn}\p{Me}\p{Cf}\p{Emoji_Presentation}]/u.test(c), c).toBe(false);
      const pair = `${c}${chars[(i * 7919) % chars.length]}${c}`;
      expect([...segmenter.segment(pair)].length, pair).toBe(3);
    }
    const segment = vi.spyOn(Intl.Segmenter.prototype, 'segment');
    try {
      expect(displayWidth('Ærøskøbing Ελένη Иванова ©')).toBe(26);
      expect(segment).not.toHaveBeenCalled();
    } finally {
      segment.mockRestore();
    }
    // A soft hyphen has no width; a Cyrillic combining mark joins its letter.
    expect(displayWidth('co\u00adop')).toBe(4);
    expect(displayWidth('\u0430\u0483')).toBe(1);
  });

  it('counts East Asian wide and fullwidth characters two columns', () => {
    expect(displayWidth('山田太郎')).toBe(8);
    expect(displayWidth('さとう')).toBe(6);
    expect(displayWidth('김민준')).toBe(6);
    expect(displayWidth('ＡＢＣ')).toBe(6);
    expect(displayWidth('山田 Taro')).toBe(9);
    // Outside the Basic Multilingual Plane too (CJK Extension B).
    expect(displayWidth('𠮷野家')).toBe(6);
  });

  it('counts combining marks and invisible format characters as nothing', () => {
    expect(displayWidth('Zoe\u0301')).toBe(3);
    expect(displayWidth('n\u0303o\u0308')).toBe(2);
    expect(displayWidth('a\u200bb')).toBe(2);
    expect(displayWidth('\u0301')).toBe(0);
  });

  it('counts an emoji two columns, joined sequences and flags as one emoji', () => {
    expect(displayWidth('😀')).toBe(2);
    expect(displayWidth('👍🏽')).toBe(2);
    expect(displayWidth('👨‍👩‍👧')).toBe(2);
    expect(displayWidth('🇯🇵')).toBe(2);
    expect(displayWidth('❤️')).toBe(2);
    expect(displayWidth('Ann 🚀')).toBe(6);
    // Without VS16 the heart is text, one column.
    expect(displayWidth('❤')).toBe(1);
  });
});

/**
 * Pseudo-random non-negative integers from `seed`, every residue as likely (Mulberry32): an LCG
 * in doubles loses its low bits past 2 ** 53, and `% n` of them picked few of the parts.
 */
function randomInts(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** The width before runs were segmented apart: every grapheme of the whole text, as it was counted. */
function widthWhole(text: string): number {
  const wide = [
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
  let width = 0;
  for (const { segment } of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)) {
    const first = segment.codePointAt(0) ?? 0;
    if (/^[\p{Mn}\p{Me}\p{Cf}]+$/u.test(segment)) continue;
    const isWide = wide.some(([from = 0, to = 0]) => first >= from && first <= to);
    width += /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F/u.test(segment) || isWide ? 2 : 1;
  }
  return width;
}

describe('displayWidth against the whole text segmented', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('counts graphemes that straddle a one-column character and the rest as one', () => {
    const cases: [string, number][] = [
      ['Zoe\u0301 Smith', 9],
      // A keycap (a digit, VS16, an enclosing mark): one column, its first character no emoji.
      ['#1\ufe0f\u20e3!', 3],
      // `©` with VS16 is an emoji; joined to another by ZWJ, one grapheme.
      ['a©\ufe0fb', 4],
      ['a©\u200d©b', 3],
      // A prepended character joins the letter after it; a spacing mark the letter before.
      ['\u0600a\u0301b', 2],
      ['x\u0903y', 2],
      ['e\u0301\u0301e\u0301', 2],
    ];
    for (const [text, width] of cases) {
      expect(widthWhole(text), JSON.stringify(text)).toBe(width);
      expect(displayWidth(text), JSON.stringify(text)).toBe(width);
    }
  });

  it('counts any mix as the whole text segmented does', () => {
    // One-column characters beside marks, joiners, selectors, prepended characters, emoji ZWJ
    // sequences, flags and lone regional indicators, wide and ambiguous characters, Hangul jamo,
    // controls and tabs, CR LF, lone surrogates: concatenated with no space, so they meet at
    // every boundary.
    const parts = [
      'a',
      'Zo',
      ' ',
      'é',
      '©',
      '®',
      '1',
      '\u0301',
      '\u20e3',
      '\u0483',
      '\u093e',
      '\u0903',
      '\u0600',
      '\u0d4e',
      '\u200d',
      '\ufe0f',
      '\ufe0e',
      '\u00ad',
      '\u200e',
      '👨\u200d👩\u200d👧',
      '🇩🇪',
      '\u{1f1ef}',
      '👍🏽',
      '❤',
      '山田',
      '…',
      '①',
      'Ω',
      '\u1100',
      '\u1161',
      '\u11a8',
      '\t',
      '\r',
      '\n',
      '\x00',
      '\x7f',
      '\ud800',
      '\udc00',
      'ｶ',
      '—',
    ];
    const next = randomInts(11);
    for (let i = 0; i < 5_000; i++) {
      const text = Array.from({ length: 1 + (next() % 16) }, () => parts[next() % parts.length]).join('');
      expect(displayWidth(text), JSON.stringify(text)).toBe(widthWhole(text));
    }
  });

  it('segments the runs outside the one-column set with their neighbours, not the whole text', () => {
    const note = `${'the hour was written '.repeat(20)}at 東京 by Zoe\u0301 ${'and verified '.repeat(20)}`;
    const width = widthWhole(note);
    const segmented: string[] = [];
    const segment = Intl.Segmenter.prototype.segment;
    vi.spyOn(Intl.Segmenter.prototype, 'segment').mockImplementation(function (
      this: Intl.Segmenter,
      input: string,
    ) {
      segmented.push(input);
      return segment.call(this, input);
    });
    expect(displayWidth(note)).toBe(width);
    // ` 東京 ` and `e\u0301 `; counted whole, the note's 690 characters.
    expect(segmented).toEqual([' 東京 ', 'e\u0301 ']);
  });
});

describe('clipToWidth', () => {
  it('leaves text that fits, and cuts the rest to the width with an ellipsis', () => {
    expect(clipToWidth('Ada', 3)).toBe('Ada');
    // A cut after a space drops it: no gap before the ellipsis.
    expect(clipToWidth('Ada Lovelace', 5)).toBe('Ada…');
    expect(clipToWidth('山田太郎', 8)).toBe('山田太郎');
    expect(clipToWidth('山田太郎', 7)).toBe('山田太…');
    // A wide character that would cross the width is left out whole, never halved.
    expect(clipToWidth('山田太郎', 6)).toBe('山田…');
    expect(displayWidth(clipToWidth('山田太郎', 6))).toBe(5);
  });

  it('keeps an accent on its letter and an emoji whole', () => {
    expect(clipToWidth('Zoe\u0301 Smith', 4)).toBe('Zoe\u0301…');
    expect(clipToWidth('👨‍👩‍👧 family', 4)).toBe('👨‍👩‍👧…');
  });
});

describe('padding to a width', () => {
  it('pads by columns, not UTF-16 units', () => {
    expect(padEndToWidth('山田', 6)).toBe('山田  ');
    expect(padStartToWidth('Zoe\u0301', 5)).toBe('  Zoe\u0301');
    expect(padEndToWidth('too long', 3)).toBe('too long');
  });
});

/** The wrap before it counted each line whole: the rule the faster count must keep, exactly. */
function wrappedWhole(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (word === '') continue;
    const joined = line === '' ? word : `${line} ${word}`;
    if (displayWidth(joined) <= width) {
      line = joined;
      continue;
    }
    if (line !== '') lines.push(line);
    const pieces = wrapToWidth(word, width);
    lines.push(...pieces.slice(0, -1));
    line = pieces.at(-1) ?? '';
  }
  return line === '' && lines.length > 0 ? lines : [...lines, line];
}

describe('wrapToWidth', () => {
  it('breaks between words, each line within the width', () => {
    const text = 'login at 03:08 UTC; 0 of 29 logins in the previous 30 days were within 2 hours';
    const lines = wrapToWidth(text, 20);
    expect(lines).toEqual([
      'login at 03:08 UTC;',
      '0 of 29 logins in',
      'the previous 30 days',
      'were within 2 hours',
    ]);
    expect(lines.join(' ')).toBe(text);
    expect(wrapToWidth('fits as it is', 13)).toEqual(['fits as it is']);
  });

  it('cuts a word longer than a line between graphemes, a wide character never halved', () => {
    expect(wrapToWidth('at s3://bucket/a-long-prefix/x', 10)).toEqual([
      'at',
      's3://bucke',
      't/a-long-p',
      'refix/x',
    ]);
    // By columns: two wide characters fill four, the third goes on.
    expect(wrapToWidth('山田太郎 Taro', 5)).toEqual(['山田', '太郎', 'Taro']);
    expect(wrapToWidth('Zoe\u0301 Smith', 3)).toEqual(['Zoe\u0301', 'Smi', 'th']);
  });

  it('gives one empty line for no text, and joins runs of spaces', () => {
    expect(wrapToWidth('', 10)).toEqual(['']);
    expect(wrapToWidth('   ', 10)).toEqual(['']);
    expect(wrapToWidth('a   b', 10)).toEqual(['a b']);
  });

  it('wraps as counting each line whole does, whatever graphemes meet at a space', () => {
    // Spacing and combining marks, a prepended character (U+0600), joiners, flags, emoji, wide
    // characters and Hangul jamo beside ASCII: a word that begins with a spacing mark is one
    // grapheme with the space before it, one column where the parts count two.
    const parts = [
      'a',
      'Zo',
      'é',
      '\u0301',
      '\u093e',
      '\u0600',
      '\u200d',
      '🇩🇪',
      '👍🏽',
      '山',
      '\u1100',
      '\u1161',
      ' ',
      ' ',
      ' ',
      '.',
    ];
    const next = randomInts(7);
    for (let i = 0; i < 2_000; i++) {
      const text = Array.from({ length: 1 + (next() % 24) }, () => parts[next() % parts.length]).join('');
      const width = 1 + (next() % 9);
      expect(wrapToWidth(text, width), JSON.stringify([text, width])).toEqual(wrappedWhole(text, width));
    }
    expect(wrapToWidth('ab \u093ecd', 5)).toEqual(['ab \u093ecd']);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('segments each word once, not the line again for every word it takes', () => {
    const segmented: number[] = [];
    const segment = Intl.Segmenter.prototype.segment;
    vi.spyOn(Intl.Segmenter.prototype, 'segment').mockImplementation(function (
      this: Intl.Segmenter,
      input: string,
    ) {
      segmented.push(input.length);
      return segment.call(this, input);
    });
    const words = Array.from({ length: 200 }, () => 'Zoë');
    expect(wrapToWidth(words.join(' '), 10_000)).toEqual([words.join(' ')]);
    // Each word's three characters and the few around each space; counted whole, the 200 lines
    // it grew through (~80,000).
    expect(segmented.reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(200 * 10);
  });
});
