import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from '../../../functions/core/domo/redactor.ts';

describe('createRedactor', () => {
  it('removes every registered secret, raw and URL-encoded', () => {
    const redactor = createRedactor(['s3cr3t/+=', 'QmFzaWM=']);
    expect(redactor.scrub('a s3cr3t/+= b s3cr3t%2F%2B%3D c QmFzaWM=')).toBe(
      `a ${REDACTED} b ${REDACTED} c ${REDACTED}`,
    );
  });

  it('learns secrets added later, such as new tokens', () => {
    const redactor = createRedactor();
    expect(redactor.scrub('token tok-9')).toBe('token tok-9');
    redactor.add('tok-9');
    expect(redactor.scrub('token tok-9')).toBe(`token ${REDACTED}`);
  });

  it('removes a secret that contains another one whole', () => {
    const redactor = createRedactor(['abc', 'xxabcxx']);
    expect(redactor.scrub('[xxabcxx]')).toBe(`[${REDACTED}]`);
  });

  it('ignores empty secrets', () => {
    expect(createRedactor(['']).scrub('unchanged')).toBe('unchanged');
  });
});
