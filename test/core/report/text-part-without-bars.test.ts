/**
 * The text part draws no bars (review R-A11Y): a bar of 30 `#` and `.` was 30 tokens to a screen
 * reader and a ragged smear in a proportional font, beside figures that say the same. Every list
 * keeps its figures, and a day not in the lake still says why.
 */
import { describe, expect, it } from 'vitest';
import { renderText } from '../../../functions/core/report/render-text.ts';
import { modelWithMissingDay, sampleModel } from './model-fixture.ts';

describe('the text part without bars', () => {
  it('has no run of # or . in any list, and keeps the figures of each row', () => {
    const text = renderText(sampleModel());
    expect(text).not.toMatch(/#{2,}|\.{3,}/);
    const lines = text.split('\n');
    expect(lines).toContain('Mon 16 Nov  2,500  35 users');
    expect(lines.some((line) => /^US \(United States\) +40 +20 users$/.test(line))).toBe(true);
  });

  it('says why a day has no figure right after its date', () => {
    const lines = renderText(modelWithMissingDay()).split('\n');
    expect(lines).toContain('Wed 18 Nov  not ingested');
    expect(lines).toContain('Sat 21 Nov      0   0 users');
  });
});
