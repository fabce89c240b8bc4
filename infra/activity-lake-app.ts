import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ActivityLakeStack } from './activity-lake-stack.ts';
import { CONTEXT_KEY } from './config/config-error.ts';
import { parseActivityLakeConfig } from './config.ts';
import { warnOfThinReads } from './ingest-memory-warning.ts';
import { warnOfSharedAudiences } from './instance-audience-warnings.ts';
import { warnOfPersonalDataKeptForever } from './personal-data-warning.ts';
import { noteNumberedWeekdays } from './schedule-weekday-note.ts';
import { warnOfSectionsOff } from './sections-off-warnings.ts';
import { warnOfLooseSsoPatterns } from './sso-pattern-warning.ts';

/**
 * Adds the activity-lake stack to `app` from its `activityLake` context, and the cdk-nag
 * AwsSolutions checks (any unacknowledged finding fails synthesis). `infra/app.ts` and the
 * full-app test both go through here, so the test checks exactly what `cdk synth` deploys. A
 * report or alerts section filled in but off is warned of, reads of Domo thinner than the defaults',
 * personal data kept with no end said, mail and rules that may cross from one instance's audience to
 * another's, weekdays a schedule names by number, and SSO role patterns that miss the roles without
 * a region part.
 *
 * @throws ConfigError when the context is invalid.
 */
export function defineActivityLakeApp(app: App, now: Date = new Date()): ActivityLakeStack {
  const config = parseActivityLakeConfig(
    app.node.tryGetContext(CONTEXT_KEY),
    now,
    Object.keys(app.node.getAllContext()),
  );
  const stack = new ActivityLakeStack(app, config.stackName, {
    config,
    now,
    description: 'domo-activity-lake: Domo Activity Log copied into an S3 lake with Glue/Athena tables',
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  warnOfSectionsOff(stack, config);
  warnOfThinReads(stack, config);
  warnOfPersonalDataKeptForever(stack, config);
  warnOfSharedAudiences(stack, config);
  noteNumberedWeekdays(stack, config);
  warnOfLooseSsoPatterns(stack, config);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
