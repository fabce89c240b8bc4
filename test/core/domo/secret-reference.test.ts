import { describe, expect, it } from 'vitest';
import { isSecretReference, secretReferenceProblem } from '../../../functions/core/domo/secret-reference.ts';

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

  it.each([
    '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    ' 9F86D081884C7D659A2FEAA0C55AD015\n',
  ])('refuses %j, a client secret rather than a name, without repeating it (review 36g, item 4)', (value) => {
    const problem = secretReferenceProblem(value) ?? '';
    expect(problem).toMatch(/^looks like a client secret, not a secret's name \(\d+ characters, not shown/);
    expect(problem).not.toContain(value.trim());
  });

  it.each([
    'domo-secret ',
    ' domo-secret',
    'domo-secret\n',
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x-AbC123 ',
  ])('refuses %j, saying it has surrounding whitespace', (value) => {
    expect(secretReferenceProblem(value)).toMatch(/^has surrounding whitespace /);
  });

  it('takes shorter hex runs and names that merely hold hex', () => {
    for (const value of [
      '9f86d081884c7d659a2feaa0c55ad01',
      'domo/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b',
    ]) {
      expect(secretReferenceProblem(value)).toBeUndefined();
    }
  });
});
