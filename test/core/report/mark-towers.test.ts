/**
 * Names are cut by columns in the text part, and a combining mark or a zero-width character takes
 * none: 25 failed-login names of one letter and 40,000 marks made a 1.5 MB text part with lines of
 * 80,000 characters, and in the HTML the 48-character cut still stacked 46 marks on a letter,
 * drawn over the row above (review R-REPORT L1). Both parts now keep three marks or invisible
 * characters in a row, and the text part cuts by code points beside columns.
 */
import { describe, expect, it } from 'vitest';
import { clipToWidth } from '../../../functions/core/display-width.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type { FailedLoginUser } from '../../../functions/core/report/report-model.ts';
import { fewMarks } from '../../../functions/core/visible-text.ts';
import { sampleModel } from './model-fixture.ts';

const tower = (base: string, mark: string, n: number) => base + mark.repeat(n);
const fillers = ['\u0301', '\u200b', '\u200d', '\ufe0f', '\u00ad', '\u034f', '\u{e0041}'];

const failed = (name: string, i: number): FailedLoginUser => ({
  userId: null,
  userName: `${name} ${i}`,
  failedAttempts: 3,
  lockouts: 0,
  distinctIps: 1,
  firstFailure: '2026-11-18 10:00:00.000',
  lastFailure: '2026-11-18 10:05:00.000',
  lastLockout: null,
});

const model = () =>
  sampleModel({
    failedLogins: Array.from({ length: 25 }, (_, i) =>
      failed(tower('Z', fillers[i % fillers.length] ?? '', 40_000), i),
    ),
  });

const longestLine = (text: string) =>
  text.split('\n').reduce((most, l) => Math.max(most, Buffer.byteLength(l)), 0);

describe('names made of mark towers and invisible characters', () => {
  it('keep the text part small, its lines short', () => {
    const text = renderText(model());
    expect(Buffer.byteLength(text)).toBeLessThan(30_000);
    expect(longestLine(text)).toBeLessThan(998);
  });

  it('stack at most eight marks on a letter in the HTML', () => {
    const html = renderHtml(model(), 'subject');
    expect(html).not.toMatch(/[\p{M}\p{Cf}]{9}/u);
    expect(html).toContain(`Z${'\u0301'.repeat(8)} 0`);
  });

  it('keep what scripts and emoji need', () => {
    for (const name of [
      'Zoe\u0301',
      'Ti\u1ebfng Vi\u1ec7t',
      'Vie\u0302\u0323t',
      '\u{1f468}\u200d\u{1f469}\u200d\u{1f467}',
      '1\ufe0f\u20e3',
      '\u0928\u092e\u0938\u094d\u0924\u0947',
      // Burmese names (Kyaw, Myo) with four marks after a letter, and England's flag (a black flag
      // and seven tags), which a bound of three cut (review R-REPORT2 L2).
      '\u1000\u103b\u1031\u102c\u103a',
      '\u1019\u103b\u102d\u102f\u1038',
      '\u{1f3f4}\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}',
    ]) {
      expect(fewMarks(name)).toBe(name);
    }
    expect(fewMarks(tower('a', '\u0301', 20))).toBe(tower('a', '\u0301', 8));
  });

  it('the text cut counts code points beside columns', () => {
    expect(clipToWidth(`a${'\u200b'.repeat(500)}b`, 32)).toBe(`a${'\u200b'.repeat(62)}…`);
    expect(clipToWidth('Konstantinopoulou', 32)).toBe('Konstantinopoulou');
  });
});
