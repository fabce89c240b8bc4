import type { AuditQuery, NotJsonEntry, TooLargeEntry } from './audit-source.ts';
import { entryWeightOfText } from './entry-weight.ts';

/** A page as the client decodes it (audit-client.ts): every entry with its text, weight and bytes. */
export interface DecodedPage {
  entries: unknown[];
  entryTexts: string[];
  entryWeights: number[];
  entryBytes: number[];
  bodyBytes: number;
  credentialEntries?: number[];
  invalidUtf8Entries?: number[];
  notJsonEntries?: NotJsonEntry[];
  tooLargeEntries?: TooLargeEntry[];
}

/** What asking for one entry alone brought: its page, or a body still past the cap. */
export type LoneAnswer =
  | { ok: true; page: DecodedPage }
  | {
      ok: false;
      detail: string;
      /** sha256 of the bytes read up to the cap (none when the length declared alone refused it). */
      headSha256?: string;
    };

/**
 * The page at `query.offset` of `limit` entries whose body passed the cap even at the fewest
 * entries a page is asked for, asked one entry at a time: an entry that fits is taken as served,
 * and one that passes the cap alone is handed on as a stand-in the ingest quarantines with its
 * offset, range and size (`tooLargeEntries`): one entry of megabytes held its hour still for good
 * before (review stop 90), where now it is set aside, visible, and the rest of its hour stored.
 * The stand-in's text is made of the entry's first bytes (their sha256), so a later read of the
 * same entry, at any offset, makes the same stand-in: the paging's re-read check and the
 * quarantine's merge know it again. A page that ends before `limit` entries ends there.
 */
export async function pageOneByOne(
  query: AuditQuery,
  limit: number,
  askOne: (offset: number) => Promise<LoneAnswer>,
): Promise<DecodedPage> {
  const page: DecodedPage = { entries: [], entryTexts: [], entryWeights: [], entryBytes: [], bodyBytes: 0 };
  for (let i = 0; i < limit; i++) {
    const offset = query.offset + i;
    const answer = await askOne(offset);
    if (!answer.ok) {
      addStandIn(page, query, offset, answer);
      continue;
    }
    if (answer.page.entries.length === 0) break;
    addEntries(page, answer.page);
  }
  const n = page.entries.length;
  page.bodyBytes = page.entryBytes.reduce((sum, bytes) => sum + bytes, 0) + Math.max(0, n - 1) + 2;
  return page;
}

/** Appends a lone page's entries, its lists of entries by index moved past those already held. */
function addEntries(page: DecodedPage, lone: DecodedPage): void {
  const shift = page.entries.length;
  page.entries.push(...lone.entries);
  page.entryTexts.push(...lone.entryTexts);
  page.entryWeights.push(...lone.entryWeights);
  page.entryBytes.push(...lone.entryBytes);
  const shifted = (indexes: readonly number[] | undefined, held: number[] | undefined) =>
    indexes === undefined ? held : [...(held ?? []), ...indexes.map((index) => index + shift)];
  const credential = shifted(lone.credentialEntries, page.credentialEntries);
  if (credential) page.credentialEntries = credential;
  const invalid = shifted(lone.invalidUtf8Entries, page.invalidUtf8Entries);
  if (invalid) page.invalidUtf8Entries = invalid;
  if (lone.notJsonEntries) {
    const moved = lone.notJsonEntries.map((bad) => ({ ...bad, index: bad.index + shift }));
    page.notJsonEntries = [...(page.notJsonEntries ?? []), ...moved];
  }
}

/** Appends the stand-in of an entry too large to read alone: its text, and why it is quarantined. */
function addStandIn(
  page: DecodedPage,
  query: AuditQuery,
  offset: number,
  answer: Extract<LoneAnswer, { ok: false }>,
): void {
  const range = `${new Date(query.start + 1).toISOString()}..${new Date(query.end).toISOString()}`;
  // Without its first bytes (refused on its declared length) only its place names it.
  const text =
    answer.headSha256 === undefined
      ? `entry too large to read, at offset ${offset} of ${range}`
      : `entry too large to read, its first bytes' sha256 ${answer.headSha256}`;
  const index = page.entries.length;
  page.entries.push(text);
  page.entryTexts.push(text);
  page.entryWeights.push(entryWeightOfText(text));
  page.entryBytes.push(Buffer.byteLength(text));
  const reason =
    `entry is too large to read: asked for alone, at offset ${offset} of ${range}, Domo's answer was ` +
    `refused (${answer.detail}); its text is not kept, this record stands for it`;
  page.tooLargeEntries = [...(page.tooLargeEntries ?? []), { index, reason }];
}
