import { describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import type { IngestDeps } from '../../../functions/core/ingest/ingest-types.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import {
  AcceptedFindings,
  AcceptedFindingsError,
  parseAcceptedFindings,
} from '../../../functions/core/lake/accepted-findings.ts';
import type { EventRecord } from '../../../functions/core/lake/event-record.ts';
import { MAX_PROBLEMS } from '../../../functions/core/lake/integrity-report.ts';
import { activityKey } from '../../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip, encodeNdjsonGzip } from '../../../functions/core/lake/ndjson.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { noWaits } from '../../support/no-waits.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const now = day0 + 6 * HOUR_MS + 30 * 60_000;
const config = { ...defaultIngestConfig('acme'), backfillDays: 1 };

/** A lake whose hour 5 was forged, read into the chain by the next run, then restored. */
async function repairedIncident() {
  const store = new MemoryObjectStore();
  let clock = now;
  const deps: IngestDeps = {
    ...noWaits,
    source: new MemoryAuditSource(Array.from({ length: 18 }, (_, i) => viewEntry(day0 + i * 20 * 60_000, i))),
    store,
    clock: { now: () => clock },
    log: silentLog,
    metrics: { count() {} },
  };
  await runIngest(deps, config);
  const hour5 = activityKey('acme', day0 + 5 * HOUR_MS);
  const original = store.objects.get(hour5)?.body as Uint8Array;
  const forge = (name: string) => {
    const records = decodeNdjsonGzip(original) as EventRecord[];
    store.putNow(hour5, encodeNdjsonGzip(records.map((r, i) => (i === 0 ? { ...r, user_name: name } : r))));
  };
  forge('Mallory');
  clock = now + HOUR_MS;
  await runIngest(deps, config);
  store.putNow(hour5, original);
  return { store, hour5, forge };
}

