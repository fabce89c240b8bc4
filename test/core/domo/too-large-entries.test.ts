import { describe, expect, it } from 'vitest';
import { type DecodedPage, pageOneByOne } from '../../../functions/core/domo/too-large-entries.ts';

const lone = (text: string, extra: Partial<DecodedPage> = {}): DecodedPage => ({
  entries: [text],
  entryTexts: [text],
  entryWeights: [64],
  entryBytes: [Buffer.byteLength(text)],
  bodyBytes: Buffer.byteLength(text) + 2,
  ...extra,
});
const query = { start: 0, end: 3_599_999, limit: 2, offset: 10 };

describe('pageOneByOne', () => {
  it("keeps each lone page's flags on its entry, past the entries before it", async () => {
    const answers = [
      { ok: false as const, detail: 'HTTP 200 body is longer than maxBodyBytes (9 bytes)' },
      {
        ok: true as const,
        page: lone('garbage', { notJsonEntries: [{ index: 0, error: 'bad' }], invalidUtf8Entries: [0] }),
      },
    ];
    const asked: number[] = [];
    const page = await pageOneByOne(query, 2, async (offset) => {
      asked.push(offset);
      return answers[offset - 10] as (typeof answers)[number];
    });
    expect(asked).toEqual([10, 11]);
    expect(page.entryTexts).toEqual([
      'entry too large to read, at offset 10 of 1970-01-01T00:00:00.001Z..1970-01-01T00:59:59.999Z',
      'garbage',
    ]);
    expect(page.tooLargeEntries?.map((big) => big.index)).toEqual([0]);
    expect(page.notJsonEntries).toEqual([{ index: 1, error: 'bad' }]);
    expect(page.invalidUtf8Entries).toEqual([1]);
    expect(page.credentialEntries).toBeUndefined();
  });
});
