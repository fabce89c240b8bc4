import { describe, expect, it } from 'vitest';
import { clip } from '../../../functions/core/mail/clip.ts';
import { rowName } from '../../../functions/core/report/row-names.ts';

describe('names clipped by characters', () => {
  it('leaves a name of astral characters that fits alone, without a false ellipsis', () => {
    const smileys = '🙂'.repeat(25); // 25 characters, 50 UTF-16 units
    expect(clip(smileys, 40)).toBe(smileys);
    expect(clip('𠀀'.repeat(30), 40)).toBe('𠀀'.repeat(30));
    expect(rowName(smileys, '12345', 'user', 48)).toBe(smileys);
  });

  it('still cuts one that does not fit, by code point, never mid-character', () => {
    expect(clip('🙂'.repeat(41), 40)).toBe(`${'🙂'.repeat(39)}…`);
    expect(rowName('🙂'.repeat(49), '12345', 'user', 48)).toBe(`${'🙂'.repeat(39)}… (12345)`);
  });
});
