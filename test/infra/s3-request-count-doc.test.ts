import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { noteRunForStatus } from '../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import type { DigestSigner } from '../../functions/core/lake/digest.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { CountingStore, type RequestKind } from '../support/counting-store.ts';
import { MemoryAuditSource, viewEntry } from '../support/memory-audit-source.ts';
import { quietIngestDeps } from '../support/quiet-ingest-deps.ts';

// review FINOPS (2026-12-07): the cost notes counted 603 HEADs and 96 LISTs a day, and a run with
// nothing to pull at ~24 requests with 13 HEADs growing as 2·log2 of the digests, from before each
// run found the end of the digest chain from the last run's digest (2 HEADs and 2 LISTs a run,
// whatever the chain's length). This test counts the requests of the schedule's runs on the
// defaults and holds the notes' figures to them.
const OPERATIONS = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
const costNotes = OPERATIONS.slice(OPERATIONS.indexOf('## Cost notes'));
const lambdaRow = costNotes.split('\n').find((line) => line.startsWith('| Lambda ')) ?? '';

const DAY0 = Date.parse('2026-11-18T00:00:00Z');
const MINUTE = 60_000;
const RUNS_AN_HOUR = 4;
const HOURS_COUNTED = 8;
const digestSigner: DigestSigner = {
  keyId: 'arn:aws:kms:eu-west-1:123456789012:key/test',
  sign: async () => new Uint8Array([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]),
};

/**
 * The requests of the schedule's runs (15 minutes apart from 00:07, the first a backfill of the day
 * before) over 8 hours after the backfill's hour, 60 events an hour, times 3: a day's; and those of
 * the last run, one with nothing to pull.
 */
async function countedDay() {
  const source = new MemoryAuditSource(
    Array.from({ length: 60 * 34 }, (_, i) => viewEntry(DAY0 - 24 * HOUR_MS + i * MINUTE, i)),
  );
  const store = new CountingStore();
  const config = defaultIngestConfig('acme');
  let before = { ...store.counts };
  let lastRun = { ...store.counts };
  for (let run = 0; run < RUNS_AN_HOUR * (HOURS_COUNTED + 1); run++) {
    if (run === RUNS_AN_HOUR) before = { ...store.counts };
    const now = DAY0 + 7 * MINUTE + run * 15 * MINUTE;
    const atStart = { ...store.counts };
    const summary = await runIngest({ ...quietIngestDeps(source, store, now), digestSigner }, config);
    await noteRunForStatus(store, { summary, stopped: false, lakeMadeNow: false }, now, 'schedule', null);
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
