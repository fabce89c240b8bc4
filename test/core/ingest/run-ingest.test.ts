import { describe, expect, it } from 'vitest';
import type { AuditPage, AuditQuery, AuditSourceStats } from '../../../functions/core/domo/audit-source.ts';
import { DomoConfigError, DomoUnavailableError } from '../../../functions/core/domo/errors.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import type { IngestConfig, IngestDeps } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { readCoverage, writeCoverage } from '../../../functions/core/lake/coverage.ts';
import type { CoverageManifest } from '../../../functions/core/lake/coverage-manifest.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { activityKey, quarantineKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { formatDocString } from '../../../functions/simulator/time-format.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { noWaits } from '../../support/no-waits.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const now = day0 + 2 * 24 * HOUR_MS + 30 * 60_000; // 2026-10-03T00:30Z: hours up to 00:00 are closed

const config = (overrides: Partial<IngestConfig> = {}): IngestConfig => ({
  ...defaultIngestConfig('acme'),
  backfillDays: 2,
  // These runs are the lookback's: the later pull (later-pulls.test.ts) would add its own hours.
  repullAfterHours: 0,
  ...overrides,
});

function setup(entries = spread(48)) {
  const source = new MemoryAuditSource(entries);
  const store = new MemoryObjectStore();
  let clock = now;
  const counts = new Map<string, number>();
  const deps: IngestDeps = {
    ...noWaits,
    source,
    store,
    clock: { now: () => clock },
    log: silentLog,
    metrics: { count: (name, value) => counts.set(name, (counts.get(name) ?? 0) + value) },
  };
  return { source, store, deps, counts, setNow: (ms: number) => (clock = ms) };
}

/** Three events in every hour of the first `hours` hours from day0. */
function spread(hours: number) {
  return Array.from({ length: hours * 3 }, (_, i) =>
    viewEntry(day0 + Math.floor(i / 3) * HOUR_MS + (i % 3) * 600_000, i),
  );
}

/** One hour per span: the run reads hour by hour, as it did before spans. */
const HOURLY = { spanSizing: { targetEvents: 1, maxHours: 1 } };

async function storedEvents(store: MemoryObjectStore, instance = 'acme'): Promise<EventRecord[]> {
  const events: EventRecord[] = [];
  for await (const key of store.list(`activity_log/instance=${instance}/`)) {
    const object = await store.get(key);
    if (object) events.push(...(decodeNdjsonGzip(object.body) as EventRecord[]));
  }
  return events;
}

