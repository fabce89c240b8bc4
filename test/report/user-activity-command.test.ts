import { describe, expect, it } from 'vitest';
import { deployedUserActivityCommand } from '../../functions/report/user-activity-command.ts';
import { sampleModel } from '../core/report/model-fixture.ts';

describe('the deployed report’s command to dig into a user (review R-INVEST L1)', () => {
  it('names the stack’s Athena workgroup, database and region', () => {
    const command = deployedUserActivityCommand({ workGroup: 'wg', database: 'db', region: 'eu-west-1' });
    const model = sampleModel();
    expect(command({ instance: 'acme', week: model.week, timeZone: 'UTC' })).toBe(
      'npx --no domo-activity-lake query user_activity --athena --workgroup wg --database db --region eu-west-1 --instance acme --from 2026-11-16 --to 2026-11-23 --time-zone UTC --param user_id=',
    );
  });
});
