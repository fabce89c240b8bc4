import type { ConfigError } from './config/config-error.ts';

/**
 * The line that follows a refused configuration: every cdk command runs the app first, so `cdk
 * bootstrap`, run before the config is filled in (README step 1 comes before step 2), stops on the
 * same list, whose heading says "cdk synth". The CLI does not tell the app which command it runs.
 */
export const BOOTSTRAP_NOTE =
  "Every cdk command (bootstrap, diff, deploy) runs this app first and stops here. To bootstrap before the config is done, skip the app: npx cdk bootstrap --app '' aws://<account-id>/<region>";

/** What app.ts prints for a refused configuration: the list of fixes, then {@link BOOTSTRAP_NOTE}. */
export const configErrorText = (error: ConfigError): string => `${error.message}\n${BOOTSTRAP_NOTE}`;
