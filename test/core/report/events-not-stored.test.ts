/**
 * A copy of an hour object under the lake (an operator's restore, or an insider planting forged
 * events) went into every figure, finding and change of the report, which still read as a whole
 * week: data_health compared stored events with the manifests one way only (review R-REPORT M1).
 * Hours holding more events than their manifest counted are now counted and told like events gone.
 */
import { copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { activityKey, coverageKey, lakeTimestamp } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { buildReportModel } from '../../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../../functions/core/report/iso-week.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import { runOfWeek } from '../../../functions/core/report/report-run.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { openFixtureEngine } from '../../queries/support/fixture-engine.ts';
import { event, manifest } from '../../queries/support/lake-fixture.ts';
import { writeLakeFile } from '../../support/write-lake-file.ts';

const BEFORE = Date.parse('2026-11-09T00:00:00Z');
const week = reportWeek('2026-W47', 'UTC');

/** Two whole weeks, two events an hour, every hour with its manifest. */
function twoWeeks() {
  const hours = Array.from({ length: 14 * 24 }, (_, i) => BEFORE + i * HOUR_MS);
  const events = hours.flatMap((h) =>
    [5, 35].map((m) => event(lakeTimestamp(h + m * 60_000), { user_id: String(h % 7), object_id: '1' })),
  );
  const coverage = hours.map((h) =>
    manifest(lakeTimestamp(h).slice(0, 16), { event_count: 2, fetched_at: '2026-11-23T00:20:00.000Z' }),
  );
  return { events, coverage };
}

describe('a week whose hours hold events the ingest did not record', () => {
  it('counts them, says so, marks the subject and shows no change against the week before', async () => {
    const lake = await openFixtureEngine('events-not-stored-', twoWeeks());
    try {
      // Three hours of Tuesday 17 November copied beside themselves.
      for (const hour of ['09', '10', '11']) {
        const key = activityKey('default', Date.parse(`2026-11-17T${hour}:00:00Z`));
        await copyFile(join(lake.dir, key), join(lake.dir, key.replace('.ndjson.gz', '.copy.ndjson.gz')));
      }
      const model = await buildReportModel(lake.engine, {
        instance: 'default',
        run: runOfWeek(week, Date.parse('2026-11-23T07:00:00Z')),
      });
      expect(model.totals.events.current).toBe(7 * 48 + 6);
      expect(model.health).toMatchObject({ extraHours: 3, extraEvents: 6, shortHours: 0 });
      expect(model.previousHealth).toMatchObject({ extraHours: 0, extraEvents: 0 });
      expect(model.notes).toContainEqual(
        expect.stringMatching(
          /^3 hours of 2026-W47 hold more events than the ingest recorded \(the lake holds 6 events more\): objects the ingest did not write/,
        ),
      );
      // A pull cut short between an hour's object and its manifest reads the same, and verify calls it
      // an object grown past its manifest, not a stranger: the note must send the reader to both.
      expect(model.notes).toContainEqual(
        expect.stringContaining(
          "or a pull cut short between an hour's object and its record, which the next pull of the hour completes",
        ),
      );
      const subject = reportSubject(model);
      expect(subject).toMatch(
        /^Domo activity 2026-W47 \(default\) \[6 events not recorded by the ingest\]: .*, 342 events$/,
      );
      expect(subject).not.toMatch(/%/);
      const text = renderText(model);
      expect(text.replace(/\s+/g, ' ')).toContain(
        ' No changes shown: the lake holds events of this week that the ingest did not record. ',
      );
      expect(text).toMatch(/\nNot stored by the ingest +6 events in 3 hours\n/);
      expect(renderHtml(model, subject)).toContain('Not stored by the ingest: 6 events in 3 hours');
    } finally {
      await lake.close();
    }
  });

  it('shows no change when the week before holds them, and says why', async () => {
    const lake = await openFixtureEngine('events-not-stored-before-', twoWeeks());
    try {
      const key = activityKey('default', Date.parse('2026-11-10T09:00:00Z'));
      await copyFile(join(lake.dir, key), join(lake.dir, key.replace('.ndjson.gz', '.copy.ndjson.gz')));
      const model = await buildReportModel(lake.engine, {
        instance: 'default',
        run: runOfWeek(week, Date.parse('2026-11-23T07:00:00Z')),
      });
      expect(model.previousHealth).toMatchObject({ extraHours: 1, extraEvents: 2 });
      expect(reportSubject(model)).not.toMatch(/%|not stored/);
      expect(model.notes).toContain(
        'The lake holds 2 events of the week before that the ingest did not record, so changes against it are not shown.',
      );
    } finally {
      await lake.close();
    }
  });

  // Review R-REPORT2 M1: forged copies differing in their window by 1 ms matched no manifest and
  // were compared with none; the week read as complete, with the forged events in every figure.
  it('counts events stored outside their own hour: a window 1 ms off, one outside the period, none', async () => {
    const fixture = twoWeeks();
    const lake = await openFixtureEngine('events-misfiled-', fixture);
    try {
      const forge = (hour: string, window: (start: number) => number | null) => {
        const start = Date.parse(`2026-11-17T${hour}:00:00Z`);
        const records = fixture.events
          .filter((e) => e.window_start_ms === start)
          .map((e) => ({ ...e, event_id: `${e.event_id}-forged`, window_start_ms: window(start) }));
        const key = activityKey('default', start).replace('.ndjson.gz', '.forged.ndjson.gz');
        writeLakeFile(lake.dir, key, encodeNdjsonGzip(records));
      };
      for (const hour of ['09', '10', '11']) forge(hour, (start) => start + 1);
      forge('12', () => 0);
      forge('13', () => null);
      // One of another hour's events swapped into a whole hour's object: its count still matches.
      const at14 = Date.parse('2026-11-17T14:00:00Z');
      const [kept, swapped] = fixture.events.filter((e) => e.window_start_ms === at14);
      if (!kept || !swapped) throw new Error('the fixture holds two events an hour');
      writeLakeFile(
        lake.dir,
        activityKey('default', at14),
        encodeNdjsonGzip([
          kept,
          { ...swapped, event_time: lakeTimestamp(at14 + 2 * HOUR_MS), event_id: 'moved' },
        ]),
      );
      const model = await buildReportModel(lake.engine, {
        instance: 'default',
        run: runOfWeek(week, Date.parse('2026-11-23T07:00:00Z')),
      });
      expect(model.totals.events.current).toBe(7 * 48 + 10);
      expect(model.health).toMatchObject({ extraHours: 6, extraEvents: 11, shortHours: 0 });
      expect(reportSubject(model)).toMatch(
        /^Domo activity 2026-W47 \(default\) \[11 events not recorded by the ingest\]: .*, 346 events$/,
      );
    } finally {
      await lake.close();
    }
  });

  // Review R-SUSP2 M2: in a zone whose offset is not whole hours the week starts and ends at :30
  // UTC, and the hours it cuts were compared with nothing: forged events there went into every
  // figure, and a missing first hour was no gap. Each hour the week overlaps is now judged whole.
  describe('a week of Asia/Kolkata, cut inside its first and last UTC hours', () => {
    const kolkata = reportWeek('2026-W47', 'Asia/Kolkata');
    const first = Date.parse('2026-11-15T18:00:00Z');
    const last = Date.parse('2026-11-22T18:00:00Z');
    const modelOf = (engine: Parameters<typeof buildReportModel>[0]) =>
      buildReportModel(engine, {
        instance: 'default',
        run: runOfWeek(kolkata, Date.parse('2026-11-23T07:00:00Z')),
      });

    it('reads an honest lake as whole: every hour it overlaps, none over or short', async () => {
      const lake = await openFixtureEngine('events-edge-honest-', twoWeeks());
      try {
        const model = await modelOf(lake.engine);
        expect(kolkata.startMs).toBe(first + 30 * 60_000);
        expect(model.health).toMatchObject({
          expectedHours: 169,
          coveredHours: 169,
          extraEvents: 0,
          shortEvents: 0,
        });
        expect(reportSubject(model)).toMatch(/^Domo activity 2026-W47 \(default\): .*, 336 events$/);
      } finally {
        await lake.close();
      }
    });

    it('counts events forged into the hours the week starts and ends inside', async () => {
      const lake = await openFixtureEngine('events-edge-forged-', twoWeeks());
      try {
        // In their own hours' windows, in the part of each hour inside the week.
        const forge = (start: number, minutes: readonly number[]) =>
          writeLakeFile(
            lake.dir,
            activityKey('default', start).replace('.ndjson.gz', '.forged.ndjson.gz'),
            encodeNdjsonGzip(
              minutes.map((m) =>
                event(lakeTimestamp(start + m * 60_000), { user_id: 'mallory', window_start_ms: start }),
              ),
            ),
          );
        forge(first, [40, 50, 55]);
        forge(last, [5, 10]);
        const model = await modelOf(lake.engine);
        expect(model.totals.events.current).toBe(336 + 5);
        expect(model.health).toMatchObject({ extraHours: 2, extraEvents: 5, shortEvents: 0 });
        expect(reportSubject(model)).toMatch(
          /^Domo activity 2026-W47 \(default\) \[5 events not recorded by the ingest\]: .*, 341 events$/,
        );
      } finally {
        await lake.close();
      }
    });

    it('counts a missing first hour as a gap, and events gone from the last', async () => {
      const lake = await openFixtureEngine('events-edge-missing-', twoWeeks());
      try {
        await rm(join(lake.dir, activityKey('default', first)));
        await rm(join(lake.dir, coverageKey('default', first)));
        // The last hour's event at :35, after the week's end, is gone.
        const [kept] = twoWeeks().events.filter((e) => e.window_start_ms === last);
        if (!kept) throw new Error('the fixture holds two events an hour');
        writeLakeFile(lake.dir, activityKey('default', last), encodeNdjsonGzip([kept]));
        const model = await modelOf(lake.engine);
        expect(model.health).toMatchObject({
          expectedHours: 169,
          coveredHours: 168,
          gapCount: 1,
          shortHours: 1,
          shortEvents: 1,
          extraEvents: 0,
        });
        expect(model.status).toBe('partial');
      } finally {
        await lake.close();
      }
    });
  });
});
