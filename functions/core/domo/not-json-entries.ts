import { createHash } from 'node:crypto';
import type { NotJsonEntry } from './audit-source.ts';
import type { Decoded } from './http-request.ts';

/** What a page decodes to, as far as its entries that are not JSON go. */
interface PageWithEntries {
  entryTexts: string[];
  notJsonEntries?: NotJsonEntry[];
}

/**
 * What `JSON.parse` said of an entry, without the piece of it V8 quotes (`"garbage" is not valid
 * JSON`): a reason is shown in summaries and logs, where the entry's text is not; the quarantine
 * record keeps the text itself in `raw`. The rest (`Unexpected token 'g'`, `… at position 7`) names
 * at most one character of it.
 */
export function parserError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/,\s*".*" is not valid JSON$/s, '').trim();
}

/**
 * Accepts a page holding entries that are not JSON only once a second answer to the same request
 * served each of them with the same text: a deterministic bad entry of Domo's is then quarantined
 * by the ingest and the rest of the page kept (review R-DRIFT H1: one such entry failed its whole
 * span on every run, for good), while a fault on the way (a flipped byte, a proxy's splice), which a
 * retry heals, is retried as a broken page and never quarantined. One confirmer per request: its
 * attempts share what it has seen.
 */
export function notJsonConfirmer<T extends PageWithEntries>(): (page: Decoded<T>) => Decoded<T> {
  const seen = new Set<string>();
  return (page) => {
    if (!page.ok || page.value.notJsonEntries === undefined) return page;
    const { entryTexts, notJsonEntries } = page.value;
    const digests = notJsonEntries.map(({ index }) => digest(entryTexts[index] as string));
    if (digests.every((d) => seen.has(d))) return page;
    for (const d of digests) seen.add(d);
    const first = notJsonEntries[0] as NotJsonEntry;
    const count = notJsonEntries.length;
    return {
      ok: false,
      reason:
        `is a JSON array, but ${count === 1 ? 'one entry' : `${count} entries`} of its ${entryTexts.length} ` +
        `${count === 1 ? 'is' : 'are'} not JSON (entry ${first.index + 1}: ${first.error}); asked again to tell ` +
        "an entry of Domo's from a fault on the way",
      seen: 'array',
    };
  };
}

const digest = (text: string): string => createHash('sha256').update(text).digest('hex');
