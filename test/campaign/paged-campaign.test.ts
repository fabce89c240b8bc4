import { afterAll, describe, expect, it } from 'vitest';
import type { FaultKind } from '../../functions/simulator/index.ts';
import { type PagedOutcome, runPagedScenario, SOURCE_TO } from './paged-scenario.ts';

/**
 * The fault campaign on paged reads (review R-SIM F4): each scenario holds 8 hours, at least two of
 * them of 1,100 to 2,600 entries with bursts of one time across page edges, and spans of quiet and
 * medium hours; two runs under every fault the simulator injects (429, 5xx and 503 with a long
 * Retry-After, HTML, truncated bodies, resets mid-body, revoked tokens, 403 rate limits, slow
 * answers, tokens expiring mid-run, ties served in a new order on each request, late entries
 * appearing while a run pages, a run dying between two store operations), then clean runs. Every
 * scenario must end with the lake equal to Domo: each event once (by content and by id), each
 * hour's manifest counting what the lake and Domo hold, the checkpoint past every hour, verify and
 * verify --integrity passing. `PAGED_SCENARIOS=200` makes it a soak.
 */
const COUNT = Number(process.env.PAGED_SCENARIOS ?? 6);
const FIRST = Number(process.env.CAMPAIGN_FIRST_SEED ?? 1);
const seeds = Array.from({ length: COUNT }, (_, i) => FIRST + i);
const outcomes: PagedOutcome[] = [];
const started = performance.now();

afterAll(() => {
  const sum = (pick: (o: PagedOutcome) => number) => outcomes.reduce((n, o) => n + pick(o), 0);
  const fault = (kind: FaultKind) => sum((o) => o.faults[kind]);
  console.log(
    `\npaged fault campaign: ${outcomes.length} scenarios, ${sum((o) => o.sourceEvents)} events, ` +
      `${sum((o) => o.bursts)} bursts at page edges, ${sum((o) => o.lateAfterFirstRun)} late after the first run, ${sum((o) => o.deepRequests)} requests past a page, ${sum((o) => o.splitRequests)} of split ranges, ` +
      `${sum((o) => (o.crashed ? 1 : 0))} runs died, ${sum((o) => o.failedWindows)} windows failed, ` +
      `${sum((o) => o.retries)} retries; faults 429 ${fault('rate429')}, 5xx ${fault('rate5xx')}, ` +
      `HTML ${fault('html')}, truncated ${fault('truncated')}, reset ${fault('reset')}, 401 ${fault('rate401')}, ` +
      `403 ${fault('rate403')}, slow ${fault('slow')}, expired tokens ${sum((o) => o.expired)}; ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
});

describe(`paged fault campaign (${COUNT} scenarios, seeded)`, () => {
  it.each(seeds)(
    'paged scenario %i converges: every event once, manifests and checkpoint exact',
    async (seed) => {
      const o = await runPagedScenario(seed);
      outcomes.push(o);
      if (o.lake.lost + o.lake.duplicated > 0) console.log(o.failures.join('\n'));
      expect({
        lost: o.lake.lost,
        duplicated: o.lake.duplicated,
        duplicateIds: o.lake.duplicateIds,
        quarantineLost: o.lake.quarantineLost,
        quarantined: o.lake.storedQuarantined,
        stored: o.lake.storedEvents,
        manifestMismatches: o.manifestMismatches,
        watermarkPastSource: (o.watermarkMs ?? 0) >= SOURCE_TO,
        verifyOk: o.verifyOk,
        integrityProblems: o.integrityProblems,
      }).toEqual({
        lost: 0,
        duplicated: 0,
        duplicateIds: 0,
        quarantineLost: 0,
        quarantined: o.lake.expectedQuarantined,
        stored: o.lake.expectedEvents,
        manifestMismatches: [],
        watermarkPastSource: true,
        verifyOk: true,
        integrityProblems: [],
      });
      // It really paged: an hour of more than a page, read past its first page under faults.
      expect(o.busiestHour).toBeGreaterThan(1000);
      expect(o.deepestOffset).toBeGreaterThanOrEqual(998);
    },
  );

  it('really injects every fault, bursts and deaths across the scenarios', () => {
    if (outcomes.length < 6) return;
    const total = (kind: FaultKind) => outcomes.reduce((n, o) => n + o.faults[kind], 0);
    for (const kind of [
      'rate429',
      'rate5xx',
      'html',
      'truncated',
      'reset',
      'rate401',
      'rate403',
      'slow',
    ] as const)
      expect(total(kind), kind).toBeGreaterThan(0);
    expect(outcomes.some((o) => o.crashed)).toBe(true);
    expect(outcomes.some((o) => o.expired > 0)).toBe(true);
    expect(outcomes.some((o) => o.lateAfterFirstRun > 0)).toBe(true);
    expect(outcomes.some((o) => o.splitRequests > 0)).toBe(true);
    expect(outcomes.some((o) => o.shuffleTies)).toBe(true);
    expect(outcomes.some((o) => o.timeFormat === 'docString')).toBe(true);
    expect(outcomes.reduce((n, o) => n + o.bursts, 0)).toBeGreaterThan(outcomes.length);
  });
});