describe('runIngest', () => {
  it('backfills every closed hour on the first run and moves the watermark to the closed end', async () => {
    const { store, deps, counts } = setup();
    const summary = await runIngest(deps, config());
    expect(summary).toMatchObject({
      mode: 'checkpoint',
      windowsPlanned: 48,
      windowsDone: 48,
      eventsWritten: 144,
      lateEvents: 0,
      watermarkBeforeMs: null,
      watermarkAfterMs: day0 + 48 * HOUR_MS,
      stoppedEarly: null,
      failures: [],
    });
    expect(summary.behindByMs).toBe(30 * 60_000);
    expect((await storedEvents(store)).length).toBe(144);
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms).toBe(day0 + 48 * HOUR_MS);
    expect(counts.get('EventsWritten')).toBe(144);
    expect(counts.get('WindowsCompleted')).toBe(48);
    expect((await verifyLake(store, 'acme')).ok).toBe(true);
  });

  it("keeps an enrich's note in the manifest of an hour it pulls again", async () => {
    const { store, deps, setNow } = setup();
    await runIngest(deps, config());
    const hour = day0 + 47 * HOUR_MS;
    const pulled = await readCoverage(store, 'acme', hour);
    const note = { geo_db_version: 'geo@2', enriched_at: '2026-10-03T00:10:00.000Z' };
    await writeCoverage(store, 'acme', { ...(pulled as CoverageManifest), ...note });
    // The next run pulls the hour again (lookback): its records stay as enrich left them (a stored
    // record wins a merge), so the note stays true and stays.
    setNow(now + HOUR_MS);
    await runIngest(deps, config());
    expect(await readCoverage(store, 'acme', hour)).toMatchObject({ fetch_count: 2, ...note });
    expect(await readCoverage(store, 'acme', hour + HOUR_MS)).not.toHaveProperty('geo_db_version');
  });

  it('re-pulls only the lookback hours next time and counts late events there', async () => {
    const { source, store, deps, setNow } = setup();
    await runIngest(deps, config());
    // An event for 23:xx on day 1 shows up late; one more hour closes.
    source.add(viewEntry(day0 + 47 * HOUR_MS + 5, 999), viewEntry(day0 + 48 * HOUR_MS + 5, 1000));
    setNow(now + HOUR_MS);
    const summary = await runIngest(deps, config());
    expect(summary.windowsPlanned).toBe(3); // two lookback hours + one new
    // The hour before the plan is known to be quiet: the three hours are one span, a page and the
    // empty page that ends it.
    expect(summary.requests).toBe(2);
    expect(summary.lateEvents).toBe(1);
    expect(summary.eventsWritten).toBe(2);
    expect(summary.watermarkAfterMs).toBe(day0 + 49 * HOUR_MS);
    const coverage = await readCoverage(store, 'acme', day0 + 47 * HOUR_MS);
    expect(coverage).toMatchObject({ fetch_count: 2, late_events: 1, late_events_total: 1, event_count: 4 });
  });

  it('duplicates nothing when run again over the same source', async () => {
    const { store, deps, setNow } = setup();
    await runIngest(deps, config());
    const before = new Map([...store.objects].map(([k, v]) => [k, v.etag]));
    // One more hour closes (a run without one pulls no lookback): all 48 stored hours are pulled
    // again (the backfill start, which the lookback never passes, is kept before the first).
    setNow(now + HOUR_MS);
    const again = await runIngest(deps, config({ lookbackHours: 48, backfillDays: 3 }));
    expect(again.eventsWritten).toBe(0);
    expect(again.windowsDone).toBe(49);
    for (const [key, etag] of before)
      if (key.startsWith('activity_log/')) expect(store.objects.get(key)?.etag).toBe(etag);
    expect((await storedEvents(store)).length).toBe(144);
  });

  it('keeps identical twins as separate events, and quarantines what it cannot read', async () => {
    const twin = viewEntry(day0 + 5, 1);
    const { store, deps } = setup([
      twin,
      twin,
      { timeMs: day0 + 6, entry: 'garbage' },
      { timeMs: day0 + 7, entry: { time: 'soon' } },
    ]);
    const summary = await runIngest(deps, config());
    expect(summary.eventsWritten).toBe(2);
    expect(summary.quarantined).toBe(2);
    const ids = (await storedEvents(store)).map((e) => e.event_id);
    expect(ids[1]).toBe(`${ids[0]}-1`);
    const quarantined = decodeNdjsonGzip(
      (await store.get(quarantineKey('acme', day0)))?.body ?? new Uint8Array(),
    );
    expect(quarantined).toHaveLength(2);
    // Re-running quarantines nothing twice.
    await runIngest(deps, config({ lookbackHours: 48 }));
    expect(
      decodeNdjsonGzip((await store.get(quarantineKey('acme', day0)))?.body ?? new Uint8Array()),
    ).toHaveLength(2);
  });

  it('advances the watermark only over an unbroken run of hours when one hour fails', async () => {
    const { source, store, deps } = setup();
    const broken = day0 + 10 * HOUR_MS;
    source.fail = (q) =>
      q.start === broken - 1 ? new DomoUnavailableError('Domo answered 503 six times', 6, 503) : undefined;
    const summary = await runIngest(deps, config({ concurrency: 4 }), HOURLY);
    expect(summary.windowsFailed).toBe(1);
    expect(summary.failures[0]).toEqual({ windowStartMs: broken, message: 'Domo answered 503 six times' });
    expect(summary.stoppedEarly).toBe('fatal-error');
    expect(summary.watermarkAfterMs).toBe(broken);
    expect((await readCheckpoint(store, 'acme'))?.checkpoint.watermark_ms).toBe(broken);
    // Hours pulled after the failed one are stored and re-pulled without duplicates next run.
    source.fail = undefined;
    const next = await runIngest(deps, config());
    expect(next.failures).toEqual([]);
    expect(next.watermarkAfterMs).toBe(day0 + 48 * HOUR_MS);
    expect((await storedEvents(store)).length).toBe(144);
    expect((await verifyLake(store, 'acme')).ok).toBe(true);
  });

  it('reads quiet hours in spans: fewer requests, the same hours, objects and manifests', async () => {
    const spans = setup();
    const summary = await runIngest(spans.deps, config());
    const hourly = setup();
    const hourlySummary = await runIngest(hourly.deps, config(), HOURLY);
    // Hour by hour: a page and an empty page per hour (each page holds 4: the next hour's first
    // entry comes back too; no page has been full, so none ends a range short). In spans: a handful.
    expect(hourly.source.queries).toHaveLength(96);
    expect(spans.source.queries.length).toBeLessThanOrEqual(30);
    expect(summary.requests).toBe(spans.source.queries.length);
    expect(summary).toMatchObject({ windowsDone: 48, eventsWritten: 144, failures: [] });
    // The summary counts the spans: one paging sequence (a first page) each, none split here.
    expect(hourlySummary.spans).toBe(48);
    expect(summary.spans).toBe(spans.source.queries.filter((q) => q.offset === 0).length);
    expect(summary.spans).toBeLessThan(48 / 2);
    expect((await verifyLake(spans.store, 'acme')).ok).toBe(true);
    const idsOf = async (store: MemoryObjectStore) =>
      (await storedEvents(store)).map((e) => `${e.window_start_ms} ${e.event_id}`).sort();
    expect(await idsOf(spans.store)).toEqual(await idsOf(hourly.store));
    for (let h = 0; h < 48; h++) {
      const coverage = await readCoverage(spans.store, 'acme', day0 + h * HOUR_MS);
      expect(coverage?.event_count, `hour ${h}`).toBe(3);
    }
  });

  it('reads with `concurrency` spans at once, and the next span reads while one stores', async () => {
    const { source, store, deps } = setup(spread(6));
    let reading = 0;
    let mostReading = 0;
    const counted = {
      fetchPage: async (query: AuditQuery) => {
        reading++;
        mostReading = Math.max(mostReading, reading);
        try {
          return await source.fetchPage(query);
        } finally {
          reading--;
        }
      },
    };
    // The first hour's events object is written only once another hour has been asked for, or
    // after 500 ms: a run that stored before it read on would wait out the timeout.
    const firstKey = activityKey('acme', day0);
    let readWhileStoring = false;
    const put = store.put.bind(store);
    store.put = async (key, body, options) => {
      if (key === firstKey) {
        const asked = source.queries.length;
        for (let waited = 0; waited < 500 && source.queries.length === asked; waited += 5) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        readWhileStoring = source.queries.some((q) => q.start >= day0 + HOUR_MS);
      }
      return put(key, body, options);
    };
    const summary = await runIngest({ ...deps, source: counted }, config({ concurrency: 1 }), {
      ...HOURLY,
      range: { fromMs: day0, toMs: day0 + 6 * HOUR_MS },
    });
    expect(summary).toMatchObject({ windowsDone: 6, eventsWritten: 18, failures: [] });
    expect(mostReading).toBe(1);
    expect(readWhileStoring).toBe(true);
  });

  it('splits a span that proves full and still stores every event once', async () => {
    const busyHour = day0 + 30 * HOUR_MS;
    const busy = Array.from({ length: 2_500 }, (_, i) => viewEntry(busyHour + i * 1_000, 10_000 + i));
    const { source, store, deps } = setup([...spread(48), ...busy]);
    // A target of 100 events allows 2 pages per span: the span holding the busy hour is full.
    const summary = await runIngest(deps, config(), { spanSizing: { targetEvents: 100, maxHours: 24 } });
    expect(summary).toMatchObject({ windowsDone: 48, eventsWritten: 144 + 2_500, failures: [] });
    const events = await storedEvents(store);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(144 + 2_500);
    expect((await readCoverage(store, 'acme', busyHour))?.event_count).toBe(2_503);
    expect((await verifyLake(store, 'acme')).ok).toBe(true);
    // Hour by hour this would take 96 requests plus the busy hour's extra pages.
    expect(source.queries.length).toBeLessThan(96);
  });

  it('runs busy hours fewer at a time, so the entries held stay near the budget', async () => {
    // 24 hours of 400 events each, 8 workers, at most 1,000 entries held together. The first eight
    // hours start before anything is known; once they have shown 400 events an hour, only two
    // such hours may be fetched and held at once (eight without the budget: ~3,200 entries).
    const busy = Array.from({ length: 24 * 400 }, (_, i) =>
      viewEntry(day0 + Math.floor(i / 400) * HOUR_MS + (i % 400) * 1_000, i),
    );
    const { store, deps } = setup(busy);
    let held = 0;
    let hoursStored = 0;
    let mostHeldLater = 0;
    const source = deps.source;
    deps.source = {
      fetchPage: async (query, signal) => {
        const page = await source.fetchPage(query, signal);
        held += page.entries.length;
        if (hoursStored >= 8) mostHeldLater = Math.max(mostHeldLater, held);
        return page;
      },
    };
    const put = store.put.bind(store);
    store.put = async (key, body, options) => {
      // An hour's events object is written: its entries (and the neighbour's one) are let go.
      if (key.startsWith('activity_log/')) {
        held -= 401;
        hoursStored++;
      }
      return put(key, body, options);
    };
    const summary = await runIngest(deps, config({ concurrency: 8 }), {
      range: { fromMs: day0, toMs: day0 + 24 * HOUR_MS },
      spanSizing: { targetEvents: 100, maxHours: 1 },
      eventsInFlight: 1_000,
    });
    expect(summary).toMatchObject({ windowsDone: 24, eventsWritten: 24 * 400, failures: [] });
    expect(mostHeldLater).toBeGreaterThan(0);
    expect(mostHeldLater).toBeLessThanOrEqual(1_000);
    expect((await verifyLake(store, 'acme')).ok).toBe(true);
  });

  it('stores at most two hours at once, however many spans are in flight', async () => {
    const { store, deps } = setup(spread(24));
    let storing = 0;
    let mostStoring = 0;
    const put = store.put.bind(store);
    store.put = async (key, body, options) => {
      if (!key.startsWith('activity_log/')) return put(key, body, options);
      storing++;
      mostStoring = Math.max(mostStoring, storing);
      await new Promise((resolve) => setTimeout(resolve, 5));
      storing--;
      return put(key, body, options);
    };
    const summary = await runIngest(deps, config({ concurrency: 8 }), {
      range: { fromMs: day0, toMs: day0 + 24 * HOUR_MS },
      ...HOURLY,
    });
    expect(summary).toMatchObject({ windowsDone: 24, eventsWritten: 72, failures: [] });
    expect(mostStoring).toBe(2);
  });

  it('stops everything at once on a configuration error', async () => {
    const { source, deps } = setup();
    source.fail = () =>
      new DomoConfigError('GET /v1/audit answered 403: the client lacks the audit scope', 403);
    const summary = await runIngest(deps, config({ concurrency: 2 }));
    expect(summary.stoppedEarly).toBe('fatal-error');
    expect(summary.windowsDone).toBe(0);
    expect(summary.windowsFailed).toBeLessThanOrEqual(2);
    expect(summary.failures[0]?.message).toMatch(/audit scope/);
  });

  it('stops starting hours when the time budget runs low, and the next run continues', async () => {
    const { deps, store } = setup();
    let left = 10;
    const summary = await runIngest(
      { ...deps, remainingTimeMs: () => (left-- > 0 ? 120_000 : 1_000) },
      config({ concurrency: 1 }),
      HOURLY,
    );
    expect(summary.stoppedEarly).toBe('time-budget');
    expect(summary.windowsDone).toBeGreaterThan(0);
    expect(summary.windowsDone).toBeLessThan(48);
    expect(summary.watermarkAfterMs).toBe(day0 + summary.windowsDone * HOUR_MS);
    // The first run set the watermark from where its backfill began: that is its pace (review
    // R-SRE L2). 48 hours and 30 minutes behind at the start, the newest never closed.
    const done = summary.windowsDone;
    expect(summary.backfillFromMs).toBe(day0);
    expect(summary.runsLeftEstimate).toBe(Math.ceil((47 - done) / done));
    const rest = await runIngest(deps, config());
    expect(rest.watermarkAfterMs).toBe(day0 + 48 * HOUR_MS);
    expect(rest.backfillFromMs).toBeUndefined();
    expect((await storedEvents(store)).length).toBe(144);
  });

  it('pulls exactly an explicit range and leaves the checkpoint alone', async () => {
    const { store, deps } = setup();
    const summary = await runIngest(deps, config(), {
      range: { fromMs: day0 + 3 * HOUR_MS, toMs: day0 + 6 * HOUR_MS },
    });
    expect(summary).toMatchObject({ mode: 'range', windowsPlanned: 3, windowsDone: 3, eventsWritten: 9 });
    expect(await readCheckpoint(store, 'acme')).toBeUndefined();
    // Hours run concurrently (gzip in the thread pool), so they are stored in no set order.
    const keys = [...store.objects.keys()].filter((k) => k.startsWith('activity_log/')).sort();
    expect(keys).toEqual([3, 4, 5].map((h) => activityKey('acme', day0 + h * HOUR_MS)).sort());
  });

  it('recovers from a crash between any two writes of a window without losing or duplicating', async () => {
    for (let crashAt = 1; crashAt <= 4; crashAt++) {
      const { store, deps } = setup(spread(2));
      let puts = 0;
      store.beforePut = () => {
        if (++puts === crashAt) throw new Error('simulated crash');
      };
      await runIngest(deps, config({ concurrency: 1 })).catch(() => undefined);
      store.beforePut = undefined;
      await runIngest(deps, config());
      const events = await storedEvents(store);
      expect(events.length, `crash at put ${crashAt}`).toBe(6);
      expect(new Set(events.map((e) => e.event_id)).size).toBe(6);
      expect((await verifyLake(store, 'acme')).ok).toBe(true);
    }
  });

  it('loses nothing when another run writes the same hour concurrently, and its manifest stays true', async () => {
    const { source, store, deps } = setup(spread(1));
    let once = true;
    store.beforePut = async (key) => {
      if (once && key.startsWith('activity_log/')) {
        once = false;
        // The other run sees one more event than this one did.
        source.add(viewEntry(day0 + 20 * 60_000, 77));
        await runIngest(deps, config(), { range: { fromMs: day0, toMs: day0 + HOUR_MS } });
      }
    };
    await runIngest(deps, config(), { range: { fromMs: day0, toMs: day0 + HOUR_MS } });
    expect((await storedEvents(store)).length).toBe(4);
    expect(await readCoverage(store, 'acme', day0)).toMatchObject({ event_count: 4, fetch_count: 2 });
    expect((await verifyLake(store, 'acme', { fromMs: day0, toMs: day0 + HOUR_MS })).ok).toBe(true);
  });

  it('rewrites the manifest from what is stored when another pull wrote it first', async () => {
    const { source, store, deps } = setup(spread(1));
    let once = true;
    store.beforePut = async (key) => {
      if (once && key.startsWith('coverage/')) {
        once = false;
        source.add(viewEntry(day0 + 30 * 60_000, 88));
        await runIngest(deps, config(), { range: { fromMs: day0, toMs: day0 + HOUR_MS } });
      }
    };
    await runIngest(deps, config(), { range: { fromMs: day0, toMs: day0 + HOUR_MS } });
    expect(await readCoverage(store, 'acme', day0)).toMatchObject({ event_count: 4, fetch_count: 2 });
    expect((await verifyLake(store, 'acme', { fromMs: day0, toMs: day0 + HOUR_MS })).ok).toBe(true);
  });

  it('reports a checkpoint that cannot be saved instead of crashing, and keeps what it pulled', async () => {
    const { store, deps } = setup(spread(6));
    store.beforePut = async (key) => {
      // Real asynchrony, so a rejection nobody handles would surface as one.
      await new Promise((resolve) => setImmediate(resolve));
      if (key.startsWith('state/')) throw new Error('AccessDenied: s3:PutObject on state/');
    };
    const summary = await runIngest(deps, config({ concurrency: 2 }));
    expect(summary.stoppedEarly).toBe('fatal-error');
    expect(summary.failures[0]?.message).toMatch(/^the checkpoint could not be saved: AccessDenied/);
    expect(summary.watermarkAfterMs).toBeNull();
    expect(summary.windowsDone).toBeGreaterThan(0);
    store.beforePut = undefined;
    const next = await runIngest(deps, config());
    expect(next.failures).toEqual([]);
    expect((await storedEvents(store)).length).toBe(18);
  });

  it('aborts windows still running when the deadline is nearly reached, without calling them failures', async () => {
    const { source, deps } = setup();
    let left = 120_000;
    // Domo hangs; the deadline comes closer while the run waits.
    source.fetchPage = (_query: AuditQuery, signal?: AbortSignal) =>
      new Promise<AuditPage>((_resolve, reject) => {
        left = 50;
        signal?.addEventListener('abort', () => reject(signal.reason));
      });
    // A margin of 400 ms: hours in flight are aborted under 100 ms left, checked every 10 ms.
    const summary = await runIngest(
      { ...deps, remainingTimeMs: () => left },
      config({ concurrency: 2, budgetMarginMs: 400 }),
    );
    expect(summary).toMatchObject({ stoppedEarly: 'time-budget', windowsDone: 0, windowsFailed: 0 });
    expect(summary.watermarkAfterMs).toBeNull();
    expect(summary.behindByMs).toBe(now - day0);
    // No hour failed, but a run that is behind and saves nothing is itself a failure (next test).
    expect(summary.outcome).toBe('no-progress');
  });
});

