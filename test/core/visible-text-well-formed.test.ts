import { expect, it } from 'vitest';
import { visibleText, wellFormed } from '../../functions/core/visible-text.ts';

it('replaces lone surrogates with U+FFFD and keeps whole characters', () => {
  expect(wellFormed('adm\ud83din')).toBe('adm\ufffdin');
  expect(wellFormed('end\udc00')).toBe('end\ufffd');
  // A low surrogate before a high one is two halves, not a character.
  expect(wellFormed('\ude00\ud83d')).toBe('\ufffd\ufffd');
  expect(wellFormed('a😀b é')).toBe('a😀b é');
});

it('makes what every channel renders well-formed', () => {
  expect(visibleText('adm\ud83din\u202e')).toBe('adm\ufffdin');
});
