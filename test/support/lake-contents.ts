import { canonicalJson } from '../../functions/core/domo/canonical-json.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { decodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import type { QuarantineRecord } from '../../functions/core/lake/quarantine-record.ts';
import type { ObjectStore } from '../../functions/core/ports.ts';
import type { GroundTruthEntry } from '../../functions/simulator/index.ts';

export interface LakeContents {
  events: EventRecord[];
  quarantined: QuarantineRecord[];
}

/** Every event and quarantined record of one instance, read back from the store. */
export async function readLake(store: ObjectStore, instance: string): Promise<LakeContents> {
  const events: EventRecord[] = [];
  const quarantined: QuarantineRecord[] = [];
  for (const [table, into] of [
    ['activity_log', events],
    ['quarantine', quarantined],
  ] as const) {
    for await (const key of store.list(`${table}/instance=${instance}/`)) {
      const object = await store.get(key);
      if (object) (into as unknown[]).push(...decodeNdjsonGzip(object.body, key));
    }
  }
  return { events, quarantined };
}

const counts = (values: Iterable<string>): Map<string, number> => {
  const map = new Map<string, number>();
  for (const v of values) map.set(v, (map.get(v) ?? 0) + 1);
  return map;
};

export interface Comparison {
  expectedEvents: number;
  storedEvents: number;
  lost: number;
  duplicated: number;
  expectedQuarantined: number;
  storedQuarantined: number;
  quarantineLost: number;
  duplicateIds: number;
}

/**
 * Compares the lake with the simulator's ground truth for `[fromMs, toMs)`, as multisets of
 * canonical entries: every readable entry must be stored exactly as many times as Domo holds it,
 * every malformed one quarantined.
 */
export function compareWithGroundTruth(
  lake: LakeContents,
  truth: readonly GroundTruthEntry[],
  fromMs: number,
  toMs: number,
): Comparison {
  const inRange = truth.filter((t) => t.timeMs >= fromMs && t.timeMs < toMs);
  const expected = counts(inRange.filter((t) => !t.malformed).map((t) => canonicalJson(t.served)));
  const stored = counts(lake.events.map((e) => canonicalJson(JSON.parse(e.raw))));
  const expectedBad = counts(inRange.filter((t) => t.malformed).map((t) => canonicalJson(t.served)));
  const storedBad = counts(lake.quarantined.map((q) => canonicalJson(JSON.parse(q.raw))));
  let lost = 0;
  let duplicated = 0;
  for (const [entry, n] of expected) lost += Math.max(0, n - (stored.get(entry) ?? 0));
  for (const [entry, n] of stored) duplicated += Math.max(0, n - (expected.get(entry) ?? 0));
  let quarantineLost = 0;
  for (const [entry, n] of expectedBad) quarantineLost += Math.max(0, n - (storedBad.get(entry) ?? 0));
  const ids = counts(lake.events.map((e) => e.event_id));
  return {
    expectedEvents: inRange.filter((t) => !t.malformed).length,
    storedEvents: lake.events.length,
    lost,
    duplicated,
    expectedQuarantined: inRange.filter((t) => t.malformed).length,
    storedQuarantined: lake.quarantined.length,
    quarantineLost,
    duplicateIds: [...ids.values()].filter((n) => n > 1).length,
  };
}
