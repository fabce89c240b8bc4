import { readFileSync } from 'node:fs';
import type { LakeSpec } from '../adapters/lake-location.ts';

/** Where `status` looks for the deployment's settings: the checkout it runs in, as `cdk deploy` does. */
export const STACK_CONFIG_FILE = 'cdk.json';

/** infra/account-wide-names.ts's DEFAULT_STACK_NAME (the CLI may not import infra; a test ties them). */
export const STACK_NAME_DEFAULT = 'DomoActivityLake';

/** What `status` takes of the cdk.json for the lake it reads: the retired names, or why none. */
export interface StackRetired {
  names: string[];
  /** The names of the file's list left out, for a lake that is not its stack's. */
  leftOut: string[];
  /** The one line saying so (null when none is). */
  notApplied: string | null;
}

interface ActivityLakeContext {
  stackName?: unknown;
  instances?: unknown;
  retiredInstances?: unknown;
  adoptLake?: { bucketName?: unknown } | null;
}

/**
 * The instances the deployment retired: `context.activityLake.retiredInstances` of `file`. Why:
 * offboarding is that edit of cdk.json (docs/operations.md), and status read only
 * `state/instance=<i>/retired.json`, which the operator had to write as well, or the removed
 * instance read LATE for ever. Nothing (no list) when the file is missing or does not read as
 * synth takes it: status then counts every instance, as before, and synth says what is wrong.
 * Only for the lake the file deploys (`lake`): a cdk.json of another deployment, or the sample of
 * a checkout, beside a local lake must not mark that lake's instances retired.
 */
export function stackRetiredInstances(
  lake: LakeSpec,
  location: string,
  file: string = STACK_CONFIG_FILE,
): StackRetired {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { names: [], leftOut: [], notApplied: null };
  }
  const config = (json as { context?: { activityLake?: ActivityLakeContext } } | null)?.context?.activityLake;
  const retired = config?.retiredInstances;
  // A name still in instances runs (synth refuses the pair): an edit not deployed yet must not
  // hide the lag of an instance whose runs go on.
  const running = new Set(
    (Array.isArray(config?.instances) ? config.instances : []).map(
      (i: unknown) => (i as { name?: unknown } | null)?.name,
    ),
  );
  const names = Array.isArray(retired)
    ? retired.filter((name): name is string => typeof name === 'string' && !running.has(name))
    : [];
  const own = stackLake(config);
  if (names.length === 0 || (lake.kind === 's3' && lake.prefix === '' && own.matches(lake.bucket)))
    return { names, leftOut: [], notApplied: null };
  return {
    names: [],
    leftOut: names,
    notApplied: `${file}'s retiredInstances (${names.join(', ')}) not applied: ${location} is not the lake it deploys (${own.shown}); to count them retired here, pass --retired ${names.join(',')}`,
  };
}

/**
 * The lake bucket of the stack `config` deploys: the kept one `adoptLake.bucketName` names, or the
 * one CloudFormation named after the stack (`<stack name in lower case>-storagelake<hash>-<id>`),
 * read at its root, as the functions write it. Status cannot ask CloudFormation (it needs only S3
 * reads), so the name is the tie.
 */
function stackLake(config: ActivityLakeContext | undefined): {
  matches: (bucket: string) => boolean;
  shown: string;
} {
  const adopted = config?.adoptLake?.bucketName;
  if (typeof adopted === 'string') return { matches: (b) => b === adopted, shown: `s3://${adopted}` };
  const stack = typeof config?.stackName === 'string' ? config.stackName : STACK_NAME_DEFAULT;
  const prefix = `${stack.toLowerCase()}-storagelake`;
  return { matches: (b) => b.startsWith(prefix), shown: `s3://${prefix}…` };
}
