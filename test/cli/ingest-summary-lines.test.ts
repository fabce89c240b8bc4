import { describe, expect, it } from 'vitest';
import {
  describe as describeRun,
  interruptedLine,
  outOfWindowWarning,
} from '../../functions/cli/commands/ingest.ts';
import type { IngestSummary } from '../../functions/core/ingest/ingest-types.ts';

const summary = {
  instance: 'main',
  mode: 'range',
  windowsPlanned: 10,
  windowsDone: 4,
  windowsFailed: 0,
  eventsWritten: 40,
  eventsStored: 40,
  lateEvents: 0,
  quarantined: 0,
  outOfWindow: 0,
  requests: 3,
  watermarkBeforeMs: null,
  watermarkAfterMs: null,
  stoppedEarly: null,
  otherRuns: [],
} as unknown as IngestSummary;

describe('what an interrupted ingest says', () => {
  it('says nothing is left once every planned hour was done', () => {
    expect(interruptedLine({ ...summary, windowsDone: 10 }, 'SIGINT', undefined)).toBe(
      'interrupted (SIGINT) once every planned hour was done',
    );
  });

  it('tells a range run how to finish, and where it may resume from', () => {
    const resume = Date.parse('2026-10-01T04:00:00Z');
    expect(interruptedLine(summary, 'SIGTERM', resume)).toBe(
      'interrupted (SIGTERM): the 4 hour(s) done are kept; run the same command again to finish the range, or with --from 2026-10-01T04:00:00Z to skip the hours before it (all stored)',
    );
    expect(interruptedLine({ ...summary, mode: 'checkpoint' }, 'SIGINT', resume)).toBe(
      'interrupted (SIGINT): the 4 hour(s) done are kept; run the same command again to resume',
    );
  });
});

