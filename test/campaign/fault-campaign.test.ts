import { afterAll, describe, expect, it } from 'vitest';
import { runScenario, type ScenarioOutcome } from './scenario.ts';
import { runScheduleScenario, type ScheduleCounts } from './schedule-scenario.ts';

/**
 * The fault campaign: 160 seeded scenarios of two runs under mixed faults (a slow range re-pull
 * beside one, sealed over by it and then killed, among them), and 40 of an hourly
 * schedule (late entries inside the lookback, faults aimed at lookback hours, hard stops, tight
 * deadlines after a dead re-pull, puts of table objects, digests and the checkpoint that land but
 * answer an error, conditional puts answered 409 while their first attempt is in flight)
 * by default, every lake versioned as the stack's bucket is;
 * `CAMPAIGN_SCENARIOS=5000 CAMPAIGN_SCHEDULE_SCENARIOS=2500` (and optionally `CAMPAIGN_FIRST_SEED`)
 * makes it a soak. Every scenario must converge: the lake equals the source (0 lost, 0 duplicated),
 * quarantine holds exactly the bad entries, verify and verify --integrity pass, no run outlives its
 * deadline, no hour's manifest counts more late events than Domo served late (exactly as many, and
 * one pull per run, where every run that pulled it pulled it completely), and only a scenario where
 * a run died (or could not read back a put that answered an error) leaves versions first recorded
 * on read (or written over) by no digest.
 */
const COUNT = Number(process.env.CAMPAIGN_SCENARIOS ?? 160);
const SCHEDULE_COUNT = Number(process.env.CAMPAIGN_SCHEDULE_SCENARIOS ?? 40);
const FIRST = Number(process.env.CAMPAIGN_FIRST_SEED ?? 1);
const seeds = Array.from({ length: COUNT }, (_, i) => FIRST + i);
const scheduleSeeds = Array.from({ length: SCHEDULE_COUNT }, (_, i) => FIRST + i);
const outcomes: ScenarioOutcome[] = [];
const scheduled: ScheduleCounts[] = [];
const started = performance.now();
/** Schedule hours every pull of which was complete: their manifest counts checked exactly. */
let exactHours = 0;

/** What every scenario must end with. */
const converged = (outcome: ScenarioOutcome) => ({
  lost: outcome.lost,
  duplicated: outcome.duplicated,
  quarantineMismatch: outcome.quarantineMismatch,
  verifyOk: outcome.verify.ok,
  integrityProblems: outcome.integrity.problems,
  // Every scenario's lake keeps versions: a digest deleted or written twice would be found.
  digestVersions: outcome.integrity.digestVersions,
  // Only a run that died leaves versions no digest says who wrote; overlapping runs do not.
  recordedOnReadWithoutCrash: outcome.crashed ? [] : outcome.integrity.recordedOnRead,
  killedAtDeadline: outcome.killed,
});
const CONVERGED = {
  lost: 0,
  duplicated: 0,
  quarantineMismatch: 0,
  verifyOk: true,
  integrityProblems: [],
  digestVersions: 'checked',
  recordedOnReadWithoutCrash: [],
  killedAtDeadline: 0,
};
const scheduleTotal = (kind: keyof ScheduleCounts) => scheduled.reduce((n, c) => n + c[kind], 0);

