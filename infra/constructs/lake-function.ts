import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeWildcardResources } from '../nag/acknowledge.ts';

/**
 * The newest Node.js runtime this aws-cdk-lib knows; cdk-nag's AwsSolutions-L1 flags anything
 * older, and the bundle target below must match it.
 */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;
const BUNDLE_TARGET = 'node24';

export interface LakeFunctionProps {
  /** Absolute path of the TypeScript handler module (exports `handler`). */
  entry: string;
  description: string;
  environment: Record<string, string>;
  timeout: Duration;
  memorySize: number;
  logRetention: logs.RetentionDays;
  removalPolicy: RemovalPolicy;
  /** Async retries after a failed run (Lambda's default of 2 is never assumed). */
  retryAttempts: number;
  /** How long a queued async event may wait (throttled behind a running invocation) before it is dropped to `onFailure`. */
  maxEventAge: Duration;
  onFailure: lambda.IDestination;
  /** 1 keeps runs of one instance from overlapping. */
  reservedConcurrentExecutions?: number;
}

/**
 * A project Lambda function with the defaults every function here shares: latest Node runtime on
 * arm64, an ESM bundle built by the local esbuild (minified, source maps, the tested AWS SDK
 * bundled), its own log group with retention, explicit async retry settings and a role that can
 * write only to that log group. Callers add their own grants to {@link LakeFunction.role}.
 */
export class LakeFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: LakeFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });

    // A custom role instead of AWSLambdaBasicExecutionRole: that managed policy may write to every log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (execution role)`,
    });
    const logStreams = this.logGroup.logGroupArn;
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logStreams],
      }),
    );
    acknowledgeWildcardResources(
      this.role,
      [logStreams],
      'The log group ARN ends in ":*" to cover its log streams, whose names Lambda generates per execution environment; the role can write only to this function\'s own log group.',
    );

    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      // Stack traces point at the TypeScript sources (the bundle ships its source map).
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      retryAttempts: props.retryAttempts,
      maxEventAge: props.maxEventAge,
      onFailure: props.onFailure,
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: BUNDLE_TARGET,
        minify: true,
        sourceMap: true,
        // Mappings are enough for stack traces; embedding the sources would triple the package.
        sourcesContent: false,
        // Ship the SDK version the tests ran against, not whatever the runtime carries.
        bundleAwsSDK: true,
        mainFields: ['module', 'main'],
        // CommonJS dependencies inside an ESM bundle may call require(); give them one.
        banner: "import { createRequire } from 'node:module';const require = createRequire(import.meta.url);",
        // Never fall back to Docker: synth must work offline on machines without it.
        forceDockerBundling: false,
      },
    });
  }
}
