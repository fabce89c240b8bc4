import { CONTEXT_KEY } from './config-error.ts';

/** What cdk.json's edit needs, said in place of a silent ignore (review R-OP2 L5, R-MINE4 M1/L4). */
const EDIT_CDK_JSON = `edit "${CONTEXT_KEY}" in cdk.json: cdk's -c passes text, never an object or a key inside one`;

/**
 * Context keys the app would never read, and a section given as text: `cdk synth -c
 * activityLake.alarms.email=…` sets a key of that very name, `-c ActivityLake.x=…` and `-c
 * activitylake=…` keys of other spellings, and `-c activityLake='{…}'` a string, so the deploy
 * would go on without the value the operator meant to set.
 */
export function contextKeyProblems(
  raw: unknown,
  contextKeys: readonly string[],
  keysAt: (path: readonly string[]) => string[],
): string[] {
  const lower = CONTEXT_KEY.toLowerCase();
  const problems = contextKeys
    .filter((key) => key.toLowerCase().startsWith(`${lower}.`))
    .map(
      (key) =>
        `${key}: cdk's -c sets a context key named "${key}", which this app does not read; ${EDIT_CDK_JSON}`,
    );
  problems.push(...sectionKeyProblems(contextKeys, keysAt));
  // A misspelt section alone is named below, as a section to rename.
  if (raw !== undefined && raw !== null) {
    for (const key of contextKeys) {
      if (key !== CONTEXT_KEY && key.toLowerCase() === lower)
        problems.push(
          `${key}: "${CONTEXT_KEY}" spelled differently, which this app does not read; ${EDIT_CDK_JSON}`,
        );
    }
  }
  if (typeof raw === 'string')
    problems.push(`${CONTEXT_KEY}: is text, as cdk's -c gives it; ${EDIT_CDK_JSON}`);
  return problems;
}

/**
 * The path inside the section `key` names (`Report.Enabled` → `report.enabled`), each known key in
 * its own spelling, or undefined when its first part is no key of the section.
 */
function meantSectionPath(key: string, keysAt: (path: readonly string[]) => string[]): string | undefined {
  const path: string[] = [];
  for (const part of key.split('.')) {
    const meant = keysAt(path).find((known) => known.toLowerCase() === part.toLowerCase());
    if (meant === undefined && path.length === 0) return undefined;
    path.push(meant ?? part);
  }
  return path.join('.');
}

/**
 * Context keys that are keys of the section, or paths into it: the app reads only the section's
 * own, so a second stack tried with `-c stackName=Foo` would deploy over the first (review R-FIRST
 * M4), and `-c report.enabled=true` would deploy without the report (R-CONFIG2 M1). A key without a
 * dot may as well be one a misplaced brace left beside the section in cdk.json (R-CONFIG2 L1).
 */
function sectionKeyProblems(
  contextKeys: readonly string[],
  keysAt: (path: readonly string[]) => string[],
): string[] {
  return contextKeys.flatMap((key) => {
    const meant = meantSectionPath(key, keysAt);
    if (meant === undefined) return [];
    const reads = `${CONTEXT_KEY}.${meant}`;
    return key.includes('.')
      ? [
          `${key}: cdk's -c sets a context key named "${key}" beside "${CONTEXT_KEY}", which this app does not read (it reads ${reads} in cdk.json); ${EDIT_CDK_JSON}`,
        ]
      : [
          `${key}: a context key named "${key}" beside "${CONTEXT_KEY}" (from cdk.json's "context" or -c), which this app does not read (it reads ${reads}): move it inside "${CONTEXT_KEY}" in cdk.json, as cdk's -c cannot set a key inside it`,
        ];
  });
}
