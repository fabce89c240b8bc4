import { describe, expect, it } from 'vitest';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import type { WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { describeWeekStatus } from '../../../functions/core/report/week-notes.ts';
import { textWords } from '../../support/text-part.ts';
import { fullHealth, sampleModel } from './model-fixture.ts';

const week = reportWeek('2026-W47', 'UTC');
const NOTE_START = 'No event of 2026-W47 is a login, although 40 users were active:';

const notes = (logins: number | undefined, activeUsers: number, events = 1234, withoutActionType?: number) =>
  describeWeekStatus({
    run: runOfWeek(week, week.endMs + 3_600_000),
    status: 'complete',
    health: fullHealth({
      events,
      ...(logins === undefined ? {} : { logins }),
      ...(withoutActionType === undefined ? {} : { eventsWithoutActionType: withoutActionType }),
    }),
    previousHealth: fullHealth(),
    activeUsers,
  });

/** A week in which category rules matched no sign-in: events and active users, no login. */
const noLogins = (overrides: Partial<WeeklyReportModel> = {}): WeeklyReportModel => {
  const model = sampleModel({ suspiciousLogins: [], health: fullHealth({ logins: 0 }), ...overrides });
  return { ...model, notes: notes(0, model.totals.activeUsers.current) };
};

describe('a week with active users and not one login', () => {
  it('is flagged at the top as likely category rules that miss the sign-ins, with where to fix them', () => {
    const [note] = notes(0, 40);
    expect(note).toMatch(new RegExp(`^${NOTE_START}`));
    expect(note).toContain("the ingest's category rules do not match this instance's sign-in actions");
    expect(note).toContain('docs/ingest.md ("Categories")');
    expect(notes(0, 1)[0]).toMatch(/^No event of 2026-W47 is a login, although 1 user was active: /);
  });

  it('blames the missing action type, not the rules, when most events came without one', () => {
    const [note] = notes(0, 40, 1234, 1234);
    expect(note).toMatch(new RegExp(`^${NOTE_START}`));
    expect(note).toContain('1,234 of its 1,234 events came from Domo without an action type (actionType)');
    expect(note).toContain('zero more likely for that reason than for the rules');
    // Rules that read the event text alone still ran: the note says what they had (review F-SECOND3 L4).
    expect(note).toContain('without it the rules had only the event text and object type to go on');
    expect(note).not.toContain('no event could be one');
    expect(note).toContain('docs/ingest.md ("Fields an hour\'s entries lack")');
    expect(note).not.toContain('do not match');
    expect(note).not.toContain('("Categories")');
    // More than half, the ingest's share for a field Domo stopped sending.
    expect(notes(0, 40, 1234, 618)[0]).toContain(
      '618 of its 1,234 events came from Domo without an action type',
    );
  });

  it('blames the rules when the events carry their action types', () => {
    for (const without of [0, 617, undefined]) {
      const [note] = notes(0, 40, 1234, without);
      expect(note).toContain("the ingest's category rules do not match this instance's sign-in actions");
      expect(note).not.toContain('without an action type');
    }
  });

  it('is not flagged with a login, without active users, without events, or in a model from before logins were counted', () => {
    expect(notes(1, 40)).toEqual([]);
    expect(notes(0, 0)).toEqual([]);
    expect(notes(0, 40, 0)).toEqual([]);
    expect(notes(undefined, 40)).toEqual([]);
  });

  it('says in the suspicious logins why none was found, never a bare "none this week"', () => {
    const model = noLogins();
    const active = model.totals.activeUsers.current;
    expect(active).toBeGreaterThan(0);
    const text = textWords(renderText(model));
    expect(text).toContain(
      'No suspicious logins found, but no event of the week is a login, so there was nothing to judge (see the note at the top).',
    );
    expect(text).not.toContain('No suspicious logins this week.');
    const html = renderHtml(model, reportSubject(model));
    expect(html).toContain('No suspicious logins found, but no event of the week is a login');
    expect(html).toContain(`No event of 2026-W47 is a login, although ${active} users were active:`);
  });

  it('says so in the subject beside the count', () => {
    expect(reportSubject(noLogins())).toContain(': 0 suspicious logins (no login categorised), ');
    expect(reportSubject(sampleModel({ suspiciousLogins: [], health: fullHealth({ logins: 3 }) }))).toContain(
      ': 0 suspicious logins, ',
    );
  });
});

describe('the subject of a week most of whose users could not be judged', () => {
  const withHistory = (users: number, shortHistoryUsers: number) =>
    reportSubject(
      sampleModel({
        suspiciousLogins: [],
        loginHistory: { users, shortHistoryUsers, minHistoryLogins: 10, historyDays: 30 },
      }),
    );

  it('counts them beside the suspicious logins from half of the users up', () => {
    expect(withHistory(40, 40)).toContain(': 0 suspicious logins (40 of 40 users not judged), ');
    expect(withHistory(40, 20)).toContain(': 0 suspicious logins (20 of 40 users not judged), ');
  });

  it('leaves out the few new users of an ordinary week, and a week without sign-ins', () => {
    expect(withHistory(40, 19)).toContain(': 0 suspicious logins, ');
    expect(withHistory(0, 0)).toContain(': 0 suspicious logins, ');
  });

  it('names both reasons when logins were also not placed', () => {
    const subject = reportSubject(
      sampleModel({
        suspiciousLogins: [],
        health: fullHealth({ logins: 50, unplacedLogins: 49 }),
        loginHistory: { users: 40, shortHistoryUsers: 39, minHistoryLogins: 10, historyDays: 30 },
      }),
    );
    expect(subject).toContain(': 0 suspicious logins (49 logins not placed, 39 of 40 users not judged), ');
  });
});
