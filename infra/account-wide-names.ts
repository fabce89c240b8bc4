/** The stack name, Glue database and Athena workgroup a config gets when it names none. */
export const DEFAULT_STACK_NAME = 'DomoActivityLake';
export const DEFAULT_DATABASE_NAME = 'domo_activity_lake';
export const DEFAULT_WORKGROUP_NAME = 'domo-activity-lake';

/** `DomoActivityLakeEU` as a database (`domo_activity_lake_eu`) or workgroup name (`-`). */
const namedAfter = (stackName: string, separator: '_' | '-'): string =>
  stackName
    .replace(/([a-z0-9])([A-Z])/g, `$1${separator}$2`)
    .replace(/[-_]/g, separator)
    .toLowerCase();

/**
 * A stack of its own name (a second one in the account, for more instances or another audience)
 * that keeps the default Glue database or Athena workgroup name: both are names of the account and
 * region, so its deploy fails on the first stack's and rolls back, leaving its retained resources
 * behind (review R-MULTI L7). Refused at synth with names of its own to write. Not derived from the
 * stack name instead: a stack deployed under its own name with the defaults would then be renamed
 * on upgrade, which Glue refuses; such a stack says so with `athena.keepDefaultNames`.
 */
export function accountWideNameProblems(config: {
  stackName: string;
  athena: { databaseName: string; workGroupName: string; keepDefaultNames: boolean };
}): string[] {
  const { stackName, athena } = config;
  if (stackName === DEFAULT_STACK_NAME || athena.keepDefaultNames) return [];
  const problems: string[] = [];
  if (athena.databaseName === DEFAULT_DATABASE_NAME) problems.push('databaseName');
  if (athena.workGroupName === DEFAULT_WORKGROUP_NAME) problems.push('workGroupName');
  if (problems.length === 0) return [];
  const own = { databaseName: namedAfter(stackName, '_'), workGroupName: namedAfter(stackName, '-') };
  const write = problems.map((key) => `"${key}": "${own[key as keyof typeof own]}"`).join(', ');
  const which = problems.map((key) => `athena.${key} "${athena[key as 'databaseName']}"`).join(' and ');
  return [
    `athena: stackName "${stackName}" keeps the default ${which}, names of the account and region that the stack "${DEFAULT_STACK_NAME}" takes too: a second stack's deploy fails on them and rolls back. Give this stack names of its own in "athena" (${write}). If this stack is already deployed with these names, keep them (Glue cannot rename a database) and add "keepDefaultNames": true to "athena"`,
  ];
}
