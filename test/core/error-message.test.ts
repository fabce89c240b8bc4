import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../functions/core/error-message.ts';

describe('errorMessage', () => {
  it("gives an Error's message and the text of anything else thrown", () => {
    expect(errorMessage(new TypeError('bad input'))).toBe('bad input');
    expect(errorMessage('a string was thrown')).toBe('a string was thrown');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
  });
});
