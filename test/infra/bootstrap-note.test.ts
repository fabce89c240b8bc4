import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BOOTSTRAP_NOTE } from '../../infra/config-error-text.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The bootstrap command of README step 1, the first a new user runs against AWS. */
const readmeBootstrap = (): string | undefined =>
  /### 1\. Install and bootstrap[\s\S]*?```bash\n([\s\S]*?)```/
    .exec(README)?.[1]
    ?.split('\n')
    .find((line) => line.includes('cdk bootstrap'));

describe('bootstrapping before the config is filled in (review R-FIRST H1)', () => {
  it('README step 1 bootstraps without running the app, which refuses the shipped config', () => {
    // cdk bootstrap runs the app first unless --app is empty; step 2 sets alarms.email only later.
    expect(readmeBootstrap()).toBe("npx cdk bootstrap --app '' aws://<account-id>/<region>");
    expect(BOOTSTRAP_NOTE).toContain(readmeBootstrap());
  });

  it('the app names the way to bootstrap under any refused config', () => {
    // cdk.json's app is `npx tsx infra/app.ts`: tsx run by node itself, without npm's start-up
    // (~1.3 CPU-s under npx), runs the same app.
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
      cwd: new URL('../..', import.meta.url),
      encoding: 'utf8',
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ activityLake: { instances: [] } }) },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('then run cdk synth again');
    expect(run.stderr).toContain(BOOTSTRAP_NOTE);
  });
});
