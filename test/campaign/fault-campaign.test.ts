import { afterAll, describe, expect, it } from 'vitest';
import { runScenario, type ScenarioOutcome } from './scenario.ts';

/**
 * The fault campaign: 200 seeded scenarios by default; `CAMPAIGN_SCENARIOS=5000` (and optionally
 * `CAMPAIGN_FIRST_SEED`) makes it a soak. Every scenario must converge: the lake equals the source
 * (0 lost, 0 duplicated), quarantine holds exactly the bad entries, verify and verify --integrity pass,
 * and only a scenario where a run crashed leaves versions first recorded on read (or written over) by no digest.
 */
const COUNT = Number(process.env.CAMPAIGN_SCENARIOS ?? 200);
const FIRST = Number(process.env.CAMPAIGN_FIRST_SEED ?? 1);
const seeds = Array.from({ length: COUNT }, (_, i) => FIRST + i);
const outcomes: ScenarioOutcome[] = [];
const started = performance.now();

afterAll(() => {
  const sum = (pick: (o: ScenarioOutcome) => number) => outcomes.reduce((total, o) => total + pick(o), 0);
  const faults = (kind: keyof ScenarioOutcome['faults']) => sum((o) => o.faults[kind]);
  const rows: [string, string | number][] = [
    ['scenarios', outcomes.length],
    ['ingest runs', sum((o) => o.runs)],
    ['runs crashed between two store operations', sum((o) => (o.crashed ? 1 : 0))],
    ['scenarios with overlapping runs', sum((o) => (o.overlapped ? 1 : 0))],
    ['429 without / with Retry-After', `${faults('429')} / ${faults('429-retry-after')}`],
    [
      '5xx / HTML / truncated / oversized pages',
      `${faults('5xx')} / ${faults('html')} / ${faults('truncated')} / ${faults('oversized')}`,
    ],
    ['slow answers / expired tokens', `${faults('slow')} / ${faults('expired')}`],
    ['source events (twins, late, hostile included)', sum((o) => o.good)],
    ['malformed entries', sum((o) => o.bad)],
    [
      'lost / duplicated / quarantine mismatches',
      `${sum((o) => o.lost)} / ${sum((o) => o.duplicated)} / ${sum((o) => o.quarantineMismatch)}`,
    ],
    [
      'verify / verify --integrity failures',
      `${sum((o) => (o.verify.ok ? 0 : 1))} / ${sum((o) => (o.integrity.ok ? 0 : 1))}`,
    ],
    ['runtime', `${((performance.now() - started) / 1000).toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(
    `\nfault campaign\n${rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n')}\n`,
  );
});

describe(`fault campaign (${COUNT} seeded scenarios)`, () => {
  it.each(seeds)(
    'scenario %i converges to the source, with quarantine and integrity intact',
    async (seed) => {
      const outcome = await runScenario(seed);
      outcomes.push(outcome);
      expect({
        lost: outcome.lost,
        duplicated: outcome.duplicated,
        quarantineMismatch: outcome.quarantineMismatch,
        verifyOk: outcome.verify.ok,
        integrityProblems: outcome.integrity.problems,
        // Only a run that died leaves versions no digest says who wrote; overlapping runs do not.
        recordedOnReadWithoutCrash: outcome.crashed ? [] : outcome.integrity.recordedOnRead,
      }).toEqual({
        lost: 0,
        duplicated: 0,
        quarantineMismatch: 0,
        verifyOk: true,
        integrityProblems: [],
        recordedOnReadWithoutCrash: [],
      });
    },
  );

  it('really injects every kind of fault across the campaign', () => {
    if (outcomes.length < 50) return;
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
    expect(outcomes.filter((o) => o.crashed).length).toBeGreaterThan(outcomes.length / 4);
    expect(outcomes.filter((o) => o.overlapped).length).toBeGreaterThan(outcomes.length / 10);
    expect(outcomes.reduce((n, o) => n + o.bad, 0)).toBeGreaterThan(outcomes.length / 2);
  });
});
