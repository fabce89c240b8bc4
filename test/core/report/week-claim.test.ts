import { describe, expect, it } from 'vitest';
import { reportSentKey } from '../../../functions/core/lake/layout.ts';
import { PreconditionFailedError, silentLog } from '../../../functions/core/ports.ts';
import { encodeMarker } from '../../../functions/core/report/sent-marker.ts';
import {
  blockingState,
  ClaimUndecidedError,
  claimWeek,
  readWeekMarker,
} from '../../../functions/core/report/week-claim.ts';
import { InFlight409Store } from '../../support/in-flight-409-store.ts';
import { Landed412Store } from '../../support/landed-412-store.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';
import { sentMarker as marker, settleDeps as settle } from '../../support/sent-marker-fixture.ts';

const KEY = reportSentKey('acme', '2026-W47');

function setup() {
  const store = new MemoryObjectStore();
  const week = { store, instance: 'acme', isoWeek: '2026-W47' };
  const stored = () => JSON.parse(new TextDecoder().decode(store.objects.get(KEY)?.body));
  return { store, week, stored };
}

describe('the week claim', () => {
  it('reads no marker as free, and only `failed` (or a resend) as claimable', async () => {
    const { store, week } = setup();
    const none = await readWeekMarker(week);
    expect(none).toEqual({ state: undefined, etag: null });
    expect(blockingState(none, false)).toBeUndefined();
    for (const state of ['sending', 'sent', 'unknown'] as const) {
      store.putNow(KEY, encodeMarker(marker(state)));
      const read = await readWeekMarker(week);
      expect(blockingState(read, false)).toBe(state);
      expect(blockingState(read, true)).toBeUndefined();
    }
    store.putNow(KEY, encodeMarker(marker('failed')));
    expect(blockingState(await readWeekMarker(week), false)).toBeUndefined();
    store.putNow(KEY, new TextEncoder().encode('not json'));
    expect(blockingState(await readWeekMarker(week), false)).toBe('unknown');
  });

  it('claims create-only, then records the outcome conditional on the claim', async () => {
    const { store, week, stored } = setup();
    const result = await claimWeek(week, await readWeekMarker(week), marker('sending'), settle);
    expect(result.claimed).toBe(true);
    expect(stored()).toMatchObject({ state: 'sending' });
    if (!result.claimed) return;
    await expect(result.claim.settle({ state: 'sent', messageId: 'm-1' })).resolves.toEqual({
      recorded: true,
    });
    expect(stored()).toMatchObject({
      state: 'sent',
      messageId: 'm-1',
      updatedAt: '2026-11-23T07:05:00.000Z',
    });
    expect(store.puts.map((p) => [p.options.ifNoneMatch, p.options.ifMatch === undefined])).toEqual([
      ['*', true],
      [undefined, false],
    ]);
  });

  it('takes a failed marker over with If-Match on the ETag it read', async () => {
    const { store, week, stored } = setup();
    const { etag } = store.putNow(KEY, encodeMarker(marker('failed')));
    const result = await claimWeek(week, await readWeekMarker(week), marker('sending', 'a-2'), settle);
    expect(result.claimed).toBe(true);
    expect(store.puts[0]?.options.ifMatch).toBe(etag);
    expect(stored()).toMatchObject({ state: 'sending', attemptId: 'a-2' });
  });

  it('loses for good to a run that claimed between the read and the claim, even when resending', async () => {
    const { store, week, stored } = setup();
    store.putNow(KEY, encodeMarker(marker('sent')));
    const read = await readWeekMarker(week);
    // Another deliberate resend lands its claim first.
    store.putNow(KEY, encodeMarker(marker('sending', 'other')));
    const result = await claimWeek(week, read, marker('sending', 'mine'), settle);
    expect(result).toMatchObject({ claimed: false, reason: 'claimed', marker: { attemptId: 'other' } });
    expect(store.puts).toHaveLength(1);
    expect(stored()).toMatchObject({ attemptId: 'other' });
  });

  it('takes its own claim, stored although the put was answered with 412 on a retry, as won', async () => {
    const { store, week, stored } = setup();
    const mine = marker('sending', 'mine');
    // S3 stored the create-only put but its answer was lost; the SDK's retry then got 412.
    store.beforePut = (_key, putNumber) => {
      if (putNumber === 1) store.putNow(KEY, encodeMarker(mine));
    };
    const result = await claimWeek(week, await readWeekMarker(week), mine, settle);
    if (!result.claimed) throw new Error(`expected the claim, got ${JSON.stringify(result)}`);
    // The claim holds the stored marker's ETag, so recording the outcome still applies.
    await result.claim.settle({ state: 'sent', messageId: 'm-1' });
    expect(stored()).toMatchObject({ state: 'sent', attemptId: 'mine', messageId: 'm-1' });
  });

  it('records an outcome S3 stored but answered 412 (or 409, its first attempt in flight) as recorded', async () => {
    for (const store of [new Landed412Store(), new InFlight409Store()]) {
      const week = { store, instance: 'acme', isoWeek: '2026-W47' };
      const result = await claimWeek(week, await readWeekMarker(week), marker('sending', 'mine'), settle);
      if (!result.claimed) throw new Error(`expected the claim, got ${JSON.stringify(result)}`);
      if (store instanceof Landed412Store) store.arm(KEY);
      else store.arm(KEY, 1);
      await expect(result.claim.settle({ state: 'failed', error: 'refused' })).resolves.toEqual({
        recorded: true,
      });
      // The claim moved to the stored marker's ETag: a later outcome still applies.
      await expect(result.claim.settle({ state: 'sent', messageId: 'm-1' })).resolves.toEqual({
        recorded: true,
      });
      expect(JSON.parse(new TextDecoder().decode(store.objects.get(KEY)?.body))).toMatchObject({
        state: 'sent',
        attemptId: 'mine',
      });
    }
  });

  it('says it could not record the outcome when another run took the marker over', async () => {
    const { store, week, stored } = setup();
    const result = await claimWeek(week, await readWeekMarker(week), marker('sending', 'mine'), settle);
    if (!result.claimed) throw new Error(`expected the claim, got ${JSON.stringify(result)}`);
    store.putNow(KEY, encodeMarker(marker('sending', 'other')));
    await expect(result.claim.settle({ state: 'sent', messageId: 'm-1' })).resolves.toEqual({
      recorded: false,
      holder: 'other-run',
      attemptId: 'other',
      state: 'sending',
    });
    expect(stored()).toMatchObject({ attemptId: 'other' });
  });

  it('decides nothing when a lost claim finds no marker: its own put may still be in flight', async () => {
    const { store, week } = setup();
    // The store answers as a lost race while the claim's first attempt is still being stored.
    store.beforePut = (_key, putNumber) => {
      if (putNumber === 1) throw new PreconditionFailedError(KEY);
    };
    await expect(
      claimWeek(week, await readWeekMarker(week), marker('sending', 'mine'), settle),
    ).rejects.toThrow(ClaimUndecidedError);
    expect(store.puts).toHaveLength(1);
  });

  it('wins the claim when its first attempt, in flight at the 409, lands just after the check', async () => {
    const store = new InFlight409Store().arm(KEY, 1);
    const week = { store, instance: 'acme', isoWeek: '2026-W47' };
    const result = await claimWeek(week, await readWeekMarker(week), marker('sending', 'mine'), settle);
    expect(result).toMatchObject({ claimed: true });
    expect(store.conflicted).toEqual([KEY]);
  });

  it('decides nothing when a lost claim over a marker finds that marker unchanged (a failed week, a resend)', async () => {
    const { store, week } = setup();
    for (const [state, resend] of [
      ['failed', false],
      ['unknown', true],
    ] as const) {
      store.putNow(KEY, encodeMarker(marker(state, 'last-run')));
      const read = await readWeekMarker(week);
      expect(blockingState(read, resend)).toBeUndefined();
      // The If-Match put's retry gets 409 while its first attempt is still being stored.
      store.beforePut = () => {
        throw new PreconditionFailedError(KEY);
      };
      await expect(claimWeek(week, read, marker('sending', `mine-${state}`), settle), state).rejects.toThrow(
        ClaimUndecidedError,
      );
      store.beforePut = undefined;
    }
  });

  it('keeps the claim blocking when recording the outcome fails', async () => {
    const { store, week, stored } = setup();
    const warnings: string[] = [];
    const log = { ...silentLog, warn: (message: string) => warnings.push(message) };
    const result = await claimWeek(week, await readWeekMarker(week), marker('sending'), { ...settle, log });
    if (!result.claimed) throw new Error('expected the claim');
    store.beforePut = () => {
      throw new Error('SlowDown');
    };
    // S3 failed the put outright: no read, so the marker is as this run left it.
    await expect(result.claim.settle({ state: 'sent' })).resolves.toEqual({
      recorded: false,
      holder: 'this-run',
      attemptId: expect.any(String),
      state: 'sending',
    });
    expect(warnings).toEqual(['could not update the report marker after claiming it']);
    expect(stored()).toMatchObject({ state: 'sending' });
  });
});
