import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import {
  INGEST_METRICS,
  USUALLY_ZERO_INGEST_METRICS,
} from '../../../functions/core/ingest/ingest-metrics.ts';
import type { IngestSummary } from '../../../functions/core/ingest/ingest-types.ts';
import { noteRunForStatus } from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import type { DigestSigner } from '../../../functions/core/lake/digest.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { SummingMetricSink } from '../../../functions/shared/summing-metric-sink.ts';
import { HANDLER_METRICS } from '../../../functions/shared/telemetry.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// review R-FINOPS H1: the metrics row said 4 to 7 metrics sent every run ($1.20-2.10) where the
// ingest sends 6 in every hour ($1.80), and left out two metrics sent only in some hours; the
// totals under it were older still. CloudWatch bills a custom metric for each hour it gets a data
// point, so the row's floor is the set of names published in every hour of a quiet day. This test
// measures that set on the defaults and holds the row to it, and fails when the ingest can emit a
// metric the row does not name.
const OPERATIONS = readFileSync(new URL('../../../docs/operations.md', import.meta.url), 'utf8');
const metricsRow = OPERATIONS.split('\n').find((line) => line.startsWith('| Custom metrics')) ?? '';
const inAll = OPERATIONS.split('\n\n').find((paragraph) => paragraph.startsWith('**In all**')) ?? '';
const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const readmeCost = README.split('\n\n').find((paragraph) => paragraph.startsWith('**Cost**:')) ?? '';

/** The backticked names of the row's part that starts with `lead` and ends at the next ")". */
const namesAfter = (lead: string): string[] => {
  const start = metricsRow.indexOf(lead);
  if (start < 0) return [];
  const part = metricsRow.slice(start + lead.length, metricsRow.indexOf(')', start + lead.length));
  return [...part.matchAll(/`(\w+)`/g)].map((match) => match[1] as string).sort();
};
const EVERY_HOUR_LEAD = 'metrics per instance sent in every hour (';
const SOME_HOURS_LEAD = 'only in the hours they are not 0 (';

/** CloudWatch's price of a custom metric sent in every hour of a month. */
const PER_METRIC_USD = 0.3;

const DAY0 = Date.parse('2026-11-18T00:00:00Z');
const MINUTE = 60_000;
const digestSigner: DigestSigner = {
  keyId: 'arn:aws:kms:eu-west-1:123456789012:key/test',
  sign: async () => new Uint8Array([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]),
};

/**
 * The names functions/ingest/handler.ts publishes for one scheduled run: the core's totals through
 * the handler's sink (0s of the usually-zero ones left out), then the handler's own (LagSeconds,
 * LateEventDelaySeconds, RunSucceeded) by the handler's rules for a scheduled run.
 */
function publishedNames(sink: SummingMetricSink, summary: IngestSummary): string[] {
  const names: string[] = [];
  sink.publishTo({ addMetric: (name) => names.push(name) });
  if (summary.behindByMs !== null) names.push(HANDLER_METRICS.lagSeconds);
  if (summary.lateByAtLeastMs !== null) names.push(HANDLER_METRICS.lateEventDelaySeconds);
  if (summary.failures.length === 0) names.push(HANDLER_METRICS.runSucceeded);
  return names;
}

/** The names published in each clock hour of 8 hours of scheduled runs after the first day's backfill. */
async function namesByHour(): Promise<Set<string>[]> {
  // An event every 5 minutes from a day before the first run to the end of the runs.
  const source = new MemoryAuditSource(
    Array.from({ length: 12 * 34 }, (_, i) => viewEntry(DAY0 - 24 * HOUR_MS + i * 5 * MINUTE, i)),
  );
  const store = new MemoryObjectStore();
  const config = defaultIngestConfig('acme');
  const hours: Set<string>[] = [];
  // The schedule's runs, 15 minutes apart, from 00:07 (the first, a backfill) for 9 hours.
  for (let run = 0; run < 36; run++) {
    const now = DAY0 + 7 * MINUTE + run * 15 * MINUTE;
    const sink = new SummingMetricSink(USUALLY_ZERO_INGEST_METRICS);
    const summary = await runIngest(
      { ...quietIngestDeps(source, store, now), metrics: sink, digestSigner },
      config,
    );
    await noteRunForStatus(store, { summary, stopped: false, lakeMadeNow: false }, now, 'schedule', null);
    const hour = Math.floor(run / 4);
    if (hour === 0) continue; // the backfill's hour
    hours[hour - 1] ??= new Set();
    for (const name of publishedNames(sink, summary)) hours[hour - 1]?.add(name);
  }
  return hours;
}

const dollars = (usd: number) => `$${usd.toFixed(2)}`;

describe("the cost notes' custom metrics (docs/operations.md, Custom metrics)", () => {
  it('name every metric the ingest can emit, each in one of the two lists', () => {
    const emittable = [...Object.values(INGEST_METRICS), ...Object.values(HANDLER_METRICS)].sort();
    const documented = [...namesAfter(EVERY_HOUR_LEAD), ...namesAfter(SOME_HOURS_LEAD)].sort();
    expect(documented, metricsRow).toEqual(emittable);
  });

  it('list and price the metrics a quiet instance sends in every hour of the defaults', async () => {
    const hours = await namesByHour();
    expect(hours).toHaveLength(8);
    const everyHour = [...(hours[0] ?? [])].filter((name) => hours.every((hour) => hour.has(name))).sort();
    expect(namesAfter(EVERY_HOUR_LEAD)).toEqual(everyHour);
    const floor = dollars(everyHour.length * PER_METRIC_USD);
    expect(metricsRow).toContain(`${everyHour.length} metrics per instance sent in every hour`);
    expect(metricsRow).toContain(`at $0.30 each: **${floor}**`);
    // The totals under the table start from the same floor.
    expect(inAll).toContain(`metrics ${floor}-`);
  });

  it("are summed in the README's cost line as in the notes' totals", () => {
    const totals = [...inAll.matchAll(/\*\*(\$[\d.]+-[\d.]+)/g)].map((match) => match[1] as string);
    expect(totals).toHaveLength(2);
    for (const total of totals) expect(readmeCost.replace(/\s+/g, ' ')).toContain(total);
  });
});
