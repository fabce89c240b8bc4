/**
 * A failed login Domo sends in a shape the ingest cannot read is quarantined, not stored: the
 * failed-logins section must not say a flat "none" then. Review R-SCHEMA saw 25 LOGIN_FAILED
 * entries quarantined beside 60 views (29%, under the status check's majority rule), and the
 * report said "No failed logins or lockouts this week." with the 25 only in its footer.
 */
import { describe, expect, it } from 'vitest';
import { esc } from '../../../functions/core/mail/html-escape.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { textWords } from '../../support/text-part.ts';
import { fullHealth, sampleModel } from './model-fixture.ts';

const HEDGE =
  'Not counted here: 25 entries of the week could not be read (quarantined); a failed login or lockout among them would be missing from this section. Their reasons: the quarantine table, or verify over 2026-11-16T00:00Z to 2026-11-23T00:00Z.';

const quarantinedWeek = (quarantined: number, failedLogins = sampleModel().failedLogins) =>
  sampleModel({ failedLogins, health: fullHealth({ quarantined }) });

describe('failed logins in a week with quarantined entries', () => {
  it('says entries could not be read instead of "none", in text and HTML', () => {
    const model = quarantinedWeek(25, []);
    const text = textWords(renderText(model));
    expect(text).toContain(`No failed logins or lockouts among the entries read. ${HEDGE}`);
    const html = renderHtml(model, reportSubject(model));
    expect(html).toContain(esc(`No failed logins or lockouts among the entries read. ${HEDGE}`));
    for (const part of [text, html]) expect(part).not.toContain('No failed logins or lockouts this week.');
  });

  it('puts the same sentence above the users when some failed logins were read', () => {
    const model = quarantinedWeek(25);
    const text = textWords(renderText(model));
    expect(text).toContain(HEDGE);
    expect(text.indexOf(HEDGE)).toBeGreaterThan(text.indexOf('FAILED LOGINS AND LOCKOUTS'));
    expect(text.indexOf(HEDGE)).toBeLessThan(text.indexOf('User Failed Lockouts'));
    expect(renderHtml(model, reportSubject(model))).toContain(esc(HEDGE));
  });

  it('says one entry in the singular', () => {
    expect(textWords(renderText(quarantinedWeek(1, [])))).toContain(
      'No failed logins or lockouts among the entries read. Not counted here: 1 entry of the week could not be read (quarantined)',
    );
  });

  it('says "none" plainly when nothing was quarantined', () => {
    const model = quarantinedWeek(0, []);
    for (const part of [renderText(model), renderHtml(model, reportSubject(model))]) {
      expect(part).toContain('No failed logins or lockouts this week.');
      expect(part).not.toContain('could not be read');
    }
  });
});

describe('the quarantine note in the HTML', () => {
  it('tells in the muted colour, not the colour of bad news, across the whole table', () => {
    const html = renderHtml(quarantinedWeek(25), reportSubject(quarantinedWeek(25)));
    const cell = html.slice(html.lastIndexOf('<td', html.indexOf(esc(HEDGE))), html.indexOf(esc(HEDGE)));
    expect(cell).toContain('colspan="5"');
    expect(cell).not.toContain('color:#b3261e'); // html-style.ts BAD
  });
});
