import {
  CheckpointWriter,
  type CheckpointWriterDeps,
} from '../../functions/core/ingest/checkpoint-writer.ts';
import { advanceCheckpoint, type CheckpointAdvance } from '../../functions/core/lake/checkpoint.ts';
import type { ObjectStore } from '../../functions/core/ports.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from './memory-audit-source.ts';

/** The clock of the two-first-runs tests: three days of hours from `day0`, now half past h(72). */
export const day0 = Date.parse('2026-10-01T00:00:00Z');
export const h = (n: number) => day0 + n * HOUR_MS;
export const NOW = h(72) + 30 * 60_000;
/** The first hour of the run with two days of backfill before now. */
export const B_FIRST = h(24);
/** One hour per span, so each hour moves the watermark with its own checkpoint write. */
export const oneHourSpans = { spanSizing: { targetEvents: 1, maxHours: 1 } };
/** Three views an hour, from `day0` for `hours` hours. */
export const viewsSource = (hours: number) =>
  new MemoryAuditSource(Array.from({ length: hours * 3 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)));

/** Writes the checkpoint of instance `acme` at `watermarkMs` as run `runId` (`more`: its plan, …). */
export const storeCheckpoint = (
  store: ObjectStore,
  runId: string,
  watermarkMs: number,
  more: Partial<CheckpointAdvance> = {},
) => advanceCheckpoint(store, 'acme', { watermarkMs, runId, codeVersion: 'x', now: NOW, ...more });

/**
 * A checkpoint writer of instance `acme` for run `runId` planned from `planFromMs`, that read no
 * checkpoint at its start; a failure or a reset throws unless `more` handles it.
 */
export const writerFor = (
  store: ObjectStore,
  runId: string,
  planFromMs: number,
  more: Partial<CheckpointWriterDeps> = {},
) =>
  new CheckpointWriter({
    store,
    clock: { now: () => NOW },
    instance: 'acme',
    runId,
    codeVersion: 'x',
    read: undefined,
    planFromMs,
    onFailure: () => {
      throw new Error('no failure expected');
    },
    onReset: () => {
      throw new Error('no reset expected');
    },
    retryFromMs: () => undefined,
    digestOpenFailed: async () => false,
    // The last write's waits between tries: none, so the tests neither wait nor vary.
    sleep: async () => undefined,
    random: () => 0,
    ...more,
  });
