import { describe, expect, it } from 'vitest';
import { parseApiBase, withoutUserInfo } from '../../../functions/core/domo/api-base.ts';

const keep = (text: string) => text;

describe('withoutUserInfo', () => {
  it.each([
    ['https://user:pw@api.domo.com/x', 'https://***@api.domo.com/x'],
    ['https://user@api.domo.com', 'https://***@api.domo.com'],
    // Not a URL: where the userinfo ends cannot be told, so all up to the last '@' goes.
    ['http://u:pa/ss@host:port', 'http://***@host:port'],
    ['https://api.domo.com/a', 'https://api.domo.com/a'],
    ['not a url', 'not a url'],
  ])('%s shows as %s', (value, shown) => {
    expect(withoutUserInfo(value)).toBe(shown);
  });
});

describe('parseApiBase', () => {
  it('never shows a password in its refusal', () => {
    expect(() => parseApiBase('https://user:hunter2@api.domo.com', keep)).toThrow(
      /^apiBase 'https:\/\/\*\*\*@api\.domo\.com' must not carry a user name or password/,
    );
    expect(() => parseApiBase('http://user:hunter2/x@host:port', keep)).toThrow(
      /^apiBase 'http:\/\/\*\*\*@host:port' is not a URL/,
    );
  });
});
