import { App } from 'aws-cdk-lib';
import { defineActivityLakeApp } from './activity-lake-app.ts';
import { ConfigError } from './config/config-error.ts';
import { configErrorText } from './config-error-text.ts';

// The CDK app entry (`cdk.json` → `npx tsx infra/app.ts`).
const app = new App();
try {
  defineActivityLakeApp(app);
  // Inside: synth refuses a template CloudFormation would (infra/template-size-limit.ts).
  app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  // A configuration mistake is not a crash: print the list of fixes without a stack trace.
  console.error(configErrorText(error));
  process.exit(1);
}