describe('time strings without a zone (Domo documented form)', () => {
  /** 3 sign-ins in each of 24 hours, their times written on a New York wall clock. */
  const newYork = () =>
    spread(24).map((e) => ({
      ...e,
      entry: { ...(e.entry as object), time: formatDocString(e.timeMs, 'America/New_York') },
    }));

  it('with a wrong docTimeZone: quarantined with the reason, none stored; with the right one: each once', async () => {
    const { source, store, deps } = setup(newYork());
    const range = { fromMs: day0, toMs: day0 + 24 * HOUR_MS };
    // Read as UTC, every time is 4 hours early (EDT): none may land in an hour it is not in.
    const wrong = await runIngest(deps, config({ docTimeZone: 'UTC' }), { range });
    expect(wrong).toMatchObject({ windowsDone: 24, eventsWritten: 0, failures: [] });
    // Each at least once: one at an hour's start is also returned by the request of the hour before.
    expect(wrong.quarantined).toBe(72 + 23);
    const quarantined = await store.get(quarantineKey('acme', day0 + 10 * HOUR_MS));
    expect(JSON.stringify(decodeNdjsonGzip(quarantined?.body ?? new Uint8Array()))).toMatch(
      /outside the requested range .*docTimeZone, now UTC/,
    );
    const right = await runIngest(deps, config({ docTimeZone: 'America/New_York' }), { range });
    expect(right).toMatchObject({ windowsDone: 24, eventsWritten: 72, failures: [] });
    const events = await storedEvents(store);
    expect(events).toHaveLength(72);
    for (const event of events) expect(event.event_time_ms - event.window_start_ms).toBeLessThan(HOUR_MS);
    // Read hour by hour once the times proved zone-less: about two requests per hour, not a span's
    // requests first and each hour's on top. In the right zone the entry at the next hour's start,
    // which each hour's request returns too, reads as the neighbour's: its second is read once to
    // confirm it is (zoneless-neighbours.ts), 23 reads of about two requests.
    expect(source.queries.length).toBeLessThanOrEqual(2 * (24 + 24 + 23) + 4);
  });
});

