import { describe, expect, it } from 'vitest';
import { buildReportModel } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { CONTRACT_ROWS, FakeEngine } from './fake-engine.ts';
import { fullHealth, sampleModel } from './model-fixture.ts';

const week = reportWeek('2026-W47', 'UTC');
const nowMs = Date.parse('2026-11-23T07:00:00Z');

describe('a week with hours that lost events after they were stored', () => {
  it('says so in the notes, shows no change against the week before, and names the figure', async () => {
    const engine = new FakeEngine({
      ...CONTRACT_ROWS,
      data_health: [{ ...CONTRACT_ROWS.data_health?.[0], short_hours: 2, short_events: 161 }],
    });
    const model = await buildReportModel(engine, { instance: 'acme', run: runOfWeek(week, nowMs) });
    expect(model.health).toMatchObject({ shortHours: 2, shortEvents: 161 });
    expect(model.notes).toContainEqual(
      expect.stringMatching(
        /^2 hours of 2026-W47 hold fewer events than the ingest stored \(161 events gone from the lake\): the figures undercount/,
      ),
    );
    // The figures undercount: a change against the week before would mislead.
    expect(reportSubject(model)).not.toMatch(/%/);
    // Every hour is covered, so no [partial: …]: the subject flags the loss itself.
    expect(reportSubject(model)).toMatch(
      /^Domo activity 2026-W47 \(\w+\) \[161 events gone from the lake\]: .*, 1 lockout, 1 spraying address, [\d,]+ events$/,
    );
    // Some events are gone, not all: the why-line must not read as an empty week.
    expect(renderText(model)).toContain(
      '\nNo changes shown: some events of this week are gone from the lake.\n',
    );
    expect(renderText(model)).toMatch(/\nGone from stored hours +161 events in 2 hours\n/);
    expect(renderHtml(model, reportSubject(model))).toContain(
      'Gone from stored hours: 161 events in 2 hours',
    );
  });

  it('marks the day whose hours lost events where the days are shown, not only in the note', async () => {
    const engine = new FakeEngine({
      ...CONTRACT_ROWS,
      daily_activity: [{ ...CONTRACT_ROWS.daily_activity?.[0], short_hours: 2, short_events: 161 }],
      data_health: [{ ...CONTRACT_ROWS.data_health?.[0], short_hours: 2, short_events: 161 }],
    });
    const model = await buildReportModel(engine, { instance: 'acme', run: runOfWeek(week, nowMs) });
    expect(model.daily.find((d) => d.day === '2026-11-17')).toMatchObject({
      shortHours: 2,
      shortEvents: 161,
    });
    expect(model.daily.filter((d) => d.shortHours !== 0)).toHaveLength(1);
    expect(renderText(model)).toMatch(/\nTue 17 Nov {2,}120 +6 users {2}161 events gone\n/);
    expect(renderHtml(model, reportSubject(model))).toMatch(
      /Tue 17 Nov<br><span [^>]*>161 events gone<\/span>/,
    );
  });

  it('shows no change either when the week before lost events, and says why', async () => {
    const engine = new FakeEngine({ ...CONTRACT_ROWS });
    const model = await buildReportModel(engine, { instance: 'acme', run: runOfWeek(week, nowMs) });
    const touched = { ...model, previousHealth: { ...model.previousHealth, shortHours: 1, shortEvents: 40 } };
    expect(reportSubject(model)).toMatch(/%/);
    expect(reportSubject(touched)).not.toMatch(/%/);
    // The week reported on lost nothing: no qualifier (the body's note covers the week before).
    expect(reportSubject(touched)).not.toContain('gone');
    expect(renderHtml(touched, reportSubject(touched))).toContain(
      'No changes shown: some events of the week before are gone from the lake. The week before, ',
    );
  });

  it('flags a partial week that lost events with both qualifiers', () => {
    const model = sampleModel({
      status: 'partial',
      health: fullHealth({ coveredHours: 120, coveragePct: 71.4, shortHours: 1, shortEvents: 1 }),
    });
    expect(reportSubject(model)).toMatch(/ \[partial: 71\.4% of hours\] \[1 event gone from the lake\]: /);
  });

  it('shows nothing of it in a lake nobody touched', () => {
    const model = sampleModel({ health: fullHealth({ shortHours: 0, shortEvents: 0 }) });
    expect(renderText(model)).not.toContain('Gone from stored hours');
    expect(renderHtml(model, reportSubject(model))).not.toContain('Gone from stored hours');
  });
});
