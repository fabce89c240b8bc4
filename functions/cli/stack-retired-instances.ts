import { readFileSync } from 'node:fs';

/** Where `status` looks for the deployment's settings: the checkout it runs in, as `cdk deploy` does. */
export const STACK_CONFIG_FILE = 'cdk.json';

/**
 * The instances the deployment retired: `context.activityLake.retiredInstances` of `file`. Why:
 * offboarding is that edit of cdk.json (docs/operations.md), and status read only
 * `state/instance=<i>/retired.json`, which the operator had to write as well, or the removed
 * instance read LATE for ever. Nothing (no list) when the file is missing or does not read as
 * synth takes it: status then counts every instance, as before, and synth says what is wrong.
 */
export function stackRetiredInstances(file: string = STACK_CONFIG_FILE): string[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
  const lake = (
    json as { context?: { activityLake?: { instances?: unknown; retiredInstances?: unknown } } } | null
  )?.context?.activityLake;
  const retired = lake?.retiredInstances;
  // A name still in instances runs (synth refuses the pair): an edit not deployed yet must not
  // hide the lag of an instance whose runs go on.
  const running = new Set(
    (Array.isArray(lake?.instances) ? lake.instances : []).map(
      (i: unknown) => (i as { name?: unknown } | null)?.name,
    ),
  );
  return Array.isArray(retired)
    ? retired.filter((name): name is string => typeof name === 'string' && !running.has(name))
    : [];
}
