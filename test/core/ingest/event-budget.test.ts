import { describe, expect, it } from 'vitest';
import { EventBudget } from '../../../functions/core/ingest/event-budget.ts';

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Asks for a share without waiting for it: `started()` tells whether it was granted yet. */
function pendingTake(budget: EventBudget, entries: number) {
  let granted = false;
  const share = budget.take(entries).then((s) => {
    granted = true;
    return s;
  });
  return { share, started: () => granted };
}

describe('EventBudget', () => {
  it('lets shares in while they fit and holds the next until entries are given back', async () => {
    const budget = new EventBudget(100);
    const a = await budget.take(60);
    const b = await budget.take(40);
    expect(budget.inUse).toBe(100);
    const c = pendingTake(budget, 30);
    await settle();
    expect(c.started()).toBe(false);
    a.resize(20); // an hour of a's span stored: 40 entries given back
    await settle();
    expect(c.started()).toBe(true);
    expect(budget.inUse).toBe(90);
    (await c.share).release();
    b.release();
    a.release();
    expect(budget.inUse).toBe(0);
  });

  it('counts what a span really fetched, even beyond the capacity, and blocks others meanwhile', async () => {
    const budget = new EventBudget(100);
    const a = await budget.take(10);
    a.resize(250); // the hour was much busier than expected
    const b = pendingTake(budget, 10);
    await settle();
    expect(b.started()).toBe(false);
    a.release();
    await settle();
    expect(b.started()).toBe(true);
    (await b.share).release();
    expect(budget.inUse).toBe(0);
  });

  it('runs a span expecting more than the whole budget alone rather than never', async () => {
    const budget = new EventBudget(100);
    const big = await budget.take(5_000);
    expect(budget.inUse).toBe(100);
    const small = pendingTake(budget, 1);
    await settle();
    expect(small.started()).toBe(false);
    big.release();
    await settle();
    expect(small.started()).toBe(true);
    (await small.share).release();
  });

  it('serves waiting spans in order, so a big one is not starved by small ones', async () => {
    const budget = new EventBudget(100);
    const first = await budget.take(50);
    const order: string[] = [];
    const big = budget.take(100).then((share) => {
      order.push('big');
      return share;
    });
    const small = budget.take(10).then((share) => {
      order.push('small');
      return share;
    });
    await settle();
    expect(order).toEqual([]); // 10 would fit beside 50, but the big one asked first
    first.release();
    await settle();
    expect(order).toEqual(['big']);
    (await big).release();
    await settle();
    expect(order).toEqual(['big', 'small']);
    (await small).release();
  });

  it('gives back a share once, however often it is released', async () => {
    const budget = new EventBudget(10);
    const a = await budget.take(5);
    const b = await budget.take(5);
    a.release();
    a.release();
    a.resize(8);
    expect(budget.inUse).toBe(5);
    b.release();
    expect(budget.inUse).toBe(0);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new EventBudget(0)).toThrow(/capacity must be a positive integer/);
  });
});
