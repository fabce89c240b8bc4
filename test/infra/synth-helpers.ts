import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ActivityLakeStack } from '../../infra/activity-lake-stack.ts';
import { CONTEXT_KEY } from '../../infra/config/config-error.ts';
import { type ActivityLakeConfig, parseActivityLakeConfig } from '../../infra/config.ts';
import { expandMetricLines, type MetricLine } from '../../infra/constructs/compact-graph-widget.ts';
import { LakeFunction, type LakeFunctionProps } from '../../infra/constructs/lake-function.ts';

/**
 * The shipped cdk.json, frozen: the tests read this copy, never the working cdk.json, which a user
 * fills in to deploy (README, "2. Configure `cdk.json`") and whose instances, report and zone
 * would otherwise change what every stack test builds. test/infra/shipped-cdk-json.test.ts keeps
 * the copy equal to the template.
 */
export const SHIPPED_CDK_JSON_FILE = fileURLToPath(new URL('./fixtures/shipped-cdk.json', import.meta.url));

/** The `context` block of the shipped cdk.json: feature flags plus the shipped `activityLake` defaults. */
export const SHIPPED_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(SHIPPED_CDK_JSON_FILE, 'utf8'),
).context;

export const SHIPPED_CONFIG = SHIPPED_CONTEXT[CONTEXT_KEY] as Record<string, unknown>;

/** The shipped config once the operator has filled in what synth requires (the alarm address). */
export const DEPLOYABLE_CONFIG: Record<string, unknown> = {
  ...SHIPPED_CONFIG,
  alarms: { ...(SHIPPED_CONFIG.alarms as Record<string, unknown>), email: 'ops@acme-co.com' },
};

/** "Today" for config checks that depend on it. */
export const TEST_NOW = new Date('2026-11-25T12:00:00Z');

export const TEST_ENV = { account: '123456789012', region: 'eu-west-1' };

/** The alarms each instance's ingest has, by the name after `<stack>-<instance>-`. */
export const INSTANCE_ALARMS = [
  'IngestErrors',
  'Lag',
  'NoSuccessfulRun',
  'EventsUnplaced',
  'Quarantine',
  'DestinationDeliveryFailures',
] as const;

/**
 * One instance with the report and the alerts on: the stack the alarm tests synthesize (once, with
 * {@link sharedSynth}), where every alarm of the stack exists.
 */
export const EVERY_FEATURE = {
  instances: [{ name: 'acme' }],
  report: {
    enabled: true,
    timeZone: 'Europe/Zurich',
    sender: 'reports@acme-co.com',
    recipients: ['sec@acme-co.com'],
  },
  alerts: { enabled: true, allowNoSubscriber: true },
};

/** The deployable config with top-level keys replaced. */
export const configWith = (overrides: Record<string, unknown> = {}): ActivityLakeConfig =>
  parseActivityLakeConfig({ ...DEPLOYABLE_CONFIG, ...overrides }, TEST_NOW);

/**
 * The shipped context without the call stacks CDK records where each resource and annotation is
 * made: capturing and rendering them was about a fifth of building a stack (a 20-instance stack
 * took 18-22 % less CPU without), for metadata that helps a person debug synth, that no test reads
 * and that no template holds.
 */
const TEST_CONTEXT: Record<string, unknown> = {
  ...SHIPPED_CONTEXT,
  'aws:cdk:disable-stack-trace': true,
  'aws:cdk:disable-creation-stack-traces': true,
};

/**
 * A fresh app with the shipped cdk.json's feature flags. Bundling is skipped (structural tests need no asset;
 * `npm run synth` exercises esbuild), and so is CDK's built-in CloudFormation validation, which
 * `npm run synth` and `cdk deploy` stop on: its engine starts in ~4-5 CPU-s per worker and each
 * synth then takes ~0.2-1 CPU-s more. test/infra/deploy-validation-matrix.test.ts runs it over
 * each config that changes the template's shape: a stack shape a user can ship belongs there.
 */
export const newTestApp = (): App =>
  new App({
    context: { ...TEST_CONTEXT, 'aws:cdk:bundling-stacks': [], 'aws:cdk:enable-path-metadata': true },
    builtinCloudFormationValidation: false,
  });

export interface Synthesized {
  stack: ActivityLakeStack;
  template: Template;
}