describe('a run that makes no progress', () => {
  /** Domo serves a full page for every request and never ends the hour; each page costs a tick of the deadline. */
  function endlessPages(deps: IngestDeps, budgetPages: number) {
    let left = budgetPages;
    const remaining = () => (left > 0 ? 600_000 : -1);
    const source = {
      fetchPage: async (query: AuditQuery, signal?: AbortSignal): Promise<AuditPage> => {
        // A real answer takes time: let the deadline's watchdog run.
        await new Promise((resolve) => setImmediate(resolve));
        if (signal?.aborted) throw signal.reason;
        left--;
        // Times a few ms apart: more rows of one time than a page fail the hour at once.
        const entries = Array.from(
          { length: query.limit },
          (_, i) => viewEntry(query.end - 1 - ((query.offset + i) % 100), query.offset + i).entry,
        );
        return { entries, entryTexts: entries.map((e) => JSON.stringify(e)), requests: 1 };
      },
    };
    return { ...deps, source, remainingTimeMs: remaining };
  }

  it('is a failure when the lake is behind and no hour is saved: outcome, failures and a metric', async () => {
    const { deps, counts } = setup();
    const summary = await runIngest(endlessPages(deps, 7), config({ concurrency: 1, budgetMarginMs: 0 }));
    expect(summary).toMatchObject({
      outcome: 'no-progress',
      windowsDone: 0,
      windowsFailed: 0,
      stoppedEarly: 'time-budget',
    });
    expect(summary.failures).toHaveLength(1);
    expect(summary.failures[0]?.windowStartMs).toBe(day0);
    expect(summary.failures[0]?.message).toMatch(
      /^no progress: the lake is behind, yet the run saved no hour from 2026-10-01T00:00:00\.000Z on before it stopped \(time-budget\); Domo served \d+ page\(s\) meanwhile \(in \d+ request\(s\); requests that brought no page, failed or cut short by the stop, are not counted\)\. .*: see the run's log for each request and its answer \(its `Domo request will be retried` lines\) and the ApiRetries metric$/,
    );
    expect(counts.get('RunsWithoutProgress')).toBe(1);
  });

  it('counts the requests its client made, and names a long Retry-After as the cause (review R-ONCALL M3)', async () => {
    const { deps } = setup();
    const stats: AuditSourceStats = { requests: 2, retries: 1, throttledRetries: 0 };
    let asked = false;
    const source = {
      stats: () => ({ ...stats }),
      // The client's attempts at the first page: 429s asking for 900 s, until the run stops it.
      fetchPage: (_query: AuditQuery, signal?: AbortSignal): Promise<AuditPage> => {
        asked = true;
        Object.assign(stats, {
          requests: stats.requests + 5,
          retries: stats.retries + 4,
          throttledRetries: 4,
          lastRetry: { status: 429, retryAfterMs: 900_000 },
        });
        return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));
      },
    };
    const summary = await runIngest(
      { ...deps, source, remainingTimeMs: () => (asked ? -1 : 600_000) },
      config({ concurrency: 1, budgetMarginMs: 0 }),
    );
    expect(summary.outcome).toBe('no-progress');
    const message = summary.failures[0]?.message ?? '';
    expect(message).toContain('Domo served 0 page(s) meanwhile, in the 5 request(s) the run made');
    expect(message).toContain(
      'Every answer retried was a 429 (Domo throttling this client), the last asking to wait 900 s (Retry-After)',
    );
    expect(message).toContain('`Domo request will be retried`');
  });

  it('is a failure in range mode too', async () => {
    const { deps } = setup();
    const summary = await runIngest(endlessPages(deps, 3), config({ budgetMarginMs: 0 }), {
      range: { fromMs: day0, toMs: day0 + 2 * HOUR_MS },
    });
    expect(summary.outcome).toBe('no-progress');
    expect(summary.failures[0]?.windowStartMs).toBe(day0);
  });

  it('is not a failure when the lake is not behind (only lookback hours were planned)', async () => {
    const { deps, setNow } = setup();
    await runIngest(deps, config());
    setNow(now + 10 * 60_000); // the same closed hours: nothing new after the watermark
    const summary = await runIngest({ ...deps, remainingTimeMs: () => 0 }, config());
    expect(summary).toMatchObject({ outcome: 'partial', windowsDone: 0, failures: [] });
  });

  it('tells complete, partial and failed runs apart', async () => {
    const { deps } = setup();
    let left = 5;
    const partial = await runIngest(
      { ...deps, remainingTimeMs: () => (left-- > 0 ? 120_000 : 1_000) },
      config({ concurrency: 1 }),
      HOURLY,
    );
    expect(partial.outcome).toBe('partial');
    expect((await runIngest(deps, config())).outcome).toBe('complete');
    const failing = setup();
    failing.source.fail = () => new DomoUnavailableError('Domo is down', 6, 503);
    expect((await runIngest(failing.deps, config())).outcome).toBe('failed');
  });
});
