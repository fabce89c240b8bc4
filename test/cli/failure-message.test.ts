import { describe, expect, it } from 'vitest';
import { failureMessage } from '../../functions/cli/failure-message.ts';

const sdkError = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('the line a failed command prints', () => {
  it('is the first line of the message', () => {
    expect(failureMessage(new Error('the lake is gone\nstack…'))).toBe('the lake is gone');
    expect(failureMessage('a string thrown')).toBe('a string thrown');
  });

  it('says where AWS credentials come from when the SDK found none', () => {
    expect(
      failureMessage(sdkError('CredentialsProviderError', 'Could not load credentials from any providers')),
    ).toBe(
      'Could not load credentials from any providers: no AWS credentials were found; sign in (aws sso login, or set AWS_PROFILE) or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then retry',
    );
  });

  it('leaves any other error as it is (the S3 store words its own, fix included)', () => {
    expect(failureMessage(sdkError('AccessDenied', 'denied'))).toBe('denied');
  });
});
