import { describe, expect, it } from 'vitest';
import { encodeAddress, encodeHeaderText } from '../../functions/adapters/mime-message.ts';

/** The texts of a header value's encoded words, in order. */
const wordsOf = (header: string): string[] =>
  [...header.matchAll(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=/g)].map((m) =>
    Buffer.from(m[1] ?? '', 'base64').toString('utf8'),
  );

const graphemeCount = (text: string) =>
  [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].length;

describe('encoded words of a header break where a reader cannot tear a name apart', () => {
  it('after a space, so a reader that shows a gap between words still shows each word whole', () => {
    const name = 'Équipe Sécurité Très Étendue Département Opérations Générales';
    const header = encodeAddress(`${name} <secops@example.com>`, 4);
    const words = wordsOf(header);
    expect(words.length).toBeGreaterThan(1);
    expect(words.join('')).toBe(name);
    // Every word but the last ends where a word of the name ends.
    for (const word of words.slice(0, -1)) expect(word.endsWith(' ')).toBe(true);
  });

  it('never inside a grapheme: an emoji family or a letter and its accents stays in one word', () => {
    const text = `Alerts ${'👨‍👩‍👧‍👦'.repeat(12)} e\u0301\u0301${'é'.repeat(30)}`;
    const words = wordsOf(encodeHeaderText(text, 9));
    expect(words.join('')).toBe(text);
    // Cut inside a grapheme, the words would count more graphemes than the text.
    expect(words.reduce((sum, word) => sum + graphemeCount(word), 0)).toBe(graphemeCount(text));
  });

  it('cuts a grapheme longer than a word can hold by code points, keeping every line within 76', () => {
    const huge = `a${'\u0301'.repeat(40)}`;
    const header = encodeHeaderText(huge, 9);
    expect(wordsOf(header).join('')).toBe(huge);
    expect(`Subject: ${header}`.split('\r\n').every((line) => line.length <= 76)).toBe(true);
  });
});
