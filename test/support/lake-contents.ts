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

/**
 * How many times each value of `expected` is missing from `found` and each value of `found` is there
 * more often than in `expected`, as multisets: one count per distinct value, up for an expected
 * one and down for a found one, so each value is hashed into one map, not two.
 */
function multisetDifference(expected: Iterable<string>, found: Iterable<string>) {
  const balance = new Map<string, number>();
  for (const value of expected) balance.set(value, (balance.get(value) ?? 0) + 1);
  for (const value of found) balance.set(value, (balance.get(value) ?? 0) - 1);
  let missing = 0;
  let extra = 0;
  for (const n of balance.values()) {
    if (n > 0) missing += n;
    else extra -= n;
  }
  return { missing, extra };
}

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
  const good: string[] = [];
  const bad: string[] = [];
  for (const t of truth) {
    if (t.timeMs >= fromMs && t.timeMs < toMs) (t.malformed ? bad : good).push(canonicalJson(t.served));
  }
  const events = multisetDifference(
    good,
    lake.events.map((e) => canonicalJson(JSON.parse(e.raw))),
  );
  const quarantine = multisetDifference(
    bad,
    lake.quarantined.map((q) => canonicalJson(JSON.parse(q.raw))),
  );
  const ids = new Set<string>();
  const duplicateIds = new Set<string>();
  for (const { event_id } of lake.events) (ids.has(event_id) ? duplicateIds : ids).add(event_id);
  return {
    expectedEvents: good.length,
    storedEvents: lake.events.length,
    lost: events.missing,
    duplicated: events.extra,
    expectedQuarantined: bad.length,
    storedQuarantined: lake.quarantined.length,
    quarantineLost: quarantine.missing,
    duplicateIds: duplicateIds.size,
  };
}
