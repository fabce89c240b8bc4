import { afterEach, describe, expect, it, vi } from 'vitest';
import { displayWidth } from '../../functions/core/display-width.ts';
import { wrapNote } from '../../functions/core/wrap-note.ts';

describe('wrapNote', () => {
  it('wraps between words, the rest under the text after its label, as one note', () => {
    expect(wrapNote('main: 3 hour(s) of the last 7 days are not covered: run verify', 25)).toEqual([
      'main: 3 hour(s) of the',
      '      last 7 days are not',
      '      covered: run verify',
    ]);
    // Indented lines keep their indentation, and a list item hangs under its own text.
    expect(wrapNote('  - the hours in flight are dropped', 20)).toEqual([
      '  - the hours in',
      '    flight are',
      '    dropped',
    ]);
  });

  it('is whole when it fits, and always on a pipe', () => {
    expect(wrapNote('main: fits', 10)).toEqual(['main: fits']);
    const long = `main: ${'word '.repeat(60).trim()}`;
    expect(wrapNote(long)).toEqual([long]);
  });

  it('keeps a word wider than a line whole, on a line of its own', () => {
    const path = 's3://a-bucket/a/long/prefix/of/the/lake/checkpoint.json';
    expect(wrapNote(`main: cannot read ${path} here: see docs`, 30)).toEqual([
      'main: cannot read',
      `      ${path}`,
      '      here: see docs',
    ]);
  });

  it('counts wide characters by the columns they take', () => {
    // Each ideograph takes two columns: 22 in all, 13 by .length, which would fit the 20.
    expect(wrapNote('東京: 一二三四 五六 七', 20)).toEqual(['東京: 一二三四 五六', '      七']);
  });

  it('indents by two columns under a label too long to hang under', () => {
    expect(wrapNote('a-very-long-instance-name: is late by hours', 30)).toEqual([
      'a-very-long-instance-name: is',
      '  late by hours',
    ]);
  });

  it('starts the text after a line break inside the note at the same indent', () => {
    expect(wrapNote('main: last run failed: Domo said 503\nretry later', 40)).toEqual([
      'main: last run failed: Domo said 503',
      '      retry later',
    ]);
    // Short enough for one line, the break still keeps the indent; piped, the note is as it was.
    expect(wrapNote('main: failed\nat 10:00', 80)).toEqual(['main: failed', '      at 10:00']);
    expect(wrapNote('main: failed\nat 10:00')).toEqual(['main: failed\nat 10:00']);
  });

  it('keeps the text after a blank line inside the note, under the same hanging indent', () => {
    expect(wrapNote('main: the ingest failed\n\nsee the log for the hour', 30)).toEqual([
      'main: the ingest failed',
      '      see the log for the hour',
    ]);
  });

  it('indents a note without a label by two columns, not under its second word', () => {
    // The first word of a sentence is no label: hanging under the next one reads as a misaligned table.
    expect(wrapNote('geo database over 90 days old: bump its packages (README, "Geo data")', 40)).toEqual([
      'geo database over 90 days old: bump its',
      '  packages (README, "Geo data")',
    ]);
    expect(wrapNote('  dbip-country 2.3.2026092203 + asn 2.3.2026092203', 40)).toEqual([
      '  dbip-country 2.3.2026092203 + asn',
      '    2.3.2026092203',
    ]);
  });

  it('continues a note without a label at its own indentation with indent 0, as a paragraph', () => {
    const sentence = 'Security alerts judge each hour against the 30 days before that hour';
    expect(wrapNote(sentence, 30, { indent: 0 })).toEqual([
      'Security alerts judge each',
      'hour against the 30 days',
      'before that hour',
    ]);
    expect(wrapNote(`    ${sentence}`, 34, { indent: 0 })).toEqual([
      '    Security alerts judge each',
      '    hour against the 30 days',
      '    before that hour',
    ]);
    // A label still hangs the rest under its text.
    expect(wrapNote(`NOTE: ${sentence}`, 30, { indent: 0 })).toEqual([
      'NOTE: Security alerts judge',
      '      each hour against the 30',
      '      days before that hour',
    ]);
  });
});

/** The wrap before it kept a line's width: each line measured whole again for every word it took. */
function wrappedWhole(note: string, maxWidth: number, indent = 2): string[] {
  if (!note.includes('\n') && displayWidth(note) <= maxWidth) return [note];
  const wordsOf = (text: string) => text.split(' ').filter((word) => word !== '');
  const lead = /^ */.exec(note)?.[0] ?? '';
  const [opening = '', ...more] = note.slice(lead.length).split('\n');
  const [first = '', ...words] = wordsOf(opening);
  const hanging = displayWidth(lead + first) + 1;
  const isLabel = first.endsWith(':') || first === '-' || first === '*';
  const rest = ' '.repeat(isLabel && hanging <= maxWidth / 3 ? hanging : lead.length + indent);
  const lines: string[] = [];
  let line = lead + first;
  const add = (word: string) => {
    const joined = `${line} ${word}`;
    if (displayWidth(joined) <= maxWidth) {
      line = joined;
      return;
    }
    lines.push(line);
    line = rest + word;
  };
  for (const word of words) add(word);
  for (const paragraph of more) {
    const [start, ...others] = wordsOf(paragraph);
    if (start === undefined) continue;
    lines.push(line);
    line = rest + start;
    for (const word of others) add(word);
  }
  return [...lines, line];
}

describe('wrapNote against each line measured whole', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('wraps as measuring each line whole does, whatever graphemes meet at a space', () => {
    // Marks, a prepended character (U+0600), joiners, emoji, wide characters and Hangul jamo
    // beside words, labels, line breaks and runs of spaces: a word that begins with a spacing
    // mark is one grapheme with the space before it.
    const parts = ['ab', 'Zo', 'é', '\u0301', '\u093e', '\u0600', '\u200d', '🇩🇪', '山', '\u1100', '\u1161'];
    const seps = [' ', ' ', ' ', '  ', '\n', ': ', '- '];
    let state = 5;
    const next = () => {
      state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
      return state >>> 8;
    };
    for (let i = 0; i < 2_000; i++) {
      let note = next() % 4 === 0 ? '  ' : '';
      for (let w = 0; w < 1 + (next() % 16); w++) {
        note += Array.from({ length: 1 + (next() % 3) }, () => parts[next() % parts.length]).join('');
        note += seps[next() % seps.length];
      }
      const width = 4 + (next() % 20);
      const indent = next() % 3;
      expect(wrapNote(note, width, { indent }), JSON.stringify([note, width])).toEqual(
        wrappedWhole(note, width, indent),
      );
    }
  });

  it('measures each word once, not the line again for every word it takes', () => {
    // Wide words, a space between each: one run to segment, from the first to the last.
    const note = Array.from({ length: 200 }, () => '東京').join(' ');
    const expected = wrappedWhole(note, 80);
    const measured: number[] = [];
    const segment = Intl.Segmenter.prototype.segment;
    vi.spyOn(Intl.Segmenter.prototype, 'segment').mockImplementation(function (
      this: Intl.Segmenter,
      input: string,
    ) {
      measured.push(input.length);
      return segment.call(this, input);
    });
    expect(wrapNote(note, 80)).toEqual(expected);
    // Each word and the few characters about the space before it; the line measured whole for
    // each word, 8 lines of up to 26 words (~6,000 characters with the note's own measure).
    expect(measured.reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(note.length + 200 * 8);
  });
});
