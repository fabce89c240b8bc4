import { describe, expect, it } from 'vitest';
import { isMailAddress } from '../../functions/core/mail-address.ts';

describe('a mail address', () => {
  it('is a bare address or one with a display name, quoted or not', () => {
    for (const address of [
      'security@example.com',
      '  security@example.com ',
      'first.last+audit@mail.example.co.uk',
      'Security team <security@example.com>',
      '"Doe, Jane" <jane@example.com>',
      '<jane@example.com>',
    ]) {
      expect(isMailAddress(address), address).toBe(true);
    }
  });

  it('is refused when it is not exactly one address a deployment would take', () => {
    for (const text of [
      '',
      'security',
      'security@',
      '@example.com',
      'jane doe@example.com',
      'jane@exa mple.com',
      'jane@localhost',
      'a@example.com,b@example.com',
      'a@example.com b@example.com',
      'jane@example.com>',
      'Jane <jane@example.com',
      'Jane <>',
      'Jane <jane@example.com> <joe@example.com>',
    ]) {
      expect(isMailAddress(text), text).toBe(false);
    }
  });
});
