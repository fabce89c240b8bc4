import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { SpanPlanner } from '../../../functions/core/ingest/span-plan.ts';
import { activityKey, HOUR_MS } from '../../../functions/core/lake/layout.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

// Spans take a share of the entries in flight before they are read. The share was what the span
// was expected to hold at the busiest hour seen, decayed by 10 % per span so that one burst does
// not shrink spans for the rest of a long backfill. After a quiet night that peak is a fraction of
// the day's, and the spans drawn at dawn read several times what they had taken: in the bench's
// 1M-event month the spans in flight held up to ~27,000 entries against a budget of 16,000.

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const BUSY = 400;
const QUIET = 5;
const HOURS = 26;
// A busy hour, twelve quiet ones (the night), then busy hours again (the day).
const eventsIn = (h: number) => (h === 0 || h > 12 ? BUSY : QUIET);

describe('the entries in flight after quiet hours', () => {
  it('stay within the budget when the day comes back', async () => {
    const entries = Array.from({ length: HOURS }, (_, h) =>
      Array.from({ length: eventsIn(h) }, (_, k) => viewEntry(hour(h) + 1_000 + k * 1_000, h * 1_000 + k)),
    ).flat();
    const domo = new MemoryAuditSource(entries);
    let held = 0;
    let mostHeld = 0;
    const source = {
      fetchPage: async (...args: Parameters<MemoryAuditSource['fetchPage']>) => {
        // Pages take a while, as over the network: spans in flight read at the same time.
        await new Promise((resolve) => setTimeout(resolve, 5));
        const page = await domo.fetchPage(...args);
        held += page.entries.length;
        mostHeld = Math.max(mostHeld, held);
        return page;
      },
    };
    const store = new MemoryObjectStore();
    store.beforePut = (key) => {
      // An hour's events object is written: its entries are let go.
      for (let h = 0; h < HOURS; h++) if (key === activityKey('acme', hour(h))) held -= eventsIn(h);
    };
    const config = { ...defaultIngestConfig('acme'), concurrency: 8, lookbackHours: 0 };
    const summary = await runIngest(quietIngestDeps(source, store, hour(HOURS) + 30 * 60_000), config, {
      range: { fromMs: hour(0), toMs: hour(HOURS) },
      spanSizing: { targetEvents: 100, maxHours: 1 },
      eventsInFlight: 1_000,
    });
    expect(summary).toMatchObject({ failures: [], eventsWritten: 14 * BUSY + 12 * QUIET });
    expect(mostHeld).toBeGreaterThanOrEqual(2 * BUSY);
    expect(mostHeld).toBeLessThanOrEqual(1_000);
  });
});

describe('SpanPlanner.shareOf', () => {
  const oneHour = { startMs: hour(0), endMs: hour(1) };
  const sixHours = { startMs: hour(0), endMs: hour(6) };

  it('is the expectation while nothing busier was seen', () => {
    const planner = new SpanPlanner({ targetEvents: 1_000, maxHours: 24 });
    expect(planner.shareOf(oneHour, 2_000)).toBe(1_000);
    planner.observe(oneHour, 300);
    expect(planner.shareOf(sixHours, 2_000)).toBe(1_800);
  });

  it('keeps the busiest hour seen after the peak decays, at most a part for several hours', () => {
    const planner = new SpanPlanner({ targetEvents: 1_000, maxHours: 24 });
    planner.observe(oneHour, 500);
    for (let i = 0; i < 20; i++) planner.observe(oneHour, 10);
    expect(planner.expectedEvents(oneHour)).toBeLessThan(100);
    expect(planner.shareOf(oneHour, 2_000)).toBe(500);
    expect(planner.shareOf(sixHours, 2_000)).toBe(2_000);
  });
});
