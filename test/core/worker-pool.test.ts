import { describe, expect, it } from 'vitest';
import { runPool } from '../../functions/core/worker-pool.ts';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe('runPool', () => {
  it('does every item with at most `size` in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const done: number[] = [];
    await runPool([1, 2, 3, 4, 5, 6, 7].values(), 3, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await tick();
      done.push(n);
      inFlight--;
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  it('starts nothing new once told to stop, and lets the work in flight finish', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    let stop = false;
    await runPool(
      [1, 2, 3, 4, 5, 6].values(),
      2,
      async (n) => {
        started.push(n);
        if (n === 2) stop = true;
        await tick();
        finished.push(n);
      },
      () => stop,
    );
    expect(started).toEqual([1, 2]);
    expect(finished.sort()).toEqual([1, 2]);
  });

  it('draws an item only once admitted, hands the admission to the work, and declines the rest', async () => {
    let free = 1;
    const waiting: (() => void)[] = [];
    const turns = {
      admit: async () => {
        while (free === 0) await new Promise<void>((resolve) => waiting.push(resolve));
        free--;
        return {
          release: () => {
            free++;
            waiting.shift()?.();
          },
        };
      },
      decline: (turn: { release(): void }) => {
        declined++;
        turn.release();
      },
    };
    let declined = 0;
    let drawn = 0;
    function* items() {
      for (const n of [1, 2, 3]) {
        drawn++;
        yield n;
      }
    }
    const log: string[] = [];
    await runPool(
      items(),
      3,
      async (n, turn) => {
        log.push(`start ${n} (drawn ${drawn})`);
        await tick();
        turn.release();
        await tick();
        log.push(`end ${n}`);
      },
      () => false,
      turns,
    );
    // Three workers, one turn: each item is drawn when the previous one gives its turn back,
    // before it ends; the workers left without an item give their turns back.
    expect(log).toEqual([
      'start 1 (drawn 1)',
      'start 2 (drawn 2)',
      'end 1',
      'start 3 (drawn 3)',
      'end 2',
      'end 3',
    ]);
    expect(declined).toBe(3);
    expect(free).toBe(1);
  });

  it('draws items lazily', async () => {
    let drawn = 0;
    function* items() {
      for (let i = 0; i < 1_000_000; i++) {
        drawn++;
        yield i;
      }
    }
    let stop = false;
    await runPool(
      items(),
      2,
      async (n) => {
        stop = n >= 3;
      },
      () => stop,
    );
    expect(drawn).toBeLessThan(10);
  });

  it('rejects with an error that escapes the work, after the others settle, and refuses a bad size', async () => {
    const finished: number[] = [];
    const pool = runPool([1, 2].values(), 2, async (n) => {
      if (n === 1) throw new Error('boom');
      await tick();
      finished.push(n);
    });
    await expect(pool).rejects.toThrow('boom');
    expect(finished).toEqual([2]);
    await expect(runPool([].values(), 0, async () => {})).rejects.toThrow(/size must be a positive integer/);
  });
});
