import path from 'node:path';
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

/** esbuild settings of every function; `npm run bench` measures bundles built with these. */
export const LAMBDA_BUNDLE = {
  target: BUNDLE_TARGET,
  mainFields: ['module', 'main'],
  // CommonJS dependencies inside an ESM bundle may call require(); give them one.
  banner: "import { createRequire } from 'node:module';const require = createRequire(import.meta.url);",
  // Credentials from the environment only, where Lambda puts the role's: the SDK's full chain
  // (SSO, config files, STS, metadata) is ~105 KiB each bundle compiles at every cold start.
  // Relative to the project root, esbuild's working directory.
  alias: { '@aws-sdk/credential-provider-node': './functions/shared/lambda-credentials.ts' },
} as const;

/** The repository root: esbuild's working directory and the root of the lock file. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * esbuild hook that copies `files` (absolute paths under the project root) into the bundle's
 * directory, beside `index.mjs`. The copy runs in Node, so it behaves the same in every shell, and
 * paths are taken relative to the bundler's input directory, so it would also work in Docker.
 */
export function copyBesideBundle(files: readonly string[]): nodejs.ICommandHooks {
  for (const file of files) {
    const relative = path.relative(PROJECT_ROOT, file);
    if (!path.isAbsolute(file) || relative.startsWith('..')) {
      throw new Error(`cannot ship ${file} with a function: give an absolute path inside ${PROJECT_ROOT}`);
    }
  }
  const script =
    "const fs=require('node:fs'),path=require('node:path');const [out,...files]=process.argv.slice(1);for(const f of files)fs.copyFileSync(f,path.join(out,path.basename(f)))";
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => [
      [
        'node',
        '-e',
        JSON.stringify(script),
        JSON.stringify(outputDir),
        ...files.map((file) => JSON.stringify(path.join(inputDir, path.relative(PROJECT_ROOT, file)))),
      ].join(' '),
    ],
  };
}

/** The script that keeps only the project's mappings in a bundle's source map (see its header). */
const TRIM_SOURCE_MAP = path.join(import.meta.dirname, 'trim-source-map.mjs');

/**
 * The steps after esbuild: trim the source map to the project's own code (Node parses the whole map
 * at every cold start), then copy `files` beside the bundle (see {@link copyBesideBundle}).
 */
export function afterBundlingSteps(files: readonly string[]): nodejs.ICommandHooks {
  const copy = files.length > 0 ? copyBesideBundle(files) : undefined;
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => [
      [
        'node',
        JSON.stringify(path.join(inputDir, path.relative(PROJECT_ROOT, TRIM_SOURCE_MAP))),
        JSON.stringify(path.join(outputDir, 'index.mjs.map')),
      ].join(' '),
      ...(copy?.afterBundling(inputDir, outputDir) ?? []),
    ],
  };
}

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
      // Stated, not found by walking up from the working directory: synth works from any directory.
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
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
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: LAMBDA_BUNDLE.target,
        minify: true,
        sourceMap: true,
        // Mappings are enough for stack traces; embedding the sources would triple the package.
        sourcesContent: false,
        // Ship the SDK version the tests ran against, not whatever the runtime carries.
        bundleAwsSDK: true,
        mainFields: [...LAMBDA_BUNDLE.mainFields],
        banner: LAMBDA_BUNDLE.banner,
        esbuildArgs: {
          '--alias': Object.entries(LAMBDA_BUNDLE.alias).map(([from, to]) => `${from}=${to}`),
        },
        // Never fall back to Docker: synth must work offline on machines without it.
        forceDockerBundling: false,
        commandHooks: afterBundlingSteps(props.bundledFiles ?? []),
      },
    });
  }
}
