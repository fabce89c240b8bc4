import { Annotations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { heldCharsForMemory } from '../functions/core/ingest/ingest-config.ts';
import { INGEST_SETTINGS } from '../functions/core/ingest/ingest-settings.ts';
import type { ActivityLakeConfig } from './config.ts';

export const THIN_READS = 'domo-activity-lake:ingestReadsThinnerThanDefault';

const MIB = 1024 * 1024;
const DEFAULT_MEMORY_MB = 1024;

/** The JSON one read of Domo may hold, in MiB, for a function of `memoryMb` reading `concurrency` at once. */
const readMib = (memoryMb: number, concurrency: number): number =>
  heldCharsForMemory(memoryMb * MIB, concurrency) / MIB;

/**
 * Synth's warning on an ingest whose reads may each hold less than the defaults' (1,024 MB, 4 at
 * once): a higher `concurrency` without more memory splits the same memory into thinner reads, and
 * an hour busier than a read may hold is read a second time, alone, the run's other reads waiting
 * (read-room.ts; before it, such an hour failed every run: review R-BIG H1, at 1,024 MB
 * concurrency 8 failed 5 of 6 busy hours, 12 and 16 all of them). Only an hour past what a lone
 * read may hold fails, at any concurrency. Warned, not refused: a quiet instance never fills a
 * read, and only the operator knows its busiest hour.
 */
export function warnOfThinReads(scope: IConstruct, config: ActivityLakeConfig): void {
  const { memoryMb, concurrency } = config.ingest;
  const given = readMib(memoryMb, concurrency);
  const usual = readMib(DEFAULT_MEMORY_MB, INGEST_SETTINGS.concurrency.default);
  if (given >= usual) return;
  const alone = readMib(memoryMb, 1);
  const keeping = Math.ceil(
    (DEFAULT_MEMORY_MB * (concurrency + 1)) / (INGEST_SETTINGS.concurrency.default + 1),
  );
  Annotations.of(scope).addWarningV2(
    THIN_READS,
    `ingest.concurrency ${concurrency} with ingest.memoryMb ${memoryMb} lets each read of Domo hold ${given.toFixed(1)} MiB of entries' JSON, less than the ${usual.toFixed(1)} MiB of the defaults: an hour busier than that is read a second time, alone, while the other reads wait, which slows busy days (an hour past the ${alone.toFixed(1)} MiB a lone read may hold at this memory fails at any concurrency). Raise ingest.memoryMb to ${keeping} to keep the defaults' reads, or lower the concurrency (docs/operations.md, the Lag alarm).`,
  );
}