/** The saved queries' nested templates of the stacks synthStack built, read as they were written. */
const nestedTemplates = new WeakMap<ActivityLakeStack, Template[]>();

/** Synthesizes the stack from the shipped config with `overrides`. */
export function synthStack(overrides: Record<string, unknown> = {}): Synthesized {
  const stack = new ActivityLakeStack(newTestApp(), 'Test', {
    config: configWith(overrides),
    now: TEST_NOW,
    env: TEST_ENV,
  });
  const template = Template.fromStack(stack);
  nestedTemplates.set(stack, savedQueriesTemplatesOf(stack));
  return { stack, template };
}

const shared = new Map<string, Synthesized>();

/**
 * The stack of {@link synthStack}, synthesized once per worker for the same `overrides`: test files
 * share each worker's modules (isolate: false), so the files that read the same stack (the two
 * instances of several, the report's variants) pay for one synth (~0.5 CPU-s each) between them.
 * For callers that only read the stack and its template; one that observes the synth itself (what
 * it writes, what it throws) calls synthStack.
 */
export function sharedSynth(overrides: Record<string, unknown> = {}): Synthesized {
  const key = JSON.stringify(overrides);
  const known = shared.get(key);
  if (known) return known;
  const synthesized = synthStack(overrides);
  shared.set(key, synthesized);
  return synthesized;
}

const savedQueriesTemplatesOf = (stack: ActivityLakeStack): Template[] =>
  stack.catalog.savedQueries.map((nested) => Template.fromStack(nested));

/**
 * The templates of the nested stacks holding the catalog's saved queries (the main template holds
 * only their AWS::CloudFormation::Stack resources). Read at synth for synthStack's stacks: another
 * file's afterAll may remove the assembly's directory before a shared stack's test reads it.
 */
export const savedQueriesTemplates = ({ stack }: Synthesized): Template[] =>
  nestedTemplates.get(stack) ?? savedQueriesTemplatesOf(stack);

/**
 * Renders a resolved CloudFormation string (`Fn::Join` of literals and `Ref`s) as text, with each
 * `Ref`/`Fn::GetAtt` shown as `{LogicalId}` / `{LogicalId.Attr}`.
 */
export function cfnText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if (Array.isArray(node['Fn::Join'])) {
      const [delimiter, parts] = node['Fn::Join'] as [string, unknown[]];
      return parts.map(cfnText).join(delimiter);
    }
    if (typeof node.Ref === 'string') return `{${node.Ref}}`;
    if (Array.isArray(node['Fn::GetAtt'])) return `{${(node['Fn::GetAtt'] as string[]).join('.')}}`;
  }
  throw new Error(`cfnText: unsupported value ${JSON.stringify(value)}`);
}

/** A dashboard's graphs as its body writes them: title and metric lines. */
export interface DashboardGraph {
  title: string;
  period?: number;
  stat?: string;
  metrics: MetricLine[];
}

/**
 * The graphs of the only dashboard of `template`, each metric line as CloudWatch reads it (every
 * "same as above" written out, {@link expandMetricLines}), references as `{LogicalId}`.
 */
export function dashboardGraphs(template: Template): DashboardGraph[] {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  const body = JSON.parse(cfnText(dashboard?.Properties.DashboardBody)) as {
    widgets: {
      type: string;
      properties: { title?: string; period?: number; stat?: string; metrics?: MetricLine[] };
    }[];
  };
  return body.widgets
    .filter((widget) => widget.type === 'metric')
    .map(({ properties: { title = '', period, stat, metrics = [] } }) => ({
      title,
      ...(period === undefined ? {} : { period }),
      ...(stat === undefined ? {} : { stat }),
      metrics: expandMetricLines(metrics),
    }));
}

