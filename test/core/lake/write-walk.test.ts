import { describe, expect, it } from 'vitest';
import { WriteWalk } from '../../../functions/core/lake/write-walk.ts';

/** A walk of the moves given as `from>to` (`-` for nothing: a create). */
const walk = (...moves: string[]): WriteWalk => {
  const w = new WriteWalk();
  for (const move of moves) {
    const [from, to] = move.split('>') as [string, string];
    w.move(from === '-' ? null : from, to);
  }
  return w;
};

describe('WriteWalk', () => {
  it('ends at the version written once more than it was replaced, in any listing order', () => {
    expect(walk('->a', 'b>a', 'a>b', 'a>b').end(['a', 'b'])).toBe('b');
    expect(walk('a>b', '->a', 'b>c', 'c>a').end(['a', 'b', 'c'])).toBe('a');
  });

  it('ends at the created version when nothing replaced it, and at itself after a write of the same bytes', () => {
    expect(walk('->a').end(['a'])).toBe('a');
    expect(walk('->a', 'a>a').end(['a'])).toBe('a');
  });

  it('has no end when a write does not say what it replaced', () => {
    const w = walk('->a', 'a>b');
    w.unknown();
    expect(w.end(['a', 'b'])).toBeUndefined();
  });

  it('has no end without exactly one create', () => {
    expect(walk('a>b').end(['b'])).toBeUndefined();
    expect(walk('->a', '->a', 'a>b').end(['a', 'b'])).toBeUndefined();
  });

  it('has no end when two versions are ahead, or one was replaced more than written', () => {
    expect(walk('->a', 'a>b', 'a>c').end(['a', 'b', 'c'])).toBeUndefined();
    expect(walk('->a', 'b>c').end(['a', 'b', 'c'])).toBeUndefined();
  });

  it("has no end when a listed version is none it wrote (read first: a dead run's write, or a forgery)", () => {
    expect(walk('->a', 'a>b').end(['a', 'b', 'x'])).toBeUndefined();
  });

  it('has no end when a loop of writes stands apart from the create', () => {
    expect(walk('->a', 'x>y', 'y>x').end(['a', 'x', 'y'])).toBeUndefined();
  });
});
