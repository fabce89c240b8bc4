import { describe, expect, it } from 'vitest';
import { EVERY_FEATURE, sharedSynth } from './synth-helpers.ts';

// first-deploy review F2: AlarmTopicArn, the output step 7 sends the admin to, said nothing of
// itself, nor did six others, in the console's Outputs tab.
describe('the stack outputs', () => {
  const outputs = sharedSynth(EVERY_FEATURE).template.toJSON().Outputs as Record<
    string,
    { Description?: string }
  >;

  it('each say what they are', () => {
    const bare = Object.entries(outputs)
      .filter(([, output]) => !output.Description)
      .map(([id]) => id);
    expect(bare).toEqual([]);
  });

  // The lake's read guard refuses every role it does not name, Athena's callers included.
  it('tell who queries or audits the lake to be named in retention.readAllowedPrincipals', () => {
    expect(outputs.AthenaWorkGroup?.Description).toMatch(/retention\.readAllowedPrincipals/);
    expect(outputs.DigestAuditorPolicy?.Description).toMatch(/retention\.readAllowedPrincipals/);
  });

  it('tell on the alarm topic to confirm by token, not by the link', () => {
    expect(outputs.AlarmTopicArn?.Description).toMatch(/confirm-subscription .*Token=.*never by its link/);
  });
});
