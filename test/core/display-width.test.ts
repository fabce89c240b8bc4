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
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
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
