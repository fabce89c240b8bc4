/**
 * The alerts paused (runs failing) while the ingest goes on, then a re-pull of an old hour:
 * past MAX_DIGESTS_PER_RUN (500) new digests the chain was read again from its end, dropping
 * every hour named after the first 500, so a lockout re-pulled 520 digests after the alerts'
 * place was never sent (a pause of about a week). The late pass now carries on from where the
 * 500 stopped; the login profile is folded again once, not in every run of the catch-up.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import {
  digestChainEnd,
  lakeChangesSince,
  MAX_DIGESTS_PER_RUN,
} from '../../../functions/core/alerts/lake-hours.ts';
import type { Log } from '../../../functions/core/ports.ts';
import { silentLog } from '../../../functions/core/ports.ts';
import type { MemoryObjectStore } from '../../support/memory-store.ts';
import {
  cloneStore,
  LATE_LAKE_STEP,
  lateEventsLake,
  type MemoryLake,
  RecordingChannel,
} from './support/alert-fixtures.ts';
import { alertsUpToDate, lateLakeAlerts, rePullLockouts } from './support/late-repull.ts';

const MIN = 60_000;
const REFOLD = 'could not read which hours were rewritten';

/** The chain grown past the alerts' place: a copy of the store at each step, and the time it was at. */
interface Behind {
  store: MemoryObjectStore;
  now: number;
}

describe('a lockout re-pulled many digests after the alerts’ place in the chain', () => {
  const STEPS = [450, 520, 1100] as const;
  let lake: MemoryLake;
  let ingested: MemoryObjectStore;
  /** Where the alerts stopped in the chain, and the lake grown past it by each of {@link STEPS}. */
  let at: number;
  const behind = new Map<number, Behind>();
  let setupWarnings: string[];
  let first: number;
  // One chain grown once and copied at each step, not grown again from the start for each case
  // (by 450, 520, 1,100 and 520 digests, a scheduled ingest every 15 minutes): each case goes on
  // from its copy as it did from its own growth, the same ingests at the same times on the same
  // lake. The alerts' first run is the one before the growth, its warnings checked apart.
  beforeAll(async () => {
    ({ lake, ingested } = await lateEventsLake());
    setupWarnings = [];
    const log: Log = { ...silentLog, warn: (message) => setupWarnings.push(message) };
    let store: MemoryObjectStore;
    ({ store, first } = await alertsUpToDate(ingested, log));
    at = (await readAlertCheckpoint(store, 'default'))?.checkpoint.late_digest_next ?? 0;
    let now = LATE_LAKE_STEP;
    for (const step of STEPS) {
      while ((await digestChainEnd(store, 'default')) < at + step) {
        now += 15 * MIN;
        await lake.ingest(now, store);
      }
      behind.set(step, { store: cloneStore(store), now });
    }
  }, 120_000);

  it('leaves the alerts up to date before the chain grows, with nothing to warn', () => {
    expect(setupWarnings).toEqual([]);
  });

  for (const step of STEPS) {
    it(`${step} digests behind: sent once; the login history folded again at most once`, async () => {
      const warnings: string[] = [];
      const log: Log = { ...silentLog, warn: (message) => warnings.push(message) };
      const grown = behind.get(step) as Behind;
      const store = cloneStore(grown.store);
      const channel = new RecordingChannel();
      const alerts = lateLakeAlerts(store, channel, log);
      let now = grown.now;
      expect(await digestChainEnd(store, 'default')).toBeGreaterThanOrEqual(at + step);
      await rePullLockouts(lake, store, { first, hours: 1, nowMs: now + MIN }, { id: 'p', name: 'Paused' });
      for (let k = 0; k < 24 * 4; k++) {
        now += 15 * MIN;
        await lake.ingest(now, store);
        await alerts(now + 5 * MIN);
      }
      const sent = channel.delivered.filter((a) => a.user_name?.startsWith('Paused '));
      expect(sent).toHaveLength(1);
      expect(sent[0]?.evidence).toContain('arrived late');
      expect(warnings.filter((w) => w.includes(REFOLD)).length).toBe(step > MAX_DIGESTS_PER_RUN ? 1 : 0);
      const after = (await readAlertCheckpoint(store, 'default'))?.checkpoint;
      expect(after?.late_hours).toBeUndefined();
    }, 300_000);
  }

  it('lakeChangesSince past the bound: complete up to where it stopped, the end as next', async () => {
    // From the lake as ingested (no alerts run), grown as above past the bound.
    const from = await digestChainEnd(ingested, 'default');
    const grown = behind.get(520) as Behind;
    const store = cloneStore(grown.store);
    let now = grown.now;
    while ((await digestChainEnd(store, 'default')) < from + MAX_DIGESTS_PER_RUN + 20) {
      now += 15 * MIN;
      await lake.ingest(now, store);
    }
    const end = await digestChainEnd(store, 'default');
    const changes = await lakeChangesSince(store, 'default', from);
    expect(changes.incomplete).toContain(`more than ${MAX_DIGESTS_PER_RUN}`);
    expect(changes.readTo).toBe(from + MAX_DIGESTS_PER_RUN);
    expect(changes.next).toBe(end);
    const rest = await lakeChangesSince(store, 'default', changes.readTo);
    expect(rest.incomplete).toBeUndefined();
    expect(rest.next).toBe(end);
  }, 300_000);
});
