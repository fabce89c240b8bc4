import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import type { IngestConfig, IngestDeps } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { appendDigest, type DigestEntry, sha256Hex } from '../../../functions/core/lake/digest.ts';
import { activityKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { runDigest } from '../../support/sealed-digest.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const config = (): IngestConfig => ({ ...defaultIngestConfig('acme'), backfillDays: 1 });

describe('verify --integrity, of an object removed and then created anew', () => {
  it('reports an hour removed outside the ingest and re-pulled, and accepts it once known', async () => {
    const source = new MemoryAuditSource(
      Array.from({ length: 18 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i)),
    );
    const store = new MemoryObjectStore();
    const deps: IngestDeps = quietIngestDeps(source, store, day0 + 6 * HOUR_MS + 30 * 60_000);
    await runIngest(deps, config());
    const hour = day0 + 2 * HOUR_MS;
    const keys = [activityKey('acme', hour), coverageKey('acme', hour)];
    for (const key of keys) store.objects.delete(key);
    // Domo serves one event fewer now: the re-pull writes other bytes.
    const inHour = source.entries.filter((e) => e.timeMs >= hour && e.timeMs < hour + HOUR_MS);
    source.entries.splice(source.entries.indexOf(inHour[0] as (typeof inHour)[number]), 1);
    await runIngest(deps, config(), { range: { fromMs: hour, toMs: hour + HOUR_MS } });

    const report = await verifyIntegrity(store, 'acme');
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => `${p.kind} ${p.key}`).sort()).toEqual(
      keys.map((k) => `removed ${k}`).sort(),
    );
    const [activity] = report.problems.filter((p) => p.key === keys[0]);
    expect(activity?.sha256).toBe(sha256Hex(store.objects.get(keys[0] as string)?.body as Uint8Array));
    expect(activity?.detail).toMatch(
      /^listed since digest\/instance=acme\/\d{10}\.json, then created anew \(sha256 [0-9a-f]{12}…\) by digest\/instance=acme\/\d{10}\.json: .*removed outside the ingest$/,
    );

    const accepted = await verifyIntegrity(store, 'acme', {
      accepted: report.problems.map(({ kind, key, sha256 }) => ({
        kind,
        key,
        ...(sha256 ? { sha256 } : {}),
      })),
    });
    expect(accepted).toMatchObject({ ok: true, problems: [] });
    expect(accepted.accepted).toHaveLength(2);
  });
});

describe('verify --integrity, of creates the chain lists in another order', () => {
  const key = activityKey('acme', day0);
  const sha = (text: string) => sha256Hex(new TextEncoder().encode(text));
  const write = (body: string, replaced: string | null | undefined): DigestEntry => ({
    key,
    sha256: sha(body),
    bytes: body.length,
    records: 1,
    how: 'write',
    ...(replaced === undefined ? {} : { replaced: replaced === null ? null : sha(replaced) }),
  });
  async function chain(
    holding: string,
    ...digests: [runId: string, sealed: boolean, objects: DigestEntry[]][]
  ) {
    const store = new MemoryObjectStore();
    for (const [runId, sealed, objects] of digests) {
      await appendDigest(store, runDigest(runId, objects, day0, sealed));
    }
    store.putNow(key, new TextEncoder().encode(holding));
    return verifyIntegrity(store, 'acme');
  }

  it('takes the loser of a create, listed first with the winner as what it replaced, as no removal', async () => {
    // Run A creates W; run B's create loses (412), it merges into W and writes U; B's digest lands first.
    const report = await chain(
      'u',
      ['genesis', true, []],
      ['run-a', false, []],
      ['run-b', false, []],
      ['run-b', true, [write('u', 'w')]],
      ['run-a', true, [write('w', null)]],
    );
    expect(report).toMatchObject({ ok: true, problems: [] });
  });

  it('takes a create listed after a later version another run read as no removal', async () => {
    // A creates W, B writes U over W, C reads U: C's digest lands before A's and B's.
    const report = await chain(
      'u',
      ['genesis', true, []],
      ['run-a', false, []],
      ['run-b', false, []],
      ['run-c', true, [{ key, sha256: sha('u'), bytes: 1, records: null, how: 'read' }]],
      ['run-a', true, [write('w', null)]],
      ['run-b', true, [write('u', 'w')]],
    );
    expect(report).toMatchObject({ ok: true, problems: [] });
  });

  it('reports a second create of a key, each run alone', async () => {
    const report = await chain('x', ['run-1', true, [write('w', null)]], ['run-2', true, [write('x', null)]]);
    expect(report.problems.map((p) => `${p.kind} ${p.key}`)).toEqual([`removed ${key}`]);
  });

  it('reports a key created twice with the same bytes', async () => {
    const report = await chain('w', ['run-1', true, [write('w', null)]], ['run-2', true, [write('w', null)]]);
    expect(report.problems.map((p) => `${p.kind} ${p.key}`)).toEqual([`removed ${key}`]);
  });

  it('takes one run listing its create twice (its digest landed, the answer lost) as no removal', async () => {
    const report = await chain(
      'w',
      ['genesis', true, []],
      ['run-1', true, [write('w', null)]],
      ['run-1', true, [write('w', null)]],
    );
    expect(report).toMatchObject({ ok: true, problems: [] });
  });

  it('still reports the same bytes created by another run after one listed its create twice', async () => {
    const report = await chain(
      'w',
      ['run-1', true, [write('w', null)]],
      ['run-1', true, [write('w', null)]],
      ['run-2', true, [write('w', null)]],
    );
    expect(report.problems.map((p) => `${p.kind} ${p.key}`)).toEqual([`removed ${key}`]);
  });

  it('reads a write without "replaced" (no version ever wrote one) as saying nothing', async () => {
    const report = await chain(
      'x',
      ['run-1', true, [write('w', undefined)]],
      ['run-2', true, [write('x', undefined)]],
    );
    expect(report).toMatchObject({ ok: true, problems: [] });
  });
});
