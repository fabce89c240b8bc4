import { beforeAll, describe, expect, it } from 'vitest';
import { costNoteRow, costNotes } from '../support/cost-notes.ts';
import {
  HOURS_COUNTED,
  RUNS_AN_HOUR,
  SCHEDULED_RUNS,
  scheduledAt,
  scheduledIngestRun,
  scheduledViews,
} from '../support/counted-schedule.ts';
import { CountingStore, type RequestKind } from '../support/counting-store.ts';
import { MemoryAuditSource } from '../support/memory-audit-source.ts';

// review FINOPS (2026-12-07): the cost notes counted 603 HEADs and 96 LISTs a day, and a run with
// nothing to pull at ~24 requests with 13 HEADs growing as 2·log2 of the digests, from before each
// run found the end of the digest chain from the last run's digest (2 HEADs and 2 LISTs a run,
// whatever the chain's length). This test counts the requests of the schedule's runs on the
// defaults and holds the notes' figures to them.
const lambdaRow = costNoteRow('| Lambda ');

/**
 * The requests of the schedule's runs (15 minutes apart from 00:07, the first a backfill of the day
 * before) over 8 hours after the backfill's hour, 60 events an hour, times 3: a day's; and those of
 * the last run, one with nothing to pull.
 */
async function countedDay() {
  const source = new MemoryAuditSource(scheduledViews());
  const store = new CountingStore();
  let before = { ...store.counts };
  let lastRun = { ...store.counts };
  for (let run = 0; run < SCHEDULED_RUNS; run++) {
    if (run === RUNS_AN_HOUR) before = { ...store.counts };
    const atStart = { ...store.counts };
    await scheduledIngestRun(source, store, scheduledAt(run));
    lastRun = Object.fromEntries(
      Object.entries(store.counts).map(([kind, count]) => [kind, count - atStart[kind as RequestKind]]),
    ) as Record<RequestKind, number>;
  }
  const day = Object.fromEntries(
    Object.entries(store.counts).map(([kind, count]) => [
      kind,
      (count - before[kind as RequestKind]) * (24 / HOURS_COUNTED),
    ]),
  ) as Record<RequestKind, number>;
  return { day, lastRun };
}

const figure = (text: string, pattern: RegExp): number =>
  Number((pattern.exec(text)?.[1] ?? 'NaN').replace(/ /g, ''));

describe("the cost notes' S3 request counts (docs/operations.md) match the ingest's", () => {
  let day: Record<RequestKind, number>;
  let lastRun: Record<RequestKind, number>;
  beforeAll(async () => {
    ({ day, lastRun } = await countedDay());
  });

  it('count the requests of a run with nothing to pull, in the Lambda row', () => {
    expect(lambdaRow).toContain(
      `(${lastRun.GET + lastRun.HEAD + lastRun.LIST + lastRun.PUT} S3 requests: ${lastRun.GET} GETs, ${lastRun.HEAD} HEADs, ${lastRun.LIST} LISTs and the last-run PUT, whatever the chain's length`,
    );
    expect(lastRun.PUT).toBe(1);
  });

  it("count a day's requests, under the table", () => {
    const near = (documented: number, measured: number) =>
      expect(Math.abs(documented - measured), `${documented} vs ${measured}`).toBeLessThanOrEqual(
        measured * 0.05,
      );
    near(figure(costNotes, /and ([\d ]+) GETs, [\d ]+ HEADs and [\d ]+ LISTs a day/), day.GET);
    near(figure(costNotes, /GETs, ([\d ]+) HEADs and [\d ]+ LISTs a day/), day.HEAD);
    near(figure(costNotes, /HEADs and ([\d ]+) LISTs a day/), day.LIST);
    const [low, high] = (/~([\d ]+)-([\d ]+) PUTs a day/.exec(costNotes) ?? []).slice(1).map(Number);
    expect(day.PUT).toBeGreaterThanOrEqual(low ?? Number.NaN);
    expect(day.PUT).toBeLessThanOrEqual(high ?? Number.NaN);
  });
});
