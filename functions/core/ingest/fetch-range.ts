import { type AuditSource, MAX_PAGE_SIZE } from '../domo/audit-source.ts';
import { canonicalJson } from '../domo/canonical-json.ts';

export interface FetchedRange {
  entries: unknown[];
  pages: number;
  requests: number;
}

export interface FetchRangeOptions {
  /** Pages read from one range before it is split in two (offsets stay bounded on busy hours). */
  maxPagesPerRange: number;
  /** Times a range is re-read from the start after its pages shifted under us. */
  maxRestarts?: number;
  pageSize?: number;
  signal?: AbortSignal;
}

/** Domo's result set changed while it was being paged (an event arrived mid-read). */
export class PagesShiftedError extends Error {}

class RangeTooLarge extends Error {}

/**
 * Reads every entry Domo holds for `[startMs, endMs]` (both inclusive, as Domo treats them).
 *
 * Offset paging over a newest-first list is only safe if the list holds still. Each page after the
 * first therefore re-reads the last entry of the previous page; if it differs, something was
 * inserted above it, rows have shifted (one would be read twice, looking like a twin), and the range
 * is read again from the start. Paging stops on an empty page (Domo may clamp `limit` silently, so a
 * short page proves nothing). A range that needs more than `maxPagesPerRange` pages is split.
 */
export async function fetchRange(
  source: AuditSource,
  startMs: number,
  endMs: number,
  options: FetchRangeOptions,
): Promise<FetchedRange> {
  const total: FetchedRange = { entries: [], pages: 0, requests: 0 };
  await fetchInto(source, startMs, endMs, options, total);
  return total;
}

async function fetchInto(
  source: AuditSource,
  startMs: number,
  endMs: number,
  options: FetchRangeOptions,
  total: FetchedRange,
): Promise<void> {
  const maxRestarts = options.maxRestarts ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      const part = await readPages(source, startMs, endMs, options, total);
      total.entries.push(...part);
      return;
    } catch (error) {
      if (error instanceof RangeTooLarge && endMs - startMs >= 2) {
        const mid = startMs + Math.floor((endMs - startMs) / 2);
        await fetchInto(source, startMs, mid, options, total);
        await fetchInto(source, mid + 1, endMs, options, total);
        return;
      }
      if (error instanceof PagesShiftedError && attempt < maxRestarts) continue;
      throw error;
    }
  }
}

async function readPages(
  source: AuditSource,
  startMs: number,
  endMs: number,
  options: FetchRangeOptions,
  total: FetchedRange,
): Promise<unknown[]> {
  const limit = options.pageSize ?? MAX_PAGE_SIZE;
  const canSplit = endMs - startMs >= 2;
  const entries: unknown[] = [];
  let lastSeen: string | undefined;
  for (let pages = 0; ; pages++) {
    if (canSplit && pages >= options.maxPagesPerRange) throw new RangeTooLarge();
    const overlap = lastSeen === undefined ? 0 : 1;
    const page = await source.fetchPage(
      { start: startMs, end: endMs, limit, offset: entries.length - overlap },
      options.signal,
    );
    total.pages++;
    total.requests += page.requests;
    if (overlap === 1) {
      const first = page.entries[0];
      if (first === undefined || canonicalJson(first) !== lastSeen) {
        throw new PagesShiftedError(
          `Domo's entries for ${new Date(startMs).toISOString()}..${new Date(endMs).toISOString()} changed while they were being paged`,
        );
      }
    }
    const fresh = overlap === 1 ? page.entries.slice(1) : page.entries;
    if (fresh.length === 0) return entries;
    for (const entry of fresh) entries.push(entry);
    lastSeen = canonicalJson(fresh[fresh.length - 1]);
  }
}
