import { describe, it } from 'vitest';
import { optionalText, requiredText } from '../../functions/shared/lambda-environment.ts';

describe.concurrent('the Lambda environment contract', () => {
  it('reads an optional variable left unset or empty as none, and any other value as given', ({ expect }) => {
    expect(optionalText().parse(undefined)).toBeUndefined();
    expect(optionalText().parse('')).toBeUndefined();
    expect(optionalText().parse('activity-lake-mail')).toBe('activity-lake-mail');
  });

  it('refuses a required variable unset or empty, naming it', ({ expect }) => {
    expect(requiredText('LAKE_BUCKET').safeParse(undefined).error?.issues[0]?.message).toBe(
      'LAKE_BUCKET is not set',
    );
    expect(requiredText('LAKE_BUCKET').safeParse('').error?.issues[0]?.message).toBe('LAKE_BUCKET is empty');
  });
});
