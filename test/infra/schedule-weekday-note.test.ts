import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { defineActivityLakeApp } from '../../infra/activity-lake-app.ts';
import { noteNumberedWeekdays, SCHEDULE_NUMBERED_WEEKDAY } from '../../infra/schedule-weekday-note.ts';
import { configWith, DEPLOYABLE_CONFIG, newTestApp, TEST_NOW } from './synth-helpers.ts';
import { uncheckedApp } from './unchecked-app.ts';

const REPORT = { enabled: true, sender: 'reports@acme-co.com', recipients: ['sec@acme-co.com'] };

const notesOf = (stack: Stack): string[] =>
  Annotations.fromStack(stack)
    .findWarning('*', Match.stringLikeRegexp(SCHEDULE_NUMBERED_WEEKDAY))
    .map((w) => String(w.entry.data));

const notedStack = (schedule: string, enabled = true): Stack => {
  const stack = new Stack(uncheckedApp(), 'Noted');
  noteNumberedWeekdays(stack, configWith({ report: { ...REPORT, enabled, schedule } }));
  return stack;
};

describe('a schedule naming weekdays by number (review R-FIRST L8)', () => {
  it('says that 1 is Sunday, and the names to write', () => {
    expect(notesOf(notedStack('cron(0 7 ? * 1 *)'))).toEqual([
      expect.stringContaining(
        'report.schedule "cron(0 7 ? * 1 *)" names its days by number, "1", which EventBridge reads as SUN (1 is Sunday, 7 Saturday). If that is meant, write the names to make it plain: "cron(0 7 ? * SUN *)"; for Monday, write MON.',
      ),
    ]);
    expect(notesOf(notedStack('cron(0 7 ? * 2-3,5 *)'))).toEqual([
      expect.stringContaining('"2-3,5", which EventBridge reads as MON-TUE,THU'),
    ]);
  });

  // Review R2CORR: report.correctionSchedule, a cron of its own, was not looked at.
  it("says it of the corrections run's schedule too, and nothing of one turned off", () => {
    const noted = (correctionSchedule: string | null, enabled = true) => {
      const stack = new Stack(uncheckedApp(), 'Corrections');
      noteNumberedWeekdays(stack, configWith({ report: { ...REPORT, enabled, correctionSchedule } }));
      return notesOf(stack);
    };
    expect(noted('cron(0 14 ? * 1-5 *)')).toEqual([
      expect.stringContaining(
        'report.correctionSchedule "cron(0 14 ? * 1-5 *)" names its days by number, "1-5", which EventBridge reads as SUN-THU (1 is Sunday, 7 Saturday). If that is meant, write the names to make it plain: "cron(0 14 ? * SUN-THU *)"',
      ),
    ]);
    expect(noted('cron(0 14 ? * MON-FRI *)')).toEqual([]);
    expect(noted('cron(0 14 ? * 1-5 *)', false)).toEqual([]);
    expect(noted(null)).toEqual([]);
  });

  it('says nothing of days by name, of a report not deployed, or of forms that name no day', () => {
    expect(notesOf(notedStack('cron(0 7 ? * MON *)'))).toEqual([]);
    expect(notesOf(notedStack('cron(0 7 ? * 1 *)', false))).toEqual([]);
    expect(notesOf(notedStack('cron(0 7 ? * 2#1 *)'))).toEqual([]);
  });

  it('says nothing of a schedule on every day, as any ingest schedule synth takes is (R-CONFIG2 L5)', () => {
    expect(notesOf(notedStack('cron(0 7 ? * 1-7 *)'))).toEqual([]);
    expect(notesOf(notedStack('cron(0 7 ? * 1,2-4,5-7 *)'))).toEqual([]);
    const stack = new Stack(uncheckedApp(), 'Ingest');
    noteNumberedWeekdays(stack, configWith({ ingest: { schedule: 'cron(0/15 * ? * 1-7 *)' } }));
    expect(notesOf(stack)).toEqual([]);
  });

  it('is part of the app', () => {
    const app = newTestApp();
    app.node.setContext('activityLake', {
      ...DEPLOYABLE_CONFIG,
      report: { ...REPORT, schedule: 'cron(0 7 ? * 1 *)' },
    });
    expect(notesOf(defineActivityLakeApp(app, TEST_NOW))).toHaveLength(1);
  });
});
