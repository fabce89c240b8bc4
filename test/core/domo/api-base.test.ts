import { describe, expect, it } from 'vitest';
import { apiBaseProblem, parseApiBase, shownApiBase } from '../../../functions/core/domo/api-base.ts';

const keep = (text: string) => text;

describe('shownApiBase', () => {
  it.each([
    ['https://user:pw@api.domo.com/x', 'https://***@api.domo.com/x'],
    ['https://user@api.domo.com', 'https://***@api.domo.com'],
    // Not a URL: where the userinfo ends cannot be told, so all up to the last '@' goes.
    ['http://u:pa/ss@host:port', 'http://***@host:port'],
    ['https://api.domo.com/a', 'https://api.domo.com/a'],
    // No URL and no '@': hidden whole but for its scheme, as it may be `<id>:<secret>` or the secret (review 36m, item 1).
    ['not a url', '***'],
    [
      'c41e307a-b2a1-4a99-8561-174e5b153f5a:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      '***',
    ],
    ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', '***'],
    ['https://c41e307a:9f86d081884c7d659a2f', 'https://***'],
    ['https://c41e307a:9f86d081884c7d659a2f/', 'https://***'],
    ['HTTPS:c41e307a:9f86d081884c7d659a2f', 'HTTPS:***'],
    [' http://api.domo.com:port/x', 'http://***'],
    // A token pasted with the URL, in its query or fragment, is hidden too.
    ['https://api.domo.com/?access_token=abc123', 'https://api.domo.com/?***'],
    ['https://api.domo.com/#token=abc123', 'https://api.domo.com/#***'],
    // An '@' after the host may end a password holding '/', '?' or '#': all up to it goes (review 36g, item 3).
    ['https://u:pw@api.domo.com/?a=b@c', 'https://***@c'],
    ['https://u:p@w/x@api.domo.com', 'https://***@api.domo.com'],
    // The parser reads userinfo without a `//` before it: masked from the parsed URL (review 36c, item 3).
    ['https:\\\\user:pw2@api.domo.com', 'https://***@api.domo.com'],
    ['https:user:pw3@api.domo.com', 'https://***@api.domo.com'],
    ['https:/user:pw4@api.domo.com/x/', 'https://***@api.domo.com/x/'],
    ['HTTPS:user:pw5@api.domo.com/', 'https://***@api.domo.com/'],
    // Not a URL (a bad port) and no `//`: from the scheme to the last '@'.
    ['https:user:pw6@host:port', 'https:***@host:port'],
    // No scheme: `id:secret@host` parses as scheme `id:` and an opaque path; from the start (review 36g, item 3).
    [
      'c41e307a-b2a1-4a99-8561-174e5b153f5a:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08@api.domo.com',
      '***@api.domo.com',
    ],
    ['user:hunter2@api.domo.com', '***@api.domo.com'],
    ['htps:user:hunter2@api.domo.com', '***@api.domo.com'],
    // A '#' or '?' in the password ends the authority early: masked before the query is cut.
    ['https://user:hun#ter2@api.domo.com', 'https://***@api.domo.com'],
    ['https://user:hun?ter2@api.domo.com', 'https://***@api.domo.com'],
    ['https://user:1234?ter2@api.domo.com/?t=x', 'https://***@api.domo.com/?***'],
    // Leading whitespace, which the parser skips.
    [' https:user:hunter2@api.domo.com', 'https://***@api.domo.com'],
    ['\t user:hunter2@api.domo.com', '***@api.domo.com'],
  ])('%s shows as %s', (value, shown) => {
    expect(shownApiBase(value)).toBe(shown);
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
    expect(() => parseApiBase('https://client:hunter2', keep)).toThrow(
      /^apiBase 'https:\/\/\*\*\*' is not a URL/,
    );
    for (const value of ['user:hunter2@api.domo.com', 'https://user:hun#ter2@api.domo.com']) {
      expect(() => parseApiBase(value, keep)).toThrow(/^apiBase '(https:\/\/)?\*\*\*@api\.domo\.com' /);
    }
  });
});

describe("apiBaseProblem: an instance's web address is not the API (review R-OP2)", () => {
  it.each([
    'https://acme.domo.com',
    'https://ACME.domo.com./',
    'https://acme.domo.com/api',
    'https://domo.com',
  ])('refuses %s', (value) => {
    expect(apiBaseProblem(value)).toBe(
      'is a Domo web address, not the API: the activity log of every instance is at https://api.domo.com (the instance is chosen by the client id and secret)',
    );
  });

  it.each([
    'https://api.domo.com',
    'https://api.eu.domo.com',
    'https://domo.com.example.org',
    'https://notdomo.com',
  ])('accepts %s', (value) => expect(apiBaseProblem(value)).toBeUndefined());
});

describe('apiBaseProblem: http:// only where it never leaves the machine', () => {
  it.each([
    'https://api.domo.com',
    'https://domo-proxy.example.com/prefix',
    'http://127.0.0.1:8080',
    'http://127.5.6.7',
    'http://localhost:8080',
    'http://[::1]:8080',
  ])('accepts %s', (value) => {
    expect(apiBaseProblem(value)).toBeUndefined();
  });

  it.each(['http://api.domo.com', 'http://10.0.0.5:8080', 'http://127.0.0.1.example.com', 'http://[::2]'])(
    'refuses %s, saying the secret would go in cleartext and to use https',
    (value) => {
      expect(apiBaseProblem(value)).toBe(
        'uses http:// to a host that is not this machine, which would send the Domo client secret in cleartext: use https:// (http:// is only for a loopback host, 127.0.0.0/8, ::1 or localhost, such as the simulator)',
      );
    },
  );

  it('does not repeat the host: a secret pasted as one would be shown', () => {
    const secret = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
    expect(apiBaseProblem(`http://${secret}`)).not.toContain(secret);
    expect(apiBaseProblem(`http://client-id.${secret}`)).not.toContain(secret);
  });
});
