import { beforeAll, describe, expect, it } from 'vitest';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { activityKey, digestKey, windowStartFromKey } from '../../../functions/core/lake/layout.ts';
import { verifyIntegrity } from '../../../functions/core/lake/verify-integrity.ts';
import { verifyLake } from '../../../functions/core/lake/verify-lake.ts';
import { verifyWithIntegrity } from '../../../functions/core/lake/verify-with-integrity.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { renderTime } from '../../../functions/simulator/time-format.ts';
import { HOURLY_RUNS_START, hourlyRunsLake } from '../../support/hourly-runs-lake.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { RefusedGetStore } from '../../support/refused-get-store.ts';
import { VirtualLatencyStore } from '../../support/virtual-latency-store.ts';

const GET_MS = 30;

let lake: MemoryObjectStore;
/** An hour's manifest and object (it holds events), amid hours read with it. */
let manifest: string;
let object: string;
beforeAll(async () => {
  lake = await hourlyRunsLake(72);
  manifest = [...lake.objects.keys()]
    .filter((key) => key.startsWith('coverage/instance=acme/'))
    .sort()[40] as string;
  object = activityKey('acme', windowStartFromKey(manifest) as number);
});

/** `check` of `lake` with the GET of `refused` refused: what it threw, when, and the GETs made. */
async function refusing(
  refused: string,
  check: (store: RefusedGetStore) => Promise<unknown>,
  { of = lake, listMs = 0 }: { of?: MemoryObjectStore; listMs?: number } = {},
) {
  const timed = new VirtualLatencyStore(of, GET_MS, listMs);
  const store = new RefusedGetStore(timed, refused);
  let failedAtMs: number | undefined;
  const failure = await check(store).then(
    () => undefined,
    (error: unknown) => {
      failedAtMs = timed.elapsedMs;
      return error;
    },
  );
  // The reads left in flight run their course before the GETs are looked at.
  await timed.drained();
  return { failure, failedAtMs, store };
}

describe('verify with one GET refused (AccessDenied, KMS)', () => {
  it('fails at once with that error, and starts no GET after it: neither hours read ahead nor the objects of hours in flight', async () => {
    for (const refused of [manifest, object]) {
      const { failure, failedAtMs, store } = await refusing(refused, (s) => verifyLake(s, 'acme'));
      expect(failure).toEqual(new Error(`GET ${refused}: Access Denied`));
      expect(failedAtMs).toBe(store.refusedAtMs);
      // In its turn, a round trip or two later, it had started 48 GETs after a refused manifest (the
      // hours in flight read their objects, more hours were read ahead), 31 after a refused object.
      expect(store.startedAfterRefusal()).toEqual([]);
    }
  });

  it('with --integrity too: in the chain, in the lake’s hours and in the objects check', async () => {
    const checks = [verifyIntegrity, (s: RefusedGetStore) => verifyWithIntegrity(s, 'acme', undefined)];
    for (const refused of [digestKey('acme', 5), manifest, object]) {
      for (const check of checks) {
        const { failure, failedAtMs, store } = await refusing(refused, (s) => check(s, 'acme'));
        expect(failure).toEqual(new Error(`GET ${refused}: Access Denied`));
        expect(failedAtMs).toBe(store.refusedAtMs);
        expect(store.startedAfterRefusal()).toEqual([]);
      }
    }
  });

  it('past the lake’s end, fails at once and lists no further day: the listing walks empty days', async () => {
    // An hour near the end, read while the listing walks the empty days of a year's range.
    const late = activityKey('acme', HOURLY_RUNS_START + 69 * HOUR_MS);
    const range = { fromMs: HOURLY_RUNS_START, toMs: HOURLY_RUNS_START + 365 * DAY_MS };
    const { failure, failedAtMs, store } = await refusing(late, (s) => verifyLake(s, 'acme', range), {
      listMs: GET_MS,
    });
    expect(failure).toEqual(new Error(`GET ${late}: Access Denied`));
    // Once the listing had ended instead: 10.8 s later, after 360 LISTs.
    expect(failedAtMs).toBe(store.refusedAtMs);
    // Only the LIST in flight ends.
    expect(store.listedAfterRefusal()).toEqual([]);
    expect(store.startedAfterRefusal()).toEqual([]);
  });

  it('starts no quarantine GET for the hours in flight', async () => {
    const quarantining = await quarantiningLake(48);
    const hour = HOURLY_RUNS_START + 20 * HOUR_MS;
    const { failure, store } = await refusing(activityKey('acme', hour), (s) => verifyLake(s, 'acme'), {
      of: quarantining,
    });
    expect(failure).toEqual(new Error(`GET ${activityKey('acme', hour)}: Access Denied`));
    expect(store.startedAfterRefusal()).toEqual([]);
    // Read the same way, the lake has a quarantine object an hour.
    expect(await verifyLake(quarantining, 'acme')).toMatchObject({ ok: true, quarantined: 48 });
  });
});

/** `hours` hours of one ordinary entry and one quarantined (its zone-less time, read as UTC, is 4 hours off). */
async function quarantiningLake(hours: number): Promise<MemoryObjectStore> {
  const source = new MemoryAuditSource(
    Array.from({ length: hours }, (_, i) => {
      const view = viewEntry(HOURLY_RUNS_START + i * HOUR_MS + 60_000, i);
      const zoneless = viewEntry(HOURLY_RUNS_START + i * HOUR_MS + 120_000, i);
      const time = renderTime(zoneless.timeMs, 'docString', 'America/New_York');
      return [view, { ...zoneless, entry: { ...(zoneless.entry as object), time } }];
    }).flat(),
  );
  const store = new MemoryObjectStore();
  const summary = await runIngest(
    quietIngestDeps(source, store, HOURLY_RUNS_START + (hours + 1) * HOUR_MS),
    { ...defaultIngestConfig('acme'), backfillDays: 3 },
    { range: { fromMs: HOURLY_RUNS_START, toMs: HOURLY_RUNS_START + hours * HOUR_MS } },
  );
  expect(summary.failures).toEqual([]);
  return store;
}
