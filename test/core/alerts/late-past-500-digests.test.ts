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
import { cloneStore, LATE_LAKE_STEP, lateEventsLake, type MemoryLake } from './support/alert-fixtures.ts';
import { alertsUpToDate, rePullLockouts } from './support/late-repull.ts';

const MIN = 60_000;
const REFOLD = 'could not read which hours were rewritten';

describe('a lockout re-pulled many digests after the alerts’ place in the chain', () => {
  let lake: MemoryLake;
  let ingested: MemoryObjectStore;
  beforeAll(async () => {
    ({ lake, ingested } = await lateEventsLake());
  }, 120_000);

  for (const behind of [450, 520, 1100]) {
    it(`${behind} digests behind: sent once; the login history folded again at most once`, async () => {
      const warnings: string[] = [];
      const log: Log = { ...silentLog, warn: (message) => warnings.push(message) };
      const { store, channel, alerts, first } = await alertsUpToDate(ingested, log);
      const at = (await readAlertCheckpoint(store, 'default'))?.checkpoint.late_digest_next ?? 0;
      let now = LATE_LAKE_STEP;
      while ((await digestChainEnd(store, 'default')) < at + behind) {
        now += 15 * MIN;
        await lake.ingest(now, store);
      }
      await rePullLockouts(lake, store, { first, hours: 1, nowMs: now + MIN }, { id: 'p', name: 'Paused' });
      for (let k = 0; k < 24 * 4; k++) {
        now += 15 * MIN;
        await lake.ingest(now, store);
        await alerts(now + 5 * MIN);
      }
      const sent = channel.delivered.filter((a) => a.user_name?.startsWith('Paused '));
      expect(sent).toHaveLength(1);
      expect(sent[0]?.evidence).toContain('arrived late');
      expect(warnings.filter((w) => w.includes(REFOLD)).length).toBe(behind > MAX_DIGESTS_PER_RUN ? 1 : 0);
      const after = (await readAlertCheckpoint(store, 'default'))?.checkpoint;
      expect(after?.late_hours).toBeUndefined();
    }, 300_000);
  }

  it('lakeChangesSince past the bound: complete up to where it stopped, the end as next', async () => {
    const store = cloneStore(ingested);
    const at = await digestChainEnd(store, 'default');
    let now = LATE_LAKE_STEP;
    while ((await digestChainEnd(store, 'default')) < at + MAX_DIGESTS_PER_RUN + 20) {
      now += 15 * MIN;
      await lake.ingest(now, store);
    }
    const end = await digestChainEnd(store, 'default');
    const changes = await lakeChangesSince(store, 'default', at);
    expect(changes.incomplete).toContain(`more than ${MAX_DIGESTS_PER_RUN}`);
    expect(changes.readTo).toBe(at + MAX_DIGESTS_PER_RUN);
    expect(changes.next).toBe(end);
    const rest = await lakeChangesSince(store, 'default', changes.readTo);
    expect(rest.incomplete).toBeUndefined();
    expect(rest.next).toBe(end);
  }, 300_000);
});
