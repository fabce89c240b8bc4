/**
 * The CPU path of one ingest stage by stage, in this process, without HTTP, storage, start-up or
 * the span machinery: the audit pages of the workload as the simulator serves them, decoded,
 * normalised into lake records (canonical JSON, sha256, columns), encoded as NDJSON and gzipped
 * at the lake's level, each stage timed in CPU seconds (every thread of the process, GC included).
 *
 * Its sum is the most events per CPU second the ingest's code can reach on this machine whatever
 * the rest does; the gzip of what Domo sent, alone, shows what a stored line of only the received
 * entry would cost instead. Figures for docs/performance.md, not assertions.
 */
import { gzipSync } from 'node:zlib';
import { decodeAuditPage } from '../functions/core/domo/audit-client.ts';
import { ResponseBody } from '../functions/core/domo/bounded-body.ts';
import { compileCategoryRules, DEFAULT_CATEGORY_RULES } from '../functions/core/domo/category-rules.ts';
import type { ServedEntry } from '../functions/core/ingest/fetch-range.ts';
import { compareEvents, normaliseWindow } from '../functions/core/ingest/normalise-window.ts';
import { HOUR_MS } from '../functions/core/lake/layout.ts';
import { LAKE_GZIP_LEVEL, ndjsonBytes } from '../functions/core/lake/ndjson.ts';
import { type WorkloadSpec, workloadEvents } from './workload.ts';

const PAGE = 1000;

export interface StageFigure {
  stage: string;
  /** CPU microseconds per event, the median of the rounds. */
  usPerEvent: number;
}

export interface CpuStages {
  events: number;
  rounds: number;
  stages: StageFigure[];
  /** 1e6 / the sum of the ingest's stages: its ceiling in events per CPU second on this machine. */
  ceilingEventsPerCpuS: number;
  /** Bytes per event: the stored line, and the entry as Domo sent it. */
  lineBytes: number;
  receivedBytes: number;
  /** CPU µs per event to gzip only the received entries, one per line (a line of nothing else). */
  receivedGzipUsPerEvent: number;
}

interface Hour {
  startMs: number;
  pages: Buffer[];
}

/** The workload's entries per UTC hour, as pages of JSON bytes the way the simulator serves them. */
function hoursOf(spec: WorkloadSpec): { hours: Hour[]; events: number } {
  const byHour = new Map<number, Record<string, unknown>[]>();
  const events = workloadEvents(spec);
  for (const event of events) {
    const startMs = Math.floor(event.timeMs / HOUR_MS) * HOUR_MS;
    const list = byHour.get(startMs) ?? [];
    list.push({ ...event.entry, time: event.timeMs });
    byHour.set(startMs, list);
  }
  const hours = [...byHour].map(([startMs, entries]) => {
    const pages: Buffer[] = [];
    for (let i = 0; i < entries.length; i += PAGE) {
      pages.push(Buffer.from(JSON.stringify(entries.slice(i, i + PAGE))));
    }
    return { startMs, pages };
  });
  return { hours, events: events.length };
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** CPU microseconds of each stage over every hour, the hours one after another as the ingest stores them. */
function round(hours: readonly Hour[]): { micros: number[]; lineBytes: number; receivedBytes: number } {
  const categorize = compileCategoryRules(DEFAULT_CATEGORY_RULES);
  const micros = [0, 0, 0, 0, 0];
  let lineBytes = 0;
  let receivedBytes = 0;
  const timed = <T>(stage: number, work: () => T): T => {
    const before = process.cpuUsage();
    const result = work();
    const used = process.cpuUsage(before);
    micros[stage] = (micros[stage] ?? 0) + used.user + used.system;
    return result;
  };
  for (const hour of hours) {
    const served = timed(0, () =>
      hour.pages.flatMap((bytes): ServedEntry[] => {
        const page = decodeAuditPage(new ResponseBody(bytes), PAGE);
        if (!page.ok) throw new Error(`bench page does not decode: ${page.reason}`);
        const { entries, entryTexts } = page.value;
        return entries.map((value, i) => ({ value, text: entryTexts[i] as string }));
      }),
    );
    const window = { startMs: hour.startMs, endMs: hour.startMs + HOUR_MS };
    const ctx = {
      categorize,
      docTimeZone: 'UTC',
      ingestedAt: '2026-11-02T00:05:00.000Z',
      runId: '20261102T000500Z-bench0',
      requestedStartMs: window.startMs,
      requestedEndMs: window.endMs - 1,
    };
    const records = timed(1, () => normaliseWindow(served, window, ctx).records.sort(compareEvents));
    const text = timed(2, () => ndjsonBytes(records));
    timed(3, () => gzipSync(text, { level: LAKE_GZIP_LEVEL }));
    const received = Buffer.from(served.map((e) => `${e.text}\n`).join(''));
    timed(4, () => gzipSync(received, { level: LAKE_GZIP_LEVEL }));
    lineBytes += text.length;
    receivedBytes += received.length;
  }
  return { micros, lineBytes, receivedBytes };
}

export function benchCpuStages(spec: WorkloadSpec, rounds: number): CpuStages {
  const { hours, events } = hoursOf(spec);
  round(hours); // warm-up: V8 compiles the hot paths before anything is timed
  const results = Array.from({ length: rounds }, () => round(hours));
  const perEvent = (index: number) => median(results.map((r) => r.micros[index] ?? 0)) / events;
  const stages: StageFigure[] = [
    { stage: 'decode pages (split, JSON.parse)', usPerEvent: perEvent(0) },
    { stage: 'normalise (canonical JSON, sha256, columns)', usPerEvent: perEvent(1) },
    { stage: 'encode lines (JSON.stringify, UTF-8)', usPerEvent: perEvent(2) },
    { stage: `gzip level ${LAKE_GZIP_LEVEL}`, usPerEvent: perEvent(3) },
  ];
  const total = stages.reduce((sum, s) => sum + s.usPerEvent, 0);
  const first = results[0];
  return {
    events,
    rounds,
    stages,
    ceilingEventsPerCpuS: 1e6 / total,
    lineBytes: (first?.lineBytes ?? 0) / events,
    receivedBytes: (first?.receivedBytes ?? 0) / events,
    receivedGzipUsPerEvent: perEvent(4),
  };
}
