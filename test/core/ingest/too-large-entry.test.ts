import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeAuditPage } from '../../../functions/core/domo/audit-client.ts';
import type { AuditQuery, AuditSource } from '../../../functions/core/domo/audit-source.ts';
import { ResponseBody } from '../../../functions/core/domo/bounded-body.ts';
import { type LoneAnswer, pageOneByOne } from '../../../functions/core/domo/too-large-entries.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { activityKey, quarantineKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, type MemoryEntry, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const CAP = 20_000;

/**
 * The memory Domo behind the audit client's body cap: a body past `CAP` bytes is asked again for
 * half as many entries down to 2, then one entry at a time (as createAuditClient does), the bytes
 * read up to the cap naming an entry too long alone.
 */
class CappedSource extends MemoryAuditSource {
  override async fetchPage(query: AuditQuery) {
    for (let limit = query.limit; ; limit = Math.max(2, Math.floor(limit / 2))) {
      const body = await this.body({ ...query, limit });
      if (body.length <= CAP) return { ...this.decoded(body, limit), requests: 1, limit };
      if (limit <= 2) {
        const page = await pageOneByOne(query, limit, async (offset): Promise<LoneAnswer> => {
          const lone = await this.body({ ...query, offset, limit: 1 });
          if (lone.length <= CAP) return { ok: true, page: this.decoded(lone, 1) };
          const headSha256 = createHash('sha256').update(lone.subarray(0, CAP)).digest('hex');
          return {
            ok: false,
            detail: `HTTP 200 body is longer than maxBodyBytes (${CAP} bytes)`,
            headSha256,
          };
        });
        return { ...page, requests: 1, limit };
      }
    }
  }

  private async body(query: AuditQuery): Promise<Buffer> {
    const page = await super.fetchPage(query);
    return Buffer.from(`[${page.entryTexts.join(',')}]`);
  }

  private decoded(body: Buffer, limit: number) {
    const decoded = decodeAuditPage(new ResponseBody(body), limit);
    if (!decoded.ok) throw new Error(decoded.reason);
    return decoded.value;
  }
}

const lines = (store: MemoryObjectStore, key: string) =>
  gunzipSync(store.objects.get(key)?.body as Uint8Array)
    .toString('utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('an entry too large to read even alone (review stop 90)', () => {
  const giant: MemoryEntry = {
    timeMs: day0 + 20,
    entry: { time: day0 + 20, userId: '9', actionType: 'LOGIN', note: 'x'.repeat(3 * CAP) },
  };
  const served = [
    viewEntry(day0 + 10, 1),
    giant,
    viewEntry(day0 + 30, 2),
    viewEntry(day0 + 40, 3),
    viewEntry(day0 + 2 * HOUR_MS, 4),
  ];
  const ingest = async (store: MemoryObjectStore, now: number) =>
    runIngest(quietIngestDeps(new CappedSource(served), store, now), {
      ...defaultIngestConfig('acme'),
      backfillDays: 1,
      concurrency: 1,
    });

  it('is quarantined as a record of its offset and hour, the rest of the hour stored and the watermark moved on', async () => {
    const store = new MemoryObjectStore();
    const summary = await ingest(store, day0 + 5 * HOUR_MS);
    expect(summary.failures).toEqual([]);
    expect(lines(store, activityKey('acme', day0))).toHaveLength(3);
    const [record, ...more] = lines(store, quarantineKey('acme', day0));
    expect(more).toEqual([]);
    expect(record?.reason).toMatch(
      /^entry is too large to read: asked for alone, at offset \d+ of 20[\d-]+T[\d:.]+Z\.\.20[\d-]+T[\d:.]+Z, Domo's answer was refused \(HTTP 200 body is longer than maxBodyBytes \(20000 bytes\)\); its text is not kept, this record stands for it$/,
    );
    expect(record?.raw).toMatch(/^entry too large to read, its first bytes' sha256 [0-9a-f]{64}$/);
    expect(record?.window_start_ms).toBe(day0);
    // Served = lake + quarantine: nothing lost silently.
    expect(summary.eventsWritten + summary.quarantined).toBe(served.length);
    const checkpoint = await readCheckpoint(store, 'acme');
    expect(checkpoint?.checkpoint.watermark_ms).toBeGreaterThan(day0 + 3 * HOUR_MS);
  });

  it('is kept once when its hour is pulled again: the same entry makes the same record', async () => {
    const store = new MemoryObjectStore();
    await ingest(store, day0 + 5 * HOUR_MS);
    const first = lines(store, quarantineKey('acme', day0));
    const again = await runIngest(quietIngestDeps(new CappedSource(served), store, day0 + 6 * HOUR_MS), {
      ...defaultIngestConfig('acme'),
      concurrency: 1,
      backfillDays: 1,
    });
    expect(again.failures).toEqual([]);
    expect(lines(store, quarantineKey('acme', day0)).map((r) => r.quarantine_id)).toEqual(
      first.map((r) => r.quarantine_id),
    );
  });
});

