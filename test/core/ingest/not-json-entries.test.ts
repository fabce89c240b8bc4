import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditClient, decodeAuditPage } from '../../../functions/core/domo/audit-client.ts';
import type { AuditQuery } from '../../../functions/core/domo/audit-source.ts';
import { ResponseBody } from '../../../functions/core/domo/bounded-body.ts';
import { DomoUnavailableError } from '../../../functions/core/domo/errors.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { activityKey, quarantineKey } from '../../../functions/core/lake/layout.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { type FakeDomo, startFakeDomo } from '../domo/support/fake-domo.ts';
import { fakeTime } from '../domo/support/fake-time.ts';

const ENTRY = '{"time":1790000000001,"userId":"7","actionType":"LOGIN"}';
const json = { 'content-type': 'application/json' };

describe('an entry that is not JSON in a page that is a JSON array (review R-DRIFT H1)', () => {
  it('is listed with the parser error, quoting none of it; the other entries are parsed', () => {
    const page = `[${ENTRY},garbage,"a string",{}]`;
    const decoded = decodeAuditPage(new ResponseBody(Buffer.from(page)), 1000);
    if (!decoded.ok) throw new Error(decoded.reason);
    expect(decoded.value.entries).toEqual([JSON.parse(ENTRY), 'garbage', 'a string', {}]);
    expect(decoded.value.entryTexts[1]).toBe('garbage');
    expect(decoded.value.notJsonEntries).toEqual([{ index: 1, error: "Unexpected token 'g'" }]);
  });

  describe('through the client', () => {
    let domo: FakeDomo;
    beforeEach(async () => {
      domo = await startFakeDomo({ expiresIn: 3600 });
    });
    afterEach(() => domo.close());
    const query = { start: 1_790_000_000_000, end: 1_790_003_599_999, limit: 1000, offset: 0 };
    const client = () =>
      createAuditClient({
        apiBase: domo.base,
        fetch: globalThis.fetch,
        credentials: { clientId: 'client-abc', clientSecret: 'the-secret' },
        ...fakeTime(),
        maxAttempts: 2,
      });

    it('is taken once a second answer serves it alike', async () => {
      const page = { text: `[${ENTRY},garbage,${ENTRY}]`, headers: json };
      domo.script('audit', page, page);
      const got = await client().fetchPage(query);
      expect(got.entryTexts).toEqual([ENTRY, 'garbage', ENTRY]);
      expect(got.notJsonEntries).toEqual([{ index: 1, error: "Unexpected token 'g'" }]);
      expect(domo.requests.filter((request) => request.path === '/v1/audit')).toHaveLength(2);
    });

    it('fails the page as broken when each answer garbles it differently (a fault on the way)', async () => {
      domo.script(
        'audit',
        { text: `[${ENTRY},garbage,${ENTRY}]`, headers: json },
        { text: `[${ENTRY},garbagf,${ENTRY}]`, headers: json },
      );
      const error = await client()
        .fetchPage(query)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomoUnavailableError);
      expect((error as Error).message).toContain(
        "HTTP 200 body is a JSON array, but one entry of its 3 is not JSON (entry 2: Unexpected token 'g')",
      );
      // Not sent to check the address: the pages were Domo's (review R-DRIFT, F-DRIFT's leftover).
      expect((error as Error).message).toContain(
        "they were JSON arrays of entries, as Domo's API answers, but an entry in them was not JSON and not served the same way twice",
      );
      expect((error as Error).message).not.toMatch(/check|pages like these|garbag/);
    });
  });

  it('is quarantined with its text, the rest of its hour stored, the watermark moved, verify clean', async () => {
    const day0 = Date.parse('2026-10-01T00:00:00Z');
    /** The memory source, its pages served as one body and decoded by the audit client's decoder. */
    class BodySource extends MemoryAuditSource {
      override async fetchPage(query: AuditQuery) {
        const page = await super.fetchPage(query);
        const body = Buffer.from(`[${page.entryTexts.join(',')}]`);
        const decoded = decodeAuditPage(new ResponseBody(body), query.limit);
        if (!decoded.ok) throw new Error(decoded.reason);
        return { ...decoded.value, requests: page.requests };
      }
    }
    const served = [
      viewEntry(day0 + 10, 1),
      { timeMs: day0 + 20, entry: 'garbage', text: 'garbage' },
      viewEntry(day0 + 30, 2),
      viewEntry(day0 + 2 * HOUR_MS, 3),
    ];
    const source = new BodySource(served);
    const store = new MemoryObjectStore();
    const now = day0 + 5 * HOUR_MS;
    const summary = await runIngest(quietIngestDeps(source, store, now), {
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
    expect(lines(activityKey('acme', day0))).toHaveLength(2);
    expect(lines(quarantineKey('acme', day0))).toMatchObject([
      { reason: "entry is not JSON: Unexpected token 'g'", raw: 'garbage' },
    ]);
    // Served = lake + quarantine.
    expect(summary.eventsWritten + summary.quarantined).toBe(served.length);
    const checkpoint = await readCheckpoint(store, 'acme');
    expect(checkpoint?.checkpoint.watermark_ms).toBeGreaterThan(day0 + 3 * HOUR_MS);
    const report = await verifyLake(store, 'acme', { fromMs: day0, toMs: day0 + 3 * HOUR_MS });
    expect(report).toMatchObject({ events: 3, ok: true });
  });
});
