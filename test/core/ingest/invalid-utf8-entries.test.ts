import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeAuditPage } from '../../../functions/core/domo/audit-client.ts';
import type { AuditQuery } from '../../../functions/core/domo/audit-source.ts';
import { ResponseBody } from '../../../functions/core/domo/bounded-body.ts';
import { type ElementSizes, splitJsonArray } from '../../../functions/core/domo/split-json-array.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { INVALID_UTF8_REASON, normaliseWindow } from '../../../functions/core/ingest/normalise-window.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey, quarantineKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { normaliseContextFor } from '../../support/normalise-context.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

/** Bytes that are not UTF-8 (a lone 0xFF, a lone 0xFE, a lead byte before ASCII), in place of `@@`. */
const BAD = [0xff, 0xfe, 0xc3, 0x28];

/** The page's bytes, each `@@` in its text replaced by `bytes`. */
function served(text: string, bytes = BAD): Buffer {
  const parts = text.split('@@').map((part) => Buffer.from(part, 'utf8'));
  return Buffer.concat(parts.flatMap((part, i) => (i === 0 ? [part] : [Buffer.from(bytes), part])));
}

describe('entries whose bytes are not valid UTF-8 (review R-HOSTILE LOW-1)', () => {
  it('are listed by the splitter, only on a page that is not valid UTF-8', () => {
    const sizes: ElementSizes = { bytes: [], weights: [], invalidUtf8: [] };
    const texts = splitJsonArray(served('[{"a":"é"},{"a":"x@@"},{"a":"€"},"@@"]'), sizes);
    expect(sizes.invalidUtf8).toEqual([1, 3]);
    expect(texts[1]).toBe('{"a":"x\ufffd\ufffd\ufffd("}');
    const valid: ElementSizes = { bytes: [], weights: [], invalidUtf8: [] };
    splitJsonArray(served('[{"a":"é"},{"a":"€"}]'), valid);
    expect(valid.invalidUtf8).toEqual([]);
  });

  it('are flagged on the decoded page', () => {
    const body = served('[{"time":1,"a":"x@@"},{"time":2}]');
    const decoded = decodeAuditPage(new ResponseBody(body), 1000);
    expect(decoded.ok && decoded.value.invalidUtf8Entries).toEqual([0]);
    const clean = decodeAuditPage(new ResponseBody(Buffer.from('[{"time":1,"a":"\ufffd"}]')), 1000);
    // U+FFFD served as valid UTF-8 is a character like any other.
    expect(clean.ok && clean.value.invalidUtf8Entries).toBeUndefined();
  });

  it('are quarantined with that reason, twins differing in their bytes kept apart; the rest is stored', async () => {
    const day0 = Date.parse('2026-10-01T00:00:00Z');
    /** The memory source, its pages served as bytes and decoded by the audit client's decoder. */
    class BytesSource extends MemoryAuditSource {
      override async fetchPage(query: AuditQuery) {
        const page = await super.fetchPage(query);
        const texts = page.entryTexts.map((text) => text.replace('"objectName":"BAD', '"objectName":"@@'));
        let n = 0;
        const body = Buffer.concat(
          `[${texts.join(',')}]`
            .split('@@')
            .flatMap((part, i) => [
              ...(i === 0 ? [] : [Buffer.from(n++ % 2 === 0 ? [0xff] : [0xfe])]),
              Buffer.from(part),
            ]),
        );
        const decoded = decodeAuditPage(new ResponseBody(body), query.limit);
        if (!decoded.ok) throw new Error(decoded.reason);
        return { ...decoded.value, requests: page.requests };
      }
    }
    const bad = (timeMs: number) => {
      const entry = viewEntry(timeMs, 1);
      return { ...entry, entry: { ...(entry.entry as Record<string, unknown>), objectName: 'BAD' } };
    };
    const source = new BytesSource([viewEntry(day0 + 10, 1), bad(day0 + 20), bad(day0 + 20)]);
    const store = new MemoryObjectStore();
    const summary = await runIngest(quietIngestDeps(source, store, day0 + 3 * HOUR_MS), {
      ...defaultIngestConfig('acme'),
      backfillDays: 1,
      concurrency: 1,
    });
    expect(summary.failures).toEqual([]);
    const lines = (key: string) =>
      gunzipSync(store.objects.get(key)?.body as Uint8Array)
        .toString('utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines(activityKey('acme', day0))).toHaveLength(1);
    const quarantined = lines(quarantineKey('acme', day0));
    expect(quarantined.map((q) => q.reason)).toEqual([INVALID_UTF8_REASON, INVALID_UTF8_REASON]);
    expect(new Set(quarantined.map((q) => q.quarantine_id)).size).toBe(2);
  });

  it('get that reason when the bytes are in their time, not the time reason (review R-HOSTILE2 LOW-3)', () => {
    const start = Date.parse('2026-10-01T10:00:00Z');
    const window = { startMs: start, endMs: start + HOUR_MS };
    const body = served('[{"time":"2026-10-01 10:57:35 AM@@","actionType":"VIEWED","userId":"1"}]');
    const decoded = decodeAuditPage(new ResponseBody(body), 1000);
    if (!decoded.ok) throw new Error(decoded.reason);
    const page = decoded.value;
    const entries = page.entries.map((value, i) => ({
      value,
      text: page.entryTexts[i] ?? '',
      ...(page.invalidUtf8Entries?.includes(i) ? { invalidUtf8: true as const } : {}),
    }));
    expect(entries[0]?.invalidUtf8).toBe(true);
    const { records, quarantined } = normaliseWindow(entries, window, normaliseContextFor(window));
    expect(records).toEqual([]);
    expect(quarantined.map((q) => q.reason)).toEqual([INVALID_UTF8_REASON]);
  });
});
