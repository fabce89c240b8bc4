import { AssetHashType, DockerImage, type Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeWildcardResources } from '../nag/acknowledge.ts';
import { InlinePolicyRole } from './inline-policy-role.ts';
import { BUNDLE_HANDLER, localBundling, PROJECT_ROOT } from './lambda-bundle.ts';

/**
 * The newest Node.js runtime this aws-cdk-lib knows; cdk-nag's AwsSolutions-L1 flags anything
 * older, and the bundle target (lambda-bundle.ts) must match it.
 */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;

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
  /** Started (asynchronously) with the result of each successful run, e.g. the alerts after an ingest. */
  onSuccess?: lambda.IDestination;
  /** 1 keeps runs of one instance from overlapping. */
  reservedConcurrentExecutions?: number;
  /**
   * Files shipped beside the bundled handler (absolute paths inside the repository), for code that
   * reads them at run time from its own directory, such as the query catalog's `.sql` files.
   */
  bundledFiles?: readonly string[];
  /**
   * Grants in the role itself ({@link InlinePolicyRole}), one resource less per function: for the
   * functions of one instance, whose grants are few. A role granted something for every instance
   * (the weekly report's) keeps the separate policy, which CDK splits into managed policies when
   * it outgrows one.
   */
  inlinePolicy?: boolean;
}

/**
 * A project Lambda function with the defaults every function here shares: latest Node runtime on
 * arm64, an ESM bundle built by the local esbuild (minified, source maps, the tested AWS SDK
 * bundled), its own log group with retention, explicit async retry settings and a role that can
 * write only to that log group. Callers add their own grants to {@link LakeFunction.role}.
 */
export class LakeFunction extends Construct {
  readonly fn: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: LakeFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });

    // A custom role instead of AWSLambdaBasicExecutionRole: that managed policy may write to every log group.
    this.role = new (props.inlinePolicy ? InlinePolicyRole : iam.Role)(this, 'Role', {
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

    this.fn = new lambda.Function(this, 'Function', {
      // Built by esbuild in this process (lambda-bundle.ts); the asset is named by the hash of
      // what was built, so an unchanged bundle is not uploaded again.
      code: lambda.Code.fromAsset(PROJECT_ROOT, {
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Never used: the local bundling never declines, so synth needs no Docker.
          image: DockerImage.fromRegistry('local-esbuild-only'),
          local: localBundling(props.entry, props.bundledFiles ?? []),
        },
      }),
      handler: BUNDLE_HANDLER,
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      // Stack traces point at the TypeScript sources (the bundle ships a map of the project's code).
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      retryAttempts: props.retryAttempts,
      maxEventAge: props.maxEventAge,
      onFailure: props.onFailure,
      ...(props.onSuccess ? { onSuccess: props.onSuccess } : {}),
    });
  }
}
