import { describe, expect, it } from 'vitest';
import { givenFlags, optionValue, parseInstant } from '../../functions/cli/options.ts';
import { UsageError } from '../../functions/cli/usage-error.ts';

describe('option value contracts', () => {
  it('passes a usage error from the parser through unchanged, not prefixed with the flag again', () => {
    const parse = () => {
      throw new UsageError('--lake s3://b: already names its flag');
    };
    expect(() => optionValue('--lake', 's3://b', parse)).toThrow(
      new UsageError('--lake s3://b: already names its flag'),
    );
  });

  it('counts a boolean flag as given only when it is true', () => {
    expect(givenFlags({ json: false, region: 'eu-west-1' }, ['json', 'region'])).toEqual(['--region']);
    expect(givenFlags({ json: true }, ['json', 'region'])).toEqual(['--json']);
  });

  it('says how to write a time when one is refused', () => {
    expect(() => parseInstant('--from', 'yesterday')).toThrow(
      '--from "yesterday" is not a valid UTC time: use 2026-10-01 or 2026-10-01T00:00:00Z, on a date that exists, in the years 2000-2099, an offset (if any) with hours 00-23 and minutes 00-59',
    );
  });
});