describe('the pages after an entry too large to read alone', () => {
  it('grow back from 2: a busy second after it is read, in few requests, not failed for its pages', async () => {
    const second = day0 + 25 * 60_000;
    const giant: MemoryEntry = {
      timeMs: second + 900,
      entry: { time: second + 900, userId: '9', actionType: 'LOGIN', note: 'x'.repeat(3 * CAP) },
    };
    // Newest first: the giant, then 300 entries of its second (a bulk change), then the hour's others.
    const busy = Array.from({ length: 300 }, (_, i) => viewEntry(second + i, 1_000 + i));
    const others = Array.from({ length: 200 }, (_, i) => viewEntry(day0 + 1_000 + i * 10_000, i));
    const source = new CappedSource([giant, ...busy, ...others]);
    const store = new MemoryObjectStore();
    const summary = await runIngest(quietIngestDeps(source, store, day0 + 3 * HOUR_MS), {
      ...defaultIngestConfig('acme'),
      backfillDays: 1,
      concurrency: 1,
    });
    expect(summary.failures).toEqual([]);
    expect(summary.eventsWritten).toBe(500);
    expect(summary.quarantined).toBe(1);
    // Kept at pages of 2, each of the 500 took a request or two (~700 in all).
    expect(source.queries.length).toBeLessThan(150);
  });
});

describe('a Domo whose every entry is too large to read alone (review stop 90)', () => {
  /** Answers every request as the client does when even one entry alone passes the cap. */
  const allTooLarge = (asked: AuditQuery[]): AuditSource => ({
    async fetchPage(query) {
      asked.push(query);
      const page = await pageOneByOne(query, 2, async (offset) => {
        asked.push({ ...query, offset, limit: 1 });
        return {
          ok: false,
          detail: 'HTTP 200 body is longer than maxBodyBytes (20000 bytes)',
          headSha256: 'a',
        };
      });
      return { ...page, requests: 3, limit: 2 };
    },
  });

  it('fails its hour at the page ceiling, in a bounded number of requests, naming the pages asked', async () => {
    const asked: AuditQuery[] = [];
    const store = new MemoryObjectStore();
    const summary = await runIngest(quietIngestDeps(allTooLarge(asked), store, day0 + 2 * HOUR_MS), {
      ...defaultIngestConfig('acme'),
      backfillDays: 1,
      concurrency: 1,
    });
    expect(summary.quarantined).toBe(0);
    expect(summary.failures).toHaveLength(1);
    // Pages of 2 stand-ins each, not of the 1,000 entries asked of a page at first.
    expect(summary.failures[0]?.message).toContain('pages of up to 2 entries for');
    expect(summary.failures[0]?.message).toContain('no activity log holds that many events in one second');
    expect(asked.length).toBeLessThan(3_000);
    expect([...store.objects.keys()].filter((key) => key.startsWith('quarantine/'))).toEqual([]);
  });
});