describe('the ingest summary lines an operator reads', () => {
  it('says how the watermark moved in words, which a screen reader reads as written', () => {
    const hour = Date.parse('2026-12-01T18:00:00Z');
    const line = (before: number | null, after: number | null) =>
      describeRun(
        { ...summary, mode: 'checkpoint', watermarkBeforeMs: before, watermarkAfterMs: after },
        '/lake',
        0,
      )
        .split('\n')
        .find((l) => l.startsWith('  watermark:'));
    expect(line(null, hour)).toBe('  watermark: was none, now 2026-12-01 18:00 UTC');
    expect(line(hour - 3_600_000, hour)).toBe(
      '  watermark: was 2026-12-01 17:00 UTC, now 2026-12-01 18:00 UTC',
    );
    expect(line(hour, hour)).toBe('  watermark: 2026-12-01 18:00 UTC, unchanged');
  });

  it('wraps a line on a narrow terminal under the text after its label, not at the indent', () => {
    const text = describeRun(
      { ...summary, mode: 'checkpoint', windowsPlanned: 528, windowsDone: 18 },
      '/lake',
      0,
      [],
      40,
    );
    expect(text).toContain('\n  hours: 18 done of 528 planned, 510 not\n         started\n');
    for (const line of text.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(40);
  });

  it('says a run stopped by its time budget is to be run again', () => {
    const text = describeRun({ ...summary, stoppedEarly: 'time-budget' }, '/lake', 0);
    expect(text).toContain('  hours: 4 done of 10 planned, 6 not started\n');
    expect(text).toContain('  stopped early (time budget): run again to continue\n');
    expect(text).not.toContain('other runs');
  });

  it('says why a scheduled run between two closed hours pulled nothing, and how to re-pull now', () => {
    const idle = {
      ...summary,
      mode: 'checkpoint',
      windowsPlanned: 0,
      windowsDone: 0,
      requests: 0,
    } as IngestSummary;
    const line =
      '  nothing to pull: no hour has closed since the watermark; the lookback hours are re-pulled with the next one (to re-pull stored hours now: --from/--to)\n';
    expect(describeRun(idle, '/lake', 0)).toContain(line);
    expect(describeRun({ ...idle, windowsPlanned: 3, windowsDone: 3 }, '/lake', 0)).not.toContain(
      'nothing to pull',
    );
    expect(describeRun({ ...idle, mode: 'range' } as IngestSummary, '/lake', 0)).not.toContain(
      'nothing to pull',
    );
  });

  it('names the other runs that wrote to the lake meanwhile, and says that is safe', () => {
    const text = describeRun({ ...summary, otherRuns: ['20261201T150000Z-a1b2c3'] }, '/lake', 0);
    expect(text).toContain(
      '  other runs of main wrote to this lake meanwhile (run 20261201T150000Z-a1b2c3): that is safe, see docs/operations.md "Re-pulling a range of hours"\n',
    );
  });

  it('wraps its lines at words on a narrow terminal, the rest of each indented under it', () => {
    const closing = interruptedLine({ ...summary, mode: 'checkpoint' }, 'SIGINT', undefined);
    const whole = describeRun(summary, '/lake', 0, [closing]);
    const narrow = describeRun(summary, '/lake', 0, [closing], 60);
    const lines = narrow.trimEnd().split('\n');
    expect(lines.every((line) => line.length <= 60)).toBe(true);
    expect(lines.at(-2)).toBe('  interrupted (SIGINT): the 4 hour(s) done are kept; run the');
    expect(lines.at(-1)).toBe('    same command again to resume');
    // Nothing lost or split: the same words as the unwrapped text.
    const words = (text: string) => text.split(/\s+/).filter(Boolean);
    expect(words(narrow)).toEqual(words(whole));
  });

  it('warns about entries outside their hour from a tenth of those read on', () => {
    const tenth = { ...summary, outOfWindow: 100, eventsStored: 900 };
    expect(outOfWindowWarning(tenth, 'UTC')?.[0]).toMatch(/^warning: 100 entries \(10% of those/);
    expect(outOfWindowWarning({ ...tenth, eventsStored: 901 }, 'UTC')).toBeUndefined();
  });
});

// R-ALERTSTIME 4: late events were only counted; how late they were, against the lookback, is said.
describe('the late events line', () => {
  const late = {
    ...summary,
    mode: 'checkpoint',
    settleMinutes: 15,
    lookbackHours: 2,
    lateEvents: 2,
  } as const;
  const lateLineOf = (lateByAtLeastMs: number | null, over: Partial<IngestSummary> = {}) =>
    describeRun({ ...late, lateByAtLeastMs, ...over } as IngestSummary, '/lake', 0)
      .split('\n')
      .filter((l) => l.startsWith('  late events:'));

  it('says how late, at least, the latest was and how far the lookback reaches', () => {
    expect(lateLineOf(16 * 60_000)).toEqual([
      '  late events: Domo served the latest at least 16 min after its hour ended; the lookback pulls an hour again until 2 h 15 min after its end',
    ]);
  });

  it("warns once only the hour's last pulls find an event that late, saying what to do", () => {
    const [line] = lateLineOf(76 * 60_000);
    expect(line).toMatch(
      /^ {2}late events: Domo served the latest at least 1 h 16 min after its hour ended; /,
    );
    expect(line).toContain(
      "Warning: only an hour's last pulls find an event that late (from 1 h 15 min on), and one served after the lookback's end waits for the hour's later pull (--repull-after-hours, a day on by default; with 0 it is never stored): raise --lookback-hours",
    );
    expect(line).toContain('re-pull with --from/--to');
    expect(lateLineOf(74 * 60_000)[0]).not.toContain('Warning');
  });

  // Review L3: rounded to the nearest second, 74 min 59.6 s read "at least 1 h 15 min" with no
  // warning beside a warning figure of 1 h 15 min, and below an hour the style changed ("16 min 00 s").
  it('rounds the bound down to the minute, in the style of every figure of the line', () => {
    const [under] = lateLineOf(75 * 60_000 - 400);
    expect(under).toContain('at least 1 h 14 min after its hour ended');
    expect(under).not.toContain('Warning');
    expect(lateLineOf(75 * 60_000)[0]).toContain('at least 1 h 15 min after its hour ended');
    expect(lateLineOf(75 * 60_000)[0]).toContain('Warning');
    expect(lateLineOf(16 * 60_000 + 59_900)[0]).toContain('at least 16 min after its hour ended');
  });

  // Review M1: a re-pull's lookback is the command's default (--lookback-hours is refused with
  // --from/--to), not the stack's, and its events are past the lookback by design: the line told
  // the operator to raise --lookback-hours and re-pull with --from/--to, which they were doing.
  it('gives a re-pull the bound alone: no reach of a lookback it does not have, and no warning', () => {
    const [line] = lateLineOf(136 * 60_000, { mode: 'range' });
    expect(line).toBe(
      "  late events: Domo served the latest at least 2 h 16 min after its hour ended; found by a re-pull, which stores by design what the schedule's lookback missed: past its reach (ingest.settleMinutes + ingest.lookbackHours in cdk.json) is expected here, not a sign that the lookback is short",
    );
  });

  // Review M2: with a lookback of 1 hour its only re-pull is its last: every late event warns.
  it('warns of every late event with a lookback of 1 hour', () => {
    const [line] = lateLineOf(15 * 60_000, { lookbackHours: 1 });
    expect(line).toContain('until 1 h 15 min after its end. Warning:');
    expect(line).toContain('(from 15 min on)');
  });

  // Review M2: with a lookback of 0 the line read "pulls an hour again until 15 min after its end"
  // and "past the middle of the lookback (15 min 00 s)": no hour is pulled again.
  it('says that no run pulls an hour again with a lookback of 0, without a reach or its middle', () => {
    const [line] = lateLineOf(15 * 60_000, { lookbackHours: 0 });
    expect(line).toBe(
      "  late events: Domo served the latest at least 15 min after its hour ended; with a lookback of 0 h no run pulls an hour again, so an event Domo serves after an hour's first pull (15 min after its end) is stored only by a re-pull with --from/--to: raise --lookback-hours to have the runs store it",
    );
  });

  it('wraps within 80 columns in every form', () => {
    for (const over of [{}, { mode: 'range' as const }, { lookbackHours: 0 }, { lookbackHours: 48 }]) {
      const text = describeRun(
        { ...late, lateByAtLeastMs: 40 * 3_600_000, ...over } as IngestSummary,
        '/lake',
        0,
        [],
        80,
      );
      expect(text.split('\n').every((l) => l.length <= 80)).toBe(true);
    }
  });

  it('is left out when the run found no late event', () => {
    expect(lateLineOf(null)).toEqual([]);
  });
});

describe("what the ingest summary says of the run's later pulls (R-REPULL F5, R-FINAL F3)", () => {
  const hour = Date.parse('2026-12-01T18:00:00Z');
  const laterPulls = {
    planned: 24,
    done: 10,
    failed: 1,
    givenUp: 0,
    left: 14,
    dueFromMs: hour,
    onlyLaterLeft: true,
  };
  const lines = (over: Partial<IngestSummary>) =>
    describeRun(
      { ...summary, mode: 'checkpoint', windowsPlanned: 34, windowsDone: 20, ...over },
      '/lake',
      0,
    ).split('\n');

  it('counts them, and says when hours are due', () => {
    expect(lines({ laterPulls })).toContain(
      '  later pulls: 10 done of 24, 1 failed (tried again), 14 left for the next run; due from 2026-12-01 18:00 UTC',
    );
    expect(
      lines({ laterPulls: { ...laterPulls, failed: 1, givenUp: 1, left: 13, dueFromMs: null } }),
    ).toContain('  later pulls: 10 done of 24, 1 given up after their last try, 13 left for the next run');
    const none = { ...laterPulls, planned: 0, done: 0, failed: 0, left: 0, dueFromMs: null };
    expect(lines({ laterPulls: none }).some((l) => l.startsWith('  later pulls'))).toBe(false);
  });

  it('does not send a run out of time with only later pulls left to run again', () => {
    const stopped = { stoppedEarly: 'time-budget' as const };
    expect(lines({ ...stopped, laterPulls })).toContain(
      '  stopped early (time budget) with only later pulls left: the next run pulls them',
    );
    expect(lines({ ...stopped, laterPulls: { ...laterPulls, onlyLaterLeft: false } })).toContain(
      '  stopped early (time budget): run again to continue',
    );
  });
});

describe('how far behind a catch-up is (review R-ONCALL M1)', () => {
  const hour = Date.parse('2026-12-01T18:00:00Z');
  const behindOf = (over: Partial<IngestSummary>) =>
    describeRun({ ...summary, mode: 'checkpoint', behindByMs: null, ...over } as IngestSummary, '/lake', 0)
      .split('\n')
      .find((l) => l.startsWith('  behind:'));

  it("says the lag and, for a run out of time, about how many runs are left at this run's pace", () => {
    const behindByMs = (4 * 24 + 5) * 3_600_000;
    const moved = { watermarkBeforeMs: hour - 43 * 3_600_000, watermarkAfterMs: hour, behindByMs };
    expect(behindOf({ ...moved, stoppedEarly: 'time-budget', runsLeftEstimate: 3 })).toBe(
      '  behind: 4d 05h (this run moved the watermark 43 h: about 3 more runs at this pace)',
    );
    expect(behindOf({ ...moved, stoppedEarly: 'time-budget', watermarkBeforeMs: hour })).toBe(
      '  behind: 4d 05h (this run did not move the watermark)',
    );
    expect(behindOf({ ...moved, stoppedEarly: null })).toBe('  behind: 4d 05h');
  });

  it('says a first backfill set the watermark, and how far from where it began (review R-SRE L2)', () => {
    const behindByMs = (4 * 24 + 5) * 3_600_000;
    const first = {
      watermarkBeforeMs: null,
      backfillFromMs: hour - 43 * 3_600_000,
      watermarkAfterMs: hour,
      behindByMs,
      stoppedEarly: 'time-budget' as const,
    };
    expect(behindOf({ ...first, runsLeftEstimate: 3 })).toBe(
      '  behind: 4d 05h (this run set the watermark 43 h past where its backfill began: about 3 more runs at this pace)',
    );
    expect(behindOf({ ...first, watermarkAfterMs: hour - 43 * 3_600_000 })).toBe(
      '  behind: 4d 05h (this run did not move the watermark past where its backfill began)',
    );
  });

  it('says nothing of a lake as current as the schedule keeps it', () => {
    expect(behindOf({ behindByMs: 75 * 60_000, watermarkAfterMs: hour })).toBeUndefined();
  });
});
