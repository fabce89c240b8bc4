import { describe, expect, it, vi } from 'vitest';
import { once } from '../../functions/core/once.ts';

describe('once', () => {
  it('builds nothing until the value is first asked for', () => {
    const build = vi.fn(() => ({ built: true }));
    const value = once(build);
    expect(build).not.toHaveBeenCalled();
    expect(value()).toEqual({ built: true });
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('hands out the same value on every later call, built once', () => {
    const build = vi.fn(() => ({}));
    const value = once(build);
    const first = value();
    expect(value()).toBe(first);
    expect(value()).toBe(first);
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('keeps a falsy value instead of building it again', () => {
    const build = vi.fn(() => undefined);
    const value = once(build);
    value();
    value();
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('builds again after a failed build, and reports the failure to the caller', () => {
    let attempts = 0;
    const value = once(() => {
      attempts += 1;
      if (attempts === 1) throw new Error('not yet');
      return attempts;
    });
    expect(() => value()).toThrow('not yet');
    expect(value()).toBe(2);
    expect(value()).toBe(2);
  });
});
