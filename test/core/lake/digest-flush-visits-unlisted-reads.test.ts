/**
 * A run appends a digest before every checkpoint write, one an hour in a backfill, and each lists
 * the reads no digest of the run listed yet. Found by walking everything the run had seen, a
 * flush cost the objects so far, and the run flushes × objects: a 180-day backfill on the memory
 * store spent a third of its CPU there. Counted, not timed: every entry the recorder's maps and sets
 * hand out while the run goes (whatever the field), for runs of one day and of four.
 */
import { describe, expect, it } from 'vitest';
import { DigestRecorder } from '../../../functions/core/lake/digest-recorder.ts';
import { activityKey, checkpointKey, coverageKey } from '../../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../../functions/core/time-units.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

const day0 = Date.parse('2026-10-01T00:00:00Z');
const hour = (h: number) => day0 + h * HOUR_MS;
const body = (text: string) => new TextEncoder().encode(text);

/** Counts each entry its iterators yield. */
function counted<T>(entries: Iterator<T>, visit: () => void): IterableIterator<T> {
  const iterator: IterableIterator<T> = {
    next: () => {
      const step = entries.next();
      if (!step.done) visit();
      return step;
    },
    [Symbol.iterator]: () => iterator,
  };
  return iterator;
}

/** A Map that counts the entries walked in it. */
class CountedMap<K, V> extends Map<K, V> {
  constructor(
    entries: Map<K, V>,
    private readonly visit: () => void,
  ) {
    super(entries);
  }
  override entries() {
    return counted(super.entries(), this.visit);
  }
  override keys() {
    return counted(super.keys(), this.visit);
  }
  override values() {
    return counted(super.values(), this.visit);
  }
  override [Symbol.iterator]() {
    return this.entries();
  }
  override forEach(...args: Parameters<Map<K, V>['forEach']>) {
    for (let i = 0; i < this.size; i++) this.visit();
    super.forEach(...args);
  }
}

/** A Set that counts the entries walked in it. */
class CountedSet<T> extends Set<T> {
  constructor(
    entries: Set<T>,
    private readonly visit: () => void,
  ) {
    super(entries);
  }
  override entries() {
    return counted(super.entries(), this.visit);
  }
  override values() {
    return counted(super.values(), this.visit);
  }
  override keys() {
    return this.values();
  }
  override [Symbol.iterator]() {
    return this.values();
  }
  override forEach(...args: Parameters<Set<T>['forEach']>) {
    for (let i = 0; i < this.size; i++) this.visit();
    super.forEach(...args);
  }
}

/** Replaces each Map and Set of `recorder` with one that counts the entries walked in it. */
function countWalks(recorder: DigestRecorder): { visits: number } {
  const count = { visits: 0 };
  const visit = () => {
    count.visits++;
  };
  // Its fields are private to TypeScript only: reached by name so that a new one is counted too.
  const fields = recorder as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(fields)) {
    if (value instanceof Map) fields[name] = new CountedMap(value, visit);
    else if (value instanceof Set) fields[name] = new CountedSet(value, visit);
  }
  return count;
}

/**
 * A run over `hours` stored hours as the ingest makes it: each hour's manifest read, its events and
 * manifest written, then the checkpoint (which appends a digest first). Returns the entries walked.
 */
async function walkedOverRun(hours: number): Promise<number> {
  const lake = new MemoryObjectStore();
  for (let h = 0; h < hours; h++) lake.putNow(coverageKey('acme', hour(h)), body(`manifest ${h}`));
  const recorder = new DigestRecorder(lake, {
    instance: 'acme',
    runId: 'run-1',
    clock: { now: () => hour(hours) },
  });
  recorder.begin(hour(0), hour(hours));
  const walks = countWalks(recorder);
  for (let h = 0; h < hours; h++) {
    await recorder.get(coverageKey('acme', hour(h)));
    await recorder.put(activityKey('acme', hour(h)), body(`events ${h}`));
    await recorder.put(coverageKey('acme', hour(h)), body(`manifest ${h}, merged`));
    await recorder.put(checkpointKey('acme'), body(`checkpoint ${h}`));
  }
  expect(await recorder.seal()).toBeUndefined();
  return walks.visits;
}

describe('the flushes of a run', () => {
  it('walk what they list, not all the run has seen: four times the hours, about four times the walk', async () => {
    const day = await walkedOverRun(24);
    const fourDays = await walkedOverRun(96);
    expect(day).toBeGreaterThan(0);
    // A walk over all seen made it sixteen times (each of the 4x flushes over 4x the objects).
    expect(fourDays / day).toBeLessThan(6);
  });
});
