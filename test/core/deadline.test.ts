import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkIntervalFor, Deadline } from '../../functions/core/deadline.ts';

describe('Deadline', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reads the time left, unlimited without a source', () => {
    let left = 5_000;
    const deadline = new Deadline(() => left);
    expect(deadline.timeLeftMs()).toBe(5_000);
    expect(deadline.hasAtLeast(5_000)).toBe(true);
    left = 4_999;
    expect(deadline.hasAtLeast(5_000)).toBe(false);
    expect(new Deadline().timeLeftMs()).toBe(Number.POSITIVE_INFINITY);
    expect(new Deadline().hasAtLeast(Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('calls the watcher once when the time left falls under the threshold, and stops on request', () => {
    let left = 10_000;
    const deadline = new Deadline(() => left);
    const spent = vi.fn();
    deadline.watch(3_000, spent, 1_000);
    vi.advanceTimersByTime(5_000);
    expect(spent).not.toHaveBeenCalled();
    left = 2_000;
    vi.advanceTimersByTime(1_000);
    left = 1_000;
    vi.advanceTimersByTime(5_000);
    expect(spent).toHaveBeenCalledTimes(1);

    const other = vi.fn();
    const unwatch = deadline.watch(3_000, other, 1_000);
    unwatch();
    vi.advanceTimersByTime(5_000);
    expect(other).not.toHaveBeenCalled();
  });

  it('checks often enough to notice a small threshold in time, and at most every second', () => {
    expect(checkIntervalFor(15_000)).toBe(1_000);
    expect(checkIntervalFor(60_000)).toBe(1_000);
    expect(checkIntervalFor(1_500)).toBe(100);
    expect(checkIntervalFor(0)).toBe(10);
    let left = 1_000;
    const spent = vi.fn();
    new Deadline(() => left).watch(300, spent);
    left = 299;
    vi.advanceTimersByTime(19);
    expect(spent).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(spent).toHaveBeenCalledTimes(1);
  });

  it('schedules nothing without a deadline', () => {
    const spent = vi.fn();
    new Deadline().watch(Number.POSITIVE_INFINITY, spent, 10)();
    expect(vi.getTimerCount()).toBe(0);
    expect(spent).not.toHaveBeenCalled();
  });
});
