import { App, type AppProps } from 'aws-cdk-lib';

/**
 * An App whose synth does not check its templates against the CloudFormation resource spec, as
 * newTestApp's does not: for tests of what a construct or stack writes beside its template (warnings,
 * notes, staged assets), which that check never reads. The first synth of a checked App in a worker
 * loads the spec, ~3.5 CPU-s (7 s wall for a one-bucket stack on the loaded 2-core machine against
 * 0.2 s unchecked), and each synth after it takes several times as long.
 */
export const uncheckedApp = (props: AppProps = {}): App =>
  new App({ ...props, builtinCloudFormationValidation: false });
