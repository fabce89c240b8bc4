import { describe, expect, it } from 'vitest';
import { objectAddress } from '../../../functions/core/lake/object-address.ts';

describe('where an object is, as a message names it', () => {
  it('joins a disk location and a key with one slash', () => {
    expect(objectAddress({ location: '/tmp/r' }, 'reports/instance=main/2026-W48.sent.json')).toBe(
      '/tmp/r/reports/instance=main/2026-W48.sent.json',
    );
  });

  it('keeps an S3 location and a key with one slash between them', () => {
    expect(objectAddress({ location: 's3://bucket/lake/' }, 'reports/')).toBe('s3://bucket/lake/reports/');
    expect(objectAddress({ location: 's3://bucket/' }, '/state/x.json')).toBe('s3://bucket/state/x.json');
  });
});
