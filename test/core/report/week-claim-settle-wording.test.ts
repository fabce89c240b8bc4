import { describe, expect, it } from 'vitest';
import { reportSentKey } from '../../../functions/core/lake/layout.ts';
import { PreconditionFailedError, silentLog } from '../../../functions/core/ports.ts';
import { encodeMarker } from '../../../functions/core/report/sent-marker.ts';
import { claimWeek, readWeekMarker, type Settled } from '../../../functions/core/report/week-claim.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { sentMarker as marker } from '../../support/sent-marker-fixture.ts';

const KEY = reportSentKey('acme', '2026-W47');
/** The marker as the messages name it: the store's location and the key. */
const ADDRESS = `memory://lake/${KEY}`;

/**
 * Claims the week, then settles it while every put of the settle is answered as a lost race; at
 * the settle's put number `at` (1-3), `meanwhile` changes the marker first. Returns the warning's
 * error, the one line an operator has to tell what became of the marker.
 */
async function settleFailing(at: number, meanwhile: (store: MemoryObjectStore) => void): Promise<string> {
  return (await settleWith(at, meanwhile)).error;
}

/** What a settle answers when `meanwhile` changed the marker before its first put. */
async function settleFound(meanwhile: (store: MemoryObjectStore) => void): Promise<Settled> {
  return (await settleWith(1, meanwhile)).settled;
}

async function settleWith(
  at: number,
  meanwhile: (store: MemoryObjectStore) => void,
): Promise<{ error: string; settled: Settled }> {
  const store = new MemoryObjectStore();
  const week = { store, instance: 'acme', isoWeek: '2026-W47' };
  const warnings: Record<string, unknown>[] = [];
  const log = {
    ...silentLog,
    warn: (_message: string, fields?: Record<string, unknown>) => warnings.push(fields ?? {}),
  };
  const clock = { now: () => Date.parse('2026-11-23T07:05:00Z') };
  const result = await claimWeek(week, await readWeekMarker(week), marker('sending', 'mine'), { clock, log });
  if (!result.claimed) throw new Error('expected the claim');
  const claimPuts = store.puts.length;
  store.beforePut = (_key, putNumber) => {
    if (putNumber - claimPuts === at) meanwhile(store);
    throw new PreconditionFailedError(KEY);
  };
  const settled = await result.claim.settle({ state: 'sent', messageId: 'm-1' });
  expect(settled).toMatchObject({ recorded: false });
  expect(warnings).toHaveLength(1);
  // Named where it is, as the other messages name it: a bare key is no path to open.
  expect(warnings[0]?.markerKey).toBe(ADDRESS);
  return { error: String(warnings[0]?.error), settled };
}

const nothing = () => {};
const takenOver = (store: MemoryObjectStore) => store.putNow(KEY, encodeMarker(marker('sending', 'other')));
const removed = (store: MemoryObjectStore) => store.objects.delete(KEY);

describe("a claim's settle that gives up says what the marker holds", () => {
  it('still the claim, when every put was answered as if another were in flight', async () => {
    const error = await settleFailing(1, nothing);
    expect(error).toBe(
      `S3 answered 3 puts of ${ADDRESS} as if another write had got there first, and the marker still holds this run's claim (state sending)`,
    );
  });

  it("another run's marker, when a resend took the week over during the last put", async () => {
    const error = await settleFailing(3, takenOver);
    expect(error).toBe(
      `S3 answered 3 puts of ${ADDRESS} as if another write had got there first, and the marker was taken over by another run after this run claimed it: it now holds attempt other (state sending)`,
    );
    expect(error).not.toContain('still holds');
    expect(await settleFound(takenOver)).toEqual({
      recorded: false,
      holder: 'other-run',
      attemptId: 'other',
      state: 'sending',
    });
  });

  it("another run's marker, when the week was taken over before the first put", async () => {
    const error = await settleFailing(1, takenOver);
    expect(error).toBe(
      `the marker ${ADDRESS} was taken over by another run after this run claimed it: it now holds attempt other (state sending)`,
    );
  });

  it('nothing, when someone removed the marker', async () => {
    const gone = 'is gone: someone removed it after this run claimed the week';
    expect(await settleFailing(1, removed)).toBe(`the marker ${ADDRESS} ${gone}`);
    expect(await settleFound(removed)).toEqual({ recorded: false, holder: 'none' });
    expect(await settleFailing(3, removed)).toBe(
      `S3 answered 3 puts of ${ADDRESS} as if another write had got there first, and the marker ${gone}`,
    );
  });

  it("a changed marker that still names this run's attempt, said as such", async () => {
    const error = await settleFailing(3, (store) =>
      store.putNow(KEY, encodeMarker(marker('failed', 'mine'))),
    );
    expect(error).toContain(
      "the marker was changed after this run claimed it, though it still names this run's attempt (state failed)",
    );
  });
});