/** The logical id of the only resource of `type` whose construct path contains `pathPart`. */
export function logicalIdOf(template: Template, type: string, pathPart: string): string {
  const ids = Object.entries(template.findResources(type))
    .filter(([, resource]) => String(resource.Metadata?.['aws:cdk:path'] ?? '').includes(pathPart))
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one ${type} under "${pathPart}", found ${ids.length}`);
  return ids[0] as string;
}

/** One statement of an IAM policy document in a template. */
export interface PolicyStatementJson {
  Action: string | string[];
  Resource: unknown;
  NotResource?: unknown;
  Effect: string;
  Condition?: Record<string, Record<string, unknown>>;
  /** In resource policies (a key's, a topic's) only. */
  Principal?: unknown;
  Sid?: string;
}

export const actionsOf = (s: PolicyStatementJson): string[] =>
  Array.isArray(s.Action) ? s.Action : [s.Action];
/** The statement's `Resource`s; none for one that names its resources by `NotResource` (a Deny of all but them). */
export const resourcesOf = (s: PolicyStatementJson): unknown[] =>
  s.Resource === undefined ? [] : Array.isArray(s.Resource) ? s.Resource : [s.Resource];

type InlinePolicies = { PolicyDocument: { Statement: PolicyStatementJson[] } }[];

/**
 * The statements of the role `roleId`: those of its own policies (`InlinePolicyRole`), of the
 * policies attached to it, and of the managed policies it holds (its `ManagedPolicyArns` of this
 * template, and those naming it in their `Roles`: CDK's overflow policies).
 */
export function statementsOfRoleId(template: Template, roleId: string): PolicyStatementJson[] {
  const resources = template.toJSON().Resources;
  const role = resources[roleId].Properties;
  const inline = (role.Policies ?? []) as InlinePolicies;
  const held = new Set(
    ((role.ManagedPolicyArns ?? []) as { Ref?: string }[]).flatMap((arn) => (arn.Ref ? [arn.Ref] : [])),
  );
  const namesRole = (policy: Record<string, { Roles?: { Ref: string }[] }>) =>
    (policy.Properties?.Roles ?? []).some((r) => r.Ref === roleId);
  const attached = [
    ...Object.values(template.findResources('AWS::IAM::Policy')).filter(namesRole),
    ...Object.entries(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter(([id, policy]) => held.has(id) || namesRole(policy))
      .map(([, policy]) => policy),
  ];
  return [
    ...inline.flatMap((policy) => policy.PolicyDocument.Statement),
    ...attached.flatMap((policy) => policy.Properties.PolicyDocument.Statement as PolicyStatementJson[]),
  ];
}

/** The statements of the role whose construct path contains `rolePath` (see {@link statementsOfRoleId}). */
export const statementsOfRole = (template: Template, rolePath: string): PolicyStatementJson[] =>
  statementsOfRoleId(template, logicalIdOf(template, 'AWS::IAM::Role', rolePath));

/** Every statement of every role's own policies, of every `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy`. */
export function everyRoleStatement(template: Template): PolicyStatementJson[] {
  const inline = Object.values(template.findResources('AWS::IAM::Role')).flatMap(
    (role) => (role.Properties.Policies ?? []) as InlinePolicies,
  );
  return [
    ...inline.flatMap((policy) => policy.PolicyDocument.Statement),
    ...[
      ...Object.values(template.findResources('AWS::IAM::Policy')),
      ...Object.values(template.findResources('AWS::IAM::ManagedPolicy')),
    ].flatMap((policy) => policy.Properties.PolicyDocument.Statement as PolicyStatementJson[]),
  ];
}

/**
 * Bundles one function for real (esbuild, as `cdk synth` does) in the smallest stack that holds
 * it, and returns the asset directory Lambda would receive.
 */
export function bundleFunction(
  id: string,
  entry: string,
  bundledFiles: LakeFunctionProps['bundledFiles'],
): string {
  const app = new App({ context: TEST_CONTEXT, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Bundle', { env: TEST_ENV });
  new LakeFunction(stack, id, {
    entry,
    description: `${id.toLowerCase()} bundle under test`,
    environment: {},
    bundledFiles,
    timeout: Duration.minutes(5),
    memorySize: 512,
    logRetention: logs.RetentionDays.ONE_DAY,
    removalPolicy: RemovalPolicy.DESTROY,
    retryAttempts: 0,
    maxEventAge: Duration.hours(1),
    onFailure: new destinations.SqsDestination(new sqs.Queue(stack, 'Failures')),
  });
  const assembly = app.synth();
  const assets = readdirSync(assembly.directory).filter((name) => name.startsWith('asset.'));
  if (assets.length !== 1) throw new Error(`expected one asset, synth wrote ${assets.length}`);
  return path.join(assembly.directory, assets[0] as string);
}
