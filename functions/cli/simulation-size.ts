import { formatCount } from '../core/report/number-format.ts';
import { heapHoldBytes } from '../shared/run-memory.ts';
import { UsageError } from './usage-error.ts';

/**
 * Entries the simulator generates per person and day: 40-44 measured (seed 42, 7 to 90 days, 40 to
 * 200 people), rounded up so that an estimate errs high.
 */
const ENTRIES_PER_USER_DAY = 45;

/**
 * Heap an entry takes while the simulator is generated and started: 768,000 entries ran out of a
 * 1.3 GB heap and fit in 1.7 GB, so about 2.2 KB; taken a little higher, as the estimate above.
 */
const HEAP_BYTES_PER_ENTRY = 2_400;

/** Heap the process takes before any entry (code, the geo ranges, the server). */
const BASE_HEAP_BYTES = 200_000_000;

/** From about this many entries, generating takes ten seconds or more (768,000 took 24 s). */
const SLOW_ENTRIES = 300_000;

/** About how many entries `days` days of `users` people make. */
export const estimatedEntries = (days: number, users: number): number => days * users * ENTRIES_PER_USER_DAY;

/**
 * Refuses (a usage error, exit 2) a simulation whose entries would not fit in this process's heap:
 * generated anyway, it ran silent for minutes and then died of a V8 out-of-memory error. Says the
 * largest sizes that fit and how to give node more heap; `heapLimit` is node's old space, the heap
 * it may hold them in (run-memory.ts's heapHoldBytes, which follows `--max-old-space-size`).
 */
export function assertSimulationFits(days: number, users: number, heapLimit: number = heapHoldBytes()): void {
  const entries = estimatedEntries(days, users);
  const fitting = Math.floor((heapLimit - BASE_HEAP_BYTES) / HEAP_BYTES_PER_ENTRY);
  if (entries <= fitting) return;
  const userDays = Math.floor(fitting / ENTRIES_PER_USER_DAY);
  const usersThatFit = Math.max(1, Math.floor(userDays / days));
  const daysThatFit = Math.max(1, Math.floor(userDays / users));
  const heapMb = Math.round(heapLimit / 1_000_000);
  throw new UsageError(
    `--days ${days} with --users ${users} would generate about ${formatCount(entries)} entries, more than node's ${formatCount(heapMb)} MB heap holds (about ${formatCount(fitting)}): the largest that fit are --days ${days} --users ${usersThatFit}, or --days ${daysThatFit} --users ${users} (days times users at most ${formatCount(userDays)}); or give node more heap, e.g. NODE_OPTIONS=--max-old-space-size=${Math.ceil((BASE_HEAP_BYTES + entries * HEAP_BYTES_PER_ENTRY) / 1_000_000)}`,
  );
}

/** The line to print before a generation that takes long enough to look stuck; none otherwise. */
export function generationNotice(days: number, users: number): string | undefined {
  const entries = estimatedEntries(days, users);
  if (entries < SLOW_ENTRIES) return undefined;
  return `generating about ${formatCount(entries)} entries (${days} days of ${users} people): this takes a while, a minute or more for a million`;
}
