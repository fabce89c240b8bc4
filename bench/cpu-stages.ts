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
import { execFile } from 'node:child_process';
import { hash as oneShotHash } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { decodeAuditPage } from '../functions/core/domo/audit-client.ts';
import { ResponseBody } from '../functions/core/domo/bounded-body.ts';
import { canonicalJson, ENTRY_LIMITS } from '../functions/core/domo/canonical-json.ts';
import { compileCategoryRules, DEFAULT_CATEGORY_RULES } from '../functions/core/domo/category-rules.ts';
import { compareEvents, normaliseWindow } from '../functions/core/ingest/normalise-window.ts';
import type { ServedEntry } from '../functions/core/ingest/served-entry.ts';
import type { EventRecord } from '../functions/core/lake/event-record.ts';
import { LAKE_GZIP_LEVEL, ndjsonBytes } from '../functions/core/lake/ndjson.ts';
import { floorHour, HOUR_MS } from '../functions/core/time-units.ts';
import { median } from './median.ts';
import { type WorkloadSpec, workloadEvents } from './workload.ts';

const PAGE = 1000;

interface StageFigure {
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
  /** The same records as a compact line (see {@link compactLine}): not the lake's contract, a figure for the decision. */
  compact: {
    lineBytes: number;
    encodeUsPerEvent: number;
    gzipUsPerEvent: number;
    /** Decode and normalise as today, then the compact line encoded and gzipped. */
    ceilingEventsPerCpuS: number;
    /** The id alone as the contract makes it (canonical JSON + sha256), and sha256 of the bytes as served. */
    canonicalIdUsPerEvent: number;
    bytesIdUsPerEvent: number;
    /** The same with ids from the bytes as served (the suggestion; every stored id would change). */
    bytesIdCeilingEventsPerCpuS: number;
  };
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
    const startMs = floorHour(event.timeMs);
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

/**
 * The line a lake storing "what Domo sent plus the derived few" would write: the columns the ingest
 * derives (id, time, category, window, provenance, geo) and the entry's text embedded as a JSON
 * object, unescaped, in place of the 19 columns that repeat it and the escaped `raw`. A prototype
 * for docs/performance.md's "Targets" (what the CPU path would cost with it), written by nothing.
 */
function compactLine(record: EventRecord): string {
  const derived = JSON.stringify({
    event_id: record.event_id,
    event_time: record.event_time,
    event_time_ms: record.event_time_ms,
    category: record.category,
    window_start_ms: record.window_start_ms,
    window_end_ms: record.window_end_ms,
    ingested_at: record.ingested_at,
    run_id: record.run_id,
    ip_country: record.ip_country,
    ip_asn: record.ip_asn,
    ip_org: record.ip_org,
    geo_db_version: record.geo_db_version,
  });
  return `${derived.slice(0, -1)},"entry":${record.raw}}\n`;
}

/** Compact lines of an hour as UTF-8 in one buffer, the way ndjsonBytes writes the lake's lines. */
function compactBytes(records: readonly EventRecord[]): Buffer {
  let buffer = Buffer.allocUnsafe(Math.max(4096, records.length * 800));
  let used = 0;
  for (const record of records) {
    const line = compactLine(record);
    const most = line.length * 3;
    if (used + most > buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(buffer.length * 2, used + most));
      buffer.copy(grown, 0, 0, used);
      buffer = grown;
    }
    used += buffer.write(line, used, 'utf8');
  }
  return buffer.subarray(0, used);
}

/** CPU microseconds of each stage over every hour, the hours one after another as the ingest stores them. */
function round(hours: readonly Hour[]): {
  micros: number[];
  lineBytes: number;
  receivedBytes: number;
  compactLineBytes: number;
} {
  const categorize = compileCategoryRules(DEFAULT_CATEGORY_RULES);
  const micros = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  let lineBytes = 0;
  let receivedBytes = 0;
  let compactLineBytes = 0;
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
    const compact = timed(5, () => compactBytes(records));
    timed(6, () => gzipSync(compact, { level: LAKE_GZIP_LEVEL }));
    timed(7, () => served.map((e) => oneShotHash('sha256', canonicalJson(e.value, ENTRY_LIMITS), 'hex')));
    timed(8, () => served.map((e) => oneShotHash('sha256', e.text, 'hex')));
    lineBytes += text.length;
    receivedBytes += received.length;
    compactLineBytes += compact.length;
  }
  return { micros, lineBytes, receivedBytes, compactLineBytes };
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
  const compactEncode = perEvent(5);
  const compactGzip = perEvent(6);
  // Decode and normalise as today: a compact line still needs the id, the time, the category and
  // the address read from each entry (building fewer columns would save a little of normalise).
  const compactTotal = perEvent(0) + perEvent(1) + compactEncode + compactGzip;
  const bytesIdTotal = compactTotal - perEvent(7) + perEvent(8);
  return {
    events,
    rounds,
    stages,
    ceilingEventsPerCpuS: 1e6 / total,
    lineBytes: (first?.lineBytes ?? 0) / events,
    receivedBytes: (first?.receivedBytes ?? 0) / events,
    receivedGzipUsPerEvent: perEvent(4),
    compact: {
      lineBytes: (first?.compactLineBytes ?? 0) / events,
      encodeUsPerEvent: compactEncode,
      gzipUsPerEvent: compactGzip,
      ceilingEventsPerCpuS: 1e6 / compactTotal,
      canonicalIdUsPerEvent: perEvent(7),
      bytesIdUsPerEvent: perEvent(8),
      bytesIdCeilingEventsPerCpuS: 1e6 / bytesIdTotal,
    },
  };
}

const execFileAsync = promisify(execFile);

/**
 * {@link benchCpuStages} in a fresh process of `node` (the Lambdas' runtime), through tsx's loader
 * as the bench itself runs: the loader's work is done at import, before any stage is timed.
 */
export async function benchCpuStagesOn(node: string, spec: WorkloadSpec, rounds: number): Promise<CpuStages> {
  const { stdout } = await execFileAsync(
    node,
    ['--import', 'tsx', join(import.meta.dirname, 'cpu-stages-child.ts'), JSON.stringify({ spec, rounds })],
    { cwd: join(import.meta.dirname, '..'), env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 2 ** 20 },
  );
  return JSON.parse(stdout) as CpuStages;
}