describe('accepted findings of the integrity check', () => {
  it('lets a repaired incident pass while the same key changed again still fails', async () => {
    const { store, hour5, forge } = await repairedIncident();
    // The chain keeps the forged version it read: restoring the object does not make the check pass.
    const incident = await verifyIntegrity(store, 'acme');
    expect(incident.ok).toBe(false);
    expect(incident.problems).toEqual([
      expect.objectContaining({
        kind: 'changed',
        key: hour5,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    ]);

    // The operator keeps the JSON report of the incident and passes it back as known.
    const accepted = parseAcceptedFindings(
      JSON.parse(JSON.stringify({ integrity: incident })),
      'incident.json',
    );
    const known = await verifyIntegrity(store, 'acme', { accepted });
    expect(known.ok).toBe(true);
    expect(known.problems).toEqual([]);
    expect(known.accepted.map((p) => `${p.kind} ${p.key}`)).toEqual([`changed ${hour5}`]);
    expect(known.acceptedNotFound).toEqual([]);

    // A new forgery of the same object has other bytes: a new finding, not the accepted one.
    forge('Trudy');
    const again = await verifyIntegrity(store, 'acme', { accepted });
    expect(again.ok).toBe(false);
    expect(again.problems.map((p) => `${p.kind} ${p.key}`)).toEqual([`changed ${hour5}`]);
    expect(again.accepted).toHaveLength(1);
  });

  it('says which accepted findings the check no longer makes, and keeps their notes', () => {
    const problem = { kind: 'missing' as const, key: 'k1', detail: 'gone' };
    const accepted = new AcceptedFindings([
      { kind: 'missing', key: 'k1', note: 'incident 7' },
      { kind: 'missing', key: 'k2' },
    ]);
    expect(accepted.take(problem)).toEqual({ ...problem, note: 'incident 7' });
    expect(accepted.notFound()).toEqual([{ kind: 'missing', key: 'k2' }]);
  });

  it("takes an accepted `changed` finding for the same bytes' `changed-since-noted`, not for others", () => {
    const erased = 'ab'.repeat(32);
    const accepted = new AcceptedFindings([
      { kind: 'changed', key: 'k1', sha256: erased, note: 'erasure 3' },
    ]);
    const since = { kind: 'changed-since-noted' as const, key: 'k1', detail: 'd', sha256: erased };
    expect(accepted.take(since)).toEqual({ ...since, note: 'erasure 3' });
    // Other bytes at the key, another key, or an object created: each a new finding.
    expect(accepted.take({ ...since, sha256: 'cd'.repeat(32) })).toBeUndefined();
    expect(accepted.take({ ...since, key: 'k2' })).toBeUndefined();
    expect(accepted.take({ ...since, kind: 'created-since-noted' })).toBeUndefined();
  });

  it('never accepts that the digest versions were not checked: the check stays failed until they are', () => {
    const notChecked = {
      kind: 'versions-not-checked' as const,
      key: 'digest/instance=acme/',
      detail: 'denied',
    };
    // The incident's whole report, taken as the list of known findings.
    const accepted = parseAcceptedFindings({ integrity: { problems: [notChecked] } }, 'incident.json');
    expect(new AcceptedFindings(accepted).take(notChecked)).toBeUndefined();
  });

  it('passes a check of more findings than its report lists once each is accepted, in rounds', async () => {
    const { store } = await repairedIncident();
    // Bytes no digest lists, more of them than a report lists: each is an `unlisted` finding.
    const extra = MAX_PROBLEMS + 25;
    for (let i = 0; i < extra; i++)
      store.putNow(activityKey('acme', day0 + (48 + i) * HOUR_MS), new TextEncoder().encode(`x${i}`));
    const first = await verifyIntegrity(store, 'acme');
    expect(first.problems).toHaveLength(MAX_PROBLEMS);
    expect(first.problemsFound).toBe(extra + 1);

    // Accepted findings take no place in the list: the ones past it are listed now.
    const round1 = parseAcceptedFindings(JSON.parse(JSON.stringify({ integrity: first })), 'r1.json');
    const second = await verifyIntegrity(store, 'acme', { accepted: round1 });
    expect(second.accepted).toHaveLength(MAX_PROBLEMS);
    expect(second.problemsFound).toBe(extra + 1 - MAX_PROBLEMS);
    expect(second.problems).toHaveLength(extra + 1 - MAX_PROBLEMS);
    expect(second.ok).toBe(false);

    // That report carries the findings accepted on: accepting it accepts them all.
    const round2 = parseAcceptedFindings(JSON.parse(JSON.stringify({ integrity: second })), 'r2.json');
    const third = await verifyIntegrity(store, 'acme', { accepted: round2 });
    expect(third).toMatchObject({ ok: true, problems: [], problemsFound: 0, acceptedNotFound: [] });
    expect(third.accepted).toHaveLength(extra + 1);
  });

  it('reads a plain list, a report and the JSON of the whole verify report', () => {
    const finding = { kind: 'changed', key: 'k', sha256: 'a'.repeat(64), detail: 'ignored' };
    const expected = [{ kind: 'changed', key: 'k', sha256: 'a'.repeat(64) }];
    expect(parseAcceptedFindings([finding], 'f')).toEqual(expected);
    expect(parseAcceptedFindings({ problems: [finding] }, 'f')).toEqual(expected);
    expect(parseAcceptedFindings({ integrity: { problems: [finding] } }, 'f')).toEqual(expected);
  });

  it.each([
    [{ findings: [] }, /f is not a list of findings/],
    [[{ kind: 'odd', key: 'k' }], /f: finding 1: kind: .*each entry needs "kind"/],
    [[{ kind: 'missing' }], /f: finding 1: key: /],
    [[{ kind: 'changed', key: 'k' }], /finding 1 \(changed k\) has no sha256/],
    // Taken, it matched no finding and was then called droppable, while the finding still failed.
    [[{ kind: 'unvouched', key: 'k' }], /finding 1 \(unvouched k\) has no sha256/],
    [[{ kind: 'changed', key: 'k', sha256: 'abc' }], /sha256: a sha256 is 64 lower-case hex digits/],
  ])('refuses %j with a message saying what is wrong', (json, message) => {
    expect(() => parseAcceptedFindings(json, 'f')).toThrow(AcceptedFindingsError);
    expect(() => parseAcceptedFindings(json, 'f')).toThrow(message);
  });
});
