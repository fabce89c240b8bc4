import { CfnResource, Stack } from 'aws-cdk-lib';
import { ConfigError } from './config/config-error.ts';
import { type ActivityLakeConfig, enabledReport, type InstanceConfig } from './config.ts';

/** CloudFormation refuses a stack of more resources (TooManyResourcesInStack, at synth). */
export const STACK_RESOURCE_LIMIT = 500;

/**
 * The resources one instance adds, by feature. Ingest: its function (function, log group, role
 * with its grants inside, invoke config), its schedule and the schedule's role, and six alarms
 * (errors, lag, no successful run, events unplaced, quarantine, destination delivery failures,
 * the last watching its alerts function too), plus its secret when the stack creates it.
 * Report: the no-report-sent alarm. Alerts: its alerts function (four, as the ingest's; the
 * ingest invokes it as its on-success destination, a grant inside the ingest role) and three
 * alarms (delivery failed, errors, no run evaluated).
 */
const RESOURCES_PER_INSTANCE = { ingest: 12, createdSecret: 1, report: 1, alerts: 7 } as const;

/** How many resources `instance` adds to the stack of `config`. */
export function resourcesOfInstance(config: ActivityLakeConfig, instance: InstanceConfig): number {
  const per = RESOURCES_PER_INSTANCE;
  return (
    per.ingest +
    (instance.secret === undefined ? per.createdSecret : 0) +
    (enabledReport(config.report) ? per.report : 0) +
    (config.alerts.enabled ? per.alerts : 0)
  );
}

const featuresOf = (config: ActivityLakeConfig): string => {
  const on = [
    ...(enabledReport(config.report) ? ['the weekly report'] : []),
    ...(config.alerts.enabled ? ['the security alerts'] : []),
  ];
  return on.length === 0 ? 'the ingest alone' : `${on.join(' and ')} on`;
};

/**
 * Refuses, before CloudFormation's own check at synth (which names no way out), a stack whose
 * instances and features make more resources than one stack may hold, saying how many instances
 * fit with these features.
 *
 * @throws ConfigError when the stack holds more than {@link STACK_RESOURCE_LIMIT} resources.
 */
export function checkStackResourceCount(stack: Stack, config: ActivityLakeConfig): void {
  const problem = resourceCountProblem(stack, config);
  if (problem) throw new ConfigError([problem]);
  // CDK adds resources while it synthesizes (a role whose grants outgrow its inline policy gets
  // overflow managed policies), after this constructor: checked again then, so such a stack meets
  // the same advice rather than CloudFormation's TooManyResourcesInStack, which names no way out.
  stack.node.addValidation({
    validate: () => {
      const atSynth = resourceCountProblem(stack, config);
      return atSynth ? [atSynth] : [];
    },
  });
}

/** Why the stack holds too many resources, with how many instances fit; undefined when it fits. */
function resourceCountProblem(stack: Stack, config: ActivityLakeConfig): string | undefined {
  // A nested stack's resources count toward its own 500, not this stack's: here it is one resource.
  const total = stack.node
    .findAll()
    .filter((node) => CfnResource.isCfnResource(node) && Stack.of(node) === stack).length;
  if (total <= STACK_RESOURCE_LIMIT) return undefined;
  const perInstance = config.instances.map((instance) => resourcesOfInstance(config, instance));
  const shared = total - perInstance.reduce((sum, count) => sum + count, 0);
  const most = Math.max(...perInstance);
  const fit = Math.max(0, Math.floor((STACK_RESOURCE_LIMIT - shared) / most));
  return `instances: ${config.instances.length} instances with ${featuresOf(config)} make ${total} CloudFormation resources, over the ${STACK_RESOURCE_LIMIT} one stack may hold (the deploy would be refused): the stack's shared part takes ${shared} and each instance up to ${most}, so at most ${fit} instances fit in one stack with these features. Split "instances" between stacks: a checkout each, whose cdk.json lists its share, with its own "stackName", "athena.databaseName" and "athena.workGroupName" (README "Configure cdk.json")`;
}
