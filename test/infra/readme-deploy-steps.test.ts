import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The README's text from the heading starting with `heading` to the next heading of any level. */
function section(heading: string): string {
  const start = README.indexOf(`\n${heading}`);
  expect(start, heading).toBeGreaterThan(-1);
  const next = README.slice(start + 1).search(/\n#{2,4} /);
  return README.slice(start + 1, next === -1 ? undefined : start + 1 + next);
}

// The first-deploy review's findings on the README's deploy steps.
describe('README deploy steps', () => {
  it('step 3 warns of the confirmation link as the mail arrives, and names the steps that follow (F2)', () => {
    const step3 = section('### 3. Check and deploy');
    const afterDeploy = step3.slice(step3.indexOf('npx cdk deploy'));
    expect(afterDeploy).toMatch(/do not click its\s+link/);
    expect(afterDeploy).toContain('`Token=`');
    expect(afterDeploy).toMatch(
      /Next: \[step 4\]\(#4-[^)]*\) \(the secret\), then\s+\[step 7\]\(#7-alarms\)/,
    );
  });

  it('step 3 says what a failed create leaves and how an older one’s leftovers go (F1)', () => {
    const step3 = section('### 3. Check and deploy');
    expect(step3).toContain('The rollback leaves almost nothing behind');
    expect(step3).toContain("Only the lake's access-log bucket stays");
    expect(step3).toContain("StackEvents[?ResourceStatus=='DELETE_SKIPPED']");
    expect(step3).toMatch(
      /aws secretsmanager delete-secret --secret-id\s+DomoActivityLake\/domo\/main --force-delete-without-recovery/,
    );
  });

  it('step 4 gives the console route, with the key names the function reads (F7)', () => {
    const step4 = section('### 4. Put the Domo client id and secret into the secret');
    expect(step4).toMatch(/\*\*Retrieve secret value\*\* → \*\*Edit\*\* → on\s+the Key\/value tab/);
    expect(step4).toMatch(/`clientId`[\s\S]*`clientSecret`[\s\S]*\*\*Save\*\*/);
  });

  it('gives SES a prerequisite of its own, not a line of the Lake Formation one (F9)', () => {
    const bullets = section('### Prerequisites').split('\n- ');
    const lakeFormation = bullets.find((b) => b.startsWith('**Accounts with Lake Formation.**'));
    expect(lakeFormation).toBeDefined();
    expect(lakeFormation).not.toContain('SES');
    expect(bullets.filter((b) => b.startsWith('**Amazon SES, for mail only.**'))).toHaveLength(1);
  });
});
