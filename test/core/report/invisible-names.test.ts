import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import { displayName } from '../../../functions/core/report/row-names.ts';
import { sampleModel } from './model-fixture.ts';

describe('a name nothing of which shows', () => {
  it('falls back to the id, or to unknown, as an empty name does', () => {
    for (const invisible of [
      '\u200b',
      '\u202e',
      '\ufeff',
      ' \u200d\u200c ',
      '\u2066\u2069',
      '\u3164',
      '\u00ad',
    ])
      expect(displayName(invisible, '202', 'user'), JSON.stringify(invisible)).toBe('user 202');
    expect(displayName('\u200b', '\u202e', 'card')).toBe('unknown card');
  });

  it('keeps a name that shows, joiners and all', () => {
    expect(displayName('Zoë\u200b', '1', 'user')).toBe('Zoë\u200b');
    expect(displayName('👩\u200d💻', '1', 'user')).toBe('👩\u200d💻');
    expect(displayName('\u202eAda', '1', 'user')).toBe('\u202eAda');
  });

  it('gets no blank row in either part of the mail', () => {
    const model = sampleModel();
    const failed = model.failedLogins[0];
    if (!failed) throw new Error('the fixture has a failed login');
    model.failedLogins = [
      { ...failed, userId: null, userName: '\u202e' }, // only a bidi override
      { ...failed, userId: '202', userName: '\u200b' }, // only a zero-width space
    ];
    const { html, text } = renderReport(model);
    expect(html).toContain('>unknown user<');
    expect(html).toContain('>user 202<');
    const rows = text.split('\n').filter((line) => /\b8\b.*\b1\b/.test(line) && /user/.test(line));
    expect(rows.map((row) => row.slice(0, 12).trim())).toEqual(['unknown user', 'user 202']);
  });
});
