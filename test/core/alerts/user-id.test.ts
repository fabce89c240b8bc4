/**
 * One rule of which user ids name no user, for the alerts and the queries' user_id and doer_id:
 * they once differed on `00` (the queries refused it as "none", the alerts read it as an id).
 */
import { expect, it } from 'vitest';
import { userIdOf } from '../../../functions/core/alerts/user-id.ts';
import { namesNoUser } from '../../../functions/core/no-user-id.ts';
import { checkParamValue } from '../../../functions/core/queries/query-params.ts';

it('names no user alike for the alerts and the user_id and doer_id parameters', () => {
  for (const id of ['', ' ', '\t\n', '0', ' 0 ', '00', '0 0', '007', '1141446289']) {
    const none = namesNoUser(id);
    expect(userIdOf({ user_id: id }) === null, id).toBe(none);
    expect(/names no user/.test(checkParamValue('user_id', id) ?? ''), id).toBe(none);
    if (id !== '') expect(/names no user/.test(checkParamValue('doer_id', id) ?? ''), id).toBe(none);
  }
  // `0` is Domo's "none"; `00` is no id Domo writes, not "none" either.
  expect(namesNoUser('0')).toBe(true);
  expect(namesNoUser('00')).toBe(false);
});
