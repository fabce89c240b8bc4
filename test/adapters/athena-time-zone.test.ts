import { describe, expect, it } from 'vitest';
import { withAthenaTimeZone } from '../../functions/adapters/athena-time-zone.ts';

describe('withAthenaTimeZone', () => {
  it("spells the params' zone as Athena knows it, leaving every other as it is", () => {
    const params = { time_zone: 'Europe/Paris', instance: 'acme' };
    expect(withAthenaTimeZone(params)).toBe(params);
    expect(withAthenaTimeZone({ instance: 'acme' })).toEqual({ instance: 'acme' });
    expect(withAthenaTimeZone({ time_zone: 'Europe/Kyiv', instance: 'acme' })).toEqual({
      time_zone: 'Europe/Kiev',
      instance: 'acme',
    });
  });
});
