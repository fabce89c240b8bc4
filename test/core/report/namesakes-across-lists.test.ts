/**
 * Namesakes got their ids within one list only: an impostor named `M\u0430ria Admin` (a Cyrillic
 * `а`) had a suspicious login that read as the most active user's, `Maria Admin`, and a failed
 * login under another `Maria Admin` too, three accounts and no id (review R-REPORT L2). A name the
 * other user lists of the mail show counts now.
 */
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type { WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { sampleModel } from './model-fixture.ts';

function impostors(): WeeklyReportModel {
  const base = sampleModel();
  const [top, ...rest] = base.topUsers;
  const [suspicious] = base.suspiciousLogins;
  const [failed] = base.failedLogins;
  if (!top || !suspicious || !failed) throw new Error('the fixture lists a user in each');
  return {
    ...base,
    topUsers: [{ ...top, userId: '1924080505', userName: 'Maria Admin' }, ...rest],
    suspiciousLogins: [{ ...suspicious, userId: '666', userName: 'M\u0430ria Admin' }],
    failedLogins: [{ ...failed, userId: '667', userName: 'Maria Admin' }],
  };
}

describe('namesakes across the user lists of the mail', () => {
  it('each list names the others’ namesakes by id, in both parts', () => {
    const model = impostors();
    for (const part of [renderText(model), renderHtml(model, 'subject')]) {
      expect(part).toContain('Maria Admin (1924080505)');
      expect(part).toContain('M\u0430ria Admin (666)');
      expect(part).toContain('Maria Admin (667)');
    }
  });

  it('a name no other list shows has its id too: every user has (review R-INVEST L1)', () => {
    const text = renderText(sampleModel());
    expect(text).toContain('Grace Hopper (103)');
  });
});
