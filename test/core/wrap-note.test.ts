import { describe, expect, it } from 'vitest';
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
