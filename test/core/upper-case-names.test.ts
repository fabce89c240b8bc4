import { describe, expect, it } from 'vitest';

/**
 * Where sqlUpper and JavaScript's `toUpperCase` can disagree on a Domo type compared with a name:
 * only where a letter's upper case is several letters (`ß` is `SS`) that the name holds. USER
 * (evidence-hours.ts) and EXPORTED (export-events.ts) hold none, so their move to sqlUpper changed
 * no answer and has no test of its own; ACCESS_TOKEN and SSO_PAGE (privileged-change-kind.ts) hold
 * `SS`, and test/core/privileged-change-kind.test.ts tests them.
 */
const spelledOut = (name: string): string[] => {
  const found: string[] = [];
  for (let code = 0; code <= 0x10ffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const char = String.fromCodePoint(code);
    const upper = char.toUpperCase();
    if ([...upper].length > 1 && name.includes(upper)) found.push(char);
  }
  return found;
};

describe('a letter whose upper case is several', () => {
  it('fits in no USER nor EXPORTED', () => {
    expect(spelledOut('USER')).toEqual([]);
    expect(spelledOut('EXPORTED')).toEqual([]);
  });

  it('fits in ACCESS_TOKEN and SSO_PAGE: ß', () => {
    expect(spelledOut('ACCESS_TOKEN')).toEqual(['ß']);
    expect(spelledOut('SSO_PAGE')).toEqual(['ß']);
  });
});
