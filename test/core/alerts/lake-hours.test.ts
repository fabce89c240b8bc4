import { describe, expect, it } from 'vitest';
import {
  lakeChangesSince,
  MAX_DIGESTS_PER_RUN,
  NO_OBJECT,
  objectVersion,
  readHour,
} from '../../../functions/core/alerts/lake-hours.ts';
import { appendDigest, type DigestEntry, sha256Hex } from '../../../functions/core/lake/digest.ts';
import { activityKey, coverageKey, digestKey } from '../../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { record } from './support/alert-fixtures.ts';

const H = Date.parse('2026-11-01T10:00:00Z');

/** A digest entry for `key` with the SHA-256 of `text`. */
const entry = (key: string, text: string, how: DigestEntry['how'] = 'write'): DigestEntry => ({
  key,
  sha256: sha256Hex(new TextEncoder().encode(text)),
  bytes: text.length,
  records: null,
  how,
});
const version = (text: string) => objectVersion(sha256Hex(new TextEncoder().encode(text)));

async function append(
  store: MemoryObjectStore,
  objects: DigestEntry[],
  instance = 'acme',
  mode?: 'checkpoint' | 'range',
) {
  await appendDigest(store, {
    ...(mode ? { mode } : {}),
    instance,
    runId: 'r',
    createdAt: '2026-11-01T12:00:00.000Z',
    objects,
    sealed: true,
    fromMs: null,
  });
}

describe('readHour', () => {
  it('gives the events with the version of the object read, and none without an object', async () => {
    const store = new MemoryObjectStore();
    const body = encodeNdjsonGzip([record({ category: 'login', event_time_ms: H + 1 })]);
    await store.put(activityKey('acme', H), body);
    const hour = await readHour(store, 'acme', H);
    expect(hour.events).toHaveLength(1);
    expect(hour.version).toBe(objectVersion(sha256Hex(body)));
    expect(hour.version).toMatch(/^[0-9a-f]{16}$/);
    expect(await readHour(store, 'acme', H + HOUR_MS)).toEqual({ events: [], version: NO_OBJECT });
  });
});

describe('lakeChangesSince', () => {
  it('lists the hours the digests since name, with the latest version each, and where to go on', async () => {
    const store = new MemoryObjectStore();
    await append(store, [entry(activityKey('acme', H), 'old'), entry(coverageKey('acme', H), 'm')]);
    await append(store, [entry(activityKey('other', H + HOUR_MS), 'x')], 'other');
    await append(store, [
      entry(activityKey('acme', H), 'enriched'),
      entry(activityKey('acme', H + HOUR_MS), 'read again', 'read'),
    ]);

    // Nothing read yet: only where the chain ends (the next digest's number).
    expect(await lakeChangesSince(store, 'acme', undefined)).toEqual({
      versions: new Map(),
      pulled: new Set(),
      pulledIn: new Map(),
      next: 2,
    });
    expect(await lakeChangesSince(store, 'acme', 0)).toEqual({
      versions: new Map([
        [H, version('enriched')],
        [H + HOUR_MS, version('read again')],
      ]),
      // Written by no ingest run (no run mode): enrich's, whose events are those already seen.
      pulled: new Set(),
      pulledIn: new Map(),
      next: 2,
    });
    expect(await lakeChangesSince(store, 'acme', 1)).toMatchObject({ next: 2 });
    expect(await lakeChangesSince(store, 'acme', 2)).toEqual({
      versions: new Map(),
      pulled: new Set(),
      pulledIn: new Map(),
      next: 2,
    });
    // A lake without a chain yet.
    expect(await lakeChangesSince(new MemoryObjectStore(), 'acme', undefined)).toEqual({
      versions: new Map(),
      pulled: new Set(),
      pulledIn: new Map(),
      next: 0,
    });
  });

  it('tells the hours an ingest run wrote (a run mode) from those enrich wrote', async () => {
    const store = new MemoryObjectStore();
    await append(store, [entry(activityKey('acme', H), 'pulled')], 'acme', 'checkpoint');
    await append(store, [entry(activityKey('acme', H + HOUR_MS), 'enriched')]);
    await append(store, [entry(activityKey('acme', H + 2 * HOUR_MS), 'again')], 'acme', 'range');
    const changes = await lakeChangesSince(store, 'acme', 0);
    expect(changes.pulled).toEqual(new Set([H, H + 2 * HOUR_MS]));
    // With the digest that said so: the late lockouts' hours the alerts checkpoint keeps.
    expect(changes.pulledIn).toEqual(
      new Map([
        [H, 0],
        [H + 2 * HOUR_MS, 2],
      ]),
    );
    expect([...changes.versions.keys()]).toEqual([H, H + HOUR_MS, H + 2 * HOUR_MS]);
  });

  it('is incomplete (any hour may have changed) when the chain cannot be followed', async () => {
    const store = new MemoryObjectStore();
    await append(store, [entry(activityKey('acme', H), 'a')]);
    await append(store, [entry(activityKey('acme', H), 'b')]);
    // Not the chain read last time: digest 4 was read, and there are only two.
    expect(await lakeChangesSince(store, 'acme', 5)).toMatchObject({
      next: 2,
      incomplete: expect.stringContaining('digest 4'),
    });
    await store.put(digestKey('acme', 2), new TextEncoder().encode('{"not":"a digest"}'));
    expect(await lakeChangesSince(store, 'acme', 1)).toMatchObject({
      next: 3,
      incomplete: expect.stringContaining('digest'),
    });
  });

  it('stops after a bounded number of digests', async () => {
    const store = new MemoryObjectStore();
    for (let n = 0; n < MAX_DIGESTS_PER_RUN + 2; n++) await append(store, []);
    expect(await lakeChangesSince(store, 'acme', 0)).toMatchObject({
      next: MAX_DIGESTS_PER_RUN + 2,
      incomplete: `more than ${MAX_DIGESTS_PER_RUN} new digests`,
    });
  });
});
