import { describe, expect, it } from 'vitest';
import { isSecretReference, secretReferenceProblem } from '../../functions/core/secret-reference.ts';

describe('secret references', () => {
  it.each([
    'domo',
    'DomoActivityLake/domo/main',
    'a+b=c.d@e_f-g',
    'arn:aws:secretsmanager:eu-west-3:123456789012:secret:domo-main-AbCdEf',
    'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:domo',
  ])('takes %s', (value) => {
    expect(isSecretReference(value)).toBe(true);
    expect(secretReferenceProblem(value)).toBeUndefined();
  });

  it.each([
    ['{"clientId":"x","clientSecret":"s3cr3t"}', true],
    ['"s3cr3t"', true],
    ['has space', false],
    ['', false],
    ['x'.repeat(513), false],
    ['arn:aws:secretsmanager:eu-west-1:secret:x', false],
  ])('refuses %j without repeating it', (value, json) => {
    const problem = secretReferenceProblem(value) ?? '';
    expect(problem).toContain(`(${value.length} characters, not shown as it may be a credential`);
    expect(problem.includes('looks like a secret value (JSON)')).toBe(json);
    if (value) expect(problem).not.toContain(value);
  });
});