afterAll(() => {
  const sum = (pick: (o: ScenarioOutcome) => number) => outcomes.reduce((total, o) => total + pick(o), 0);
  const faults = (kind: keyof ScenarioOutcome['faults']) => sum((o) => o.faults[kind]);
  const rows: [string, string | number][] = [
    ['scenarios (of them on a schedule)', `${outcomes.length} (${scheduled.length})`],
    ['ingest runs', sum((o) => o.runs)],
    ['scenarios where a run died (or lost a read-back)', sum((o) => (o.crashed ? 1 : 0))],
    ['scenarios with overlapping runs', sum((o) => (o.overlapped ? 1 : 0))],
    ['range re-pulls sealed over, then dead', sum((o) => (o.sealedOverThenDied ? 1 : 0))],
    ['429 without / with Retry-After', `${faults('429')} / ${faults('429-retry-after')}`],
    [
      '5xx / HTML / truncated / oversized pages',
      `${faults('5xx')} / ${faults('html')} / ${faults('truncated')} / ${faults('oversized')}`,
    ],
    ['slow answers / expired tokens', `${faults('slow')} / ${faults('expired')}`],
    ['source events (twins, late, hostile included)', sum((o) => o.good)],
    ['malformed entries', sum((o) => o.bad)],
    [
      'schedule: late in lookback / lookback hours failed / hung',
      `${scheduleTotal('lateInLookback')} / ${scheduleTotal('lookbackFails')} / ${scheduleTotal('lookbackHangs')}`,
    ],
    [
      'schedule: hard stops / tight runs / sweeps out of time',
      `${scheduleTotal('hardStops')} / ${scheduleTotal('tightRuns')} / ${scheduleTotal('sweepsOutOfTime')}`,
    ],
    [
      'schedule: puts landed with 412 / 500, read-backs / GETs failed',
      `${scheduleTotal('landed412')} / ${scheduleTotal('landed500')}, ${scheduleTotal('readBackFailed')} / ${scheduleTotal('getFailed')}`,
    ],
    [
      'schedule: digest / checkpoint puts landed with 412',
      `${scheduleTotal('digestLanded412')} / ${scheduleTotal('stateLanded412')}`,
    ],
    [
      'schedule: puts answered 409 in flight / landed later',
      `${scheduleTotal('inFlight409')} / ${scheduleTotal('inFlightLanded')}`,
    ],
    ['schedule: hours whose late events and pulls were counted exactly', exactHours],
    [
      'lost / duplicated / quarantine mismatches',
      `${sum((o) => o.lost)} / ${sum((o) => o.duplicated)} / ${sum((o) => o.quarantineMismatch)}`,
    ],
    [
      'verify / verify --integrity failures / runs killed at deadline',
      `${sum((o) => (o.verify.ok ? 0 : 1))} / ${sum((o) => (o.integrity.ok ? 0 : 1))} / ${sum((o) => o.killed)}`,
    ],
    ['runtime', `${((performance.now() - started) / 1000).toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(
    `\nfault campaign\n${rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n')}\n`,
  );
});

describe(`fault campaign (${COUNT} + ${SCHEDULE_COUNT} on a schedule, seeded)`, () => {
  it.each(seeds)(
    'scenario %i converges to the source, with quarantine and integrity intact',
    async (seed) => {
      const outcome = await runScenario(seed);
      outcomes.push(outcome);
      expect(converged(outcome)).toEqual(CONVERGED);
      expect(outcome.lateOvercounted).toEqual([]);
    },
  );

  it.each(scheduleSeeds)(
    'schedule scenario %i converges: late entries of lookback hours, hard stops and tight deadlines included',
    async (seed) => {
      const outcome = await runScheduleScenario(seed);
      outcomes.push(outcome);
      scheduled.push(outcome.schedule);
      expect(converged(outcome)).toEqual(CONVERGED);
      exactHours += outcome.counts.exact;
      expect(outcome.counts.found).toEqual([]);
    },
  );

  it('really injects every kind of fault across the campaign', () => {
    if (outcomes.length - scheduled.length < 50) return;
    const total = (kind: keyof ScenarioOutcome['faults']) => outcomes.reduce((n, o) => n + o.faults[kind], 0);
    for (const kind of [
      '429',
      '429-retry-after',
      '5xx',
      'html',
      'truncated',
      'oversized',
      'slow',
      'expired',
    ] as const) {
      expect(total(kind), kind).toBeGreaterThan(0);
    }
    const classic = outcomes.length - scheduled.length;
    expect(outcomes.filter((o) => o.crashed).length).toBeGreaterThan(classic / 4);
    expect(outcomes.filter((o) => o.overlapped).length).toBeGreaterThan(classic / 10);
    expect(outcomes.filter((o) => o.sealedOverThenDied).length).toBeGreaterThan(0);
    expect(outcomes.reduce((n, o) => n + o.bad, 0)).toBeGreaterThan(classic / 2);
  });

  it('really injects every kind of schedule fault across the campaign', () => {
    if (scheduled.length < 30) return;
    for (const kind of Object.keys(scheduled[0] ?? {}) as (keyof ScheduleCounts)[]) {
      expect(scheduleTotal(kind), kind).toBeGreaterThan(0);
    }
  });
});
