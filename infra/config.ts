/**
 * The deploy configuration's entry point: parseActivityLakeConfig and the types the stack reads.
 * The sections' schemas and their checks live in infra/config/, one concern a file; the names
 * re-exported here are the ones the stack, its helpers and the tests import, so they need not know
 * that layout.
 */
import type * as z from 'zod';
import { didYouMean } from '../functions/core/did-you-mean.ts';
import { DAY_MS } from '../functions/core/time-units.ts';
import { accountWideNameProblems } from './account-wide-names.ts';
import { CONTEXT_KEY, ConfigError } from './config/config-error.ts';
import { configSchema } from './config/config-schema.ts';
import { contextKeyProblems } from './config/context-key-problems.ts';
import { describeGiven } from './config/given-value.ts';
import { keyName, repullAdvice, typeAdvice, valueAt } from './config/issue-advice.ts';
import { knownKeysAt, unknownKeyProblems } from './config-key-advice.ts';
import { instanceReportKeyProblems, stackWideKeyProblems } from './stack-wide-instance-keys.ts';

/** The schema of each day (UTC, "YYYY-MM-DD") a config was read on: one per synth, a few across the tests. */
const schemaOfDay = new Map<string, ReturnType<typeof configSchema>>();

/** The validated deploy configuration. */
export type ActivityLakeConfig = z.output<ReturnType<typeof configSchema>>;
export type InstanceConfig = ActivityLakeConfig['instances'][number];

/**
 * Validates the `activityLake` context value. `now` pins "today" for the checks that depend on it:
 * the projection start must cover the first backfill, and the report schedule's days are read from
 * its year (infra/schedule-gaps.ts, `thisYear`). `contextKeys`, the keys beside it in cdk.json's
 * "context", name a misspelt section when it is missing.
 *
 * @throws ConfigError naming every bad key and how to fix it.
 */
export function parseActivityLakeConfig(
  raw: unknown,
  now: Date = new Date(),
  contextKeys: readonly string[] = [],
): ActivityLakeConfig {
  const day = now.toISOString().slice(0, 10);
  const schema = schemaOfDay.get(day) ?? configSchema(new Date(`${day}T00:00:00Z`));
  schemaOfDay.set(day, schema);
  const contextProblems = contextKeyProblems(raw, contextKeys, (path) => knownKeysAt(schema, path));
  if (contextProblems.length > 0) throw new ConfigError(contextProblems);
  if (raw === undefined || raw === null) {
    // The section under a near-miss name ("activitylake") is there, only misnamed: say so.
    const near = didYouMean(CONTEXT_KEY, contextKeys);
    throw new ConfigError([
      near === undefined
        ? `${CONTEXT_KEY}: missing. Add an "${CONTEXT_KEY}" object under "context" in cdk.json (see README "Deploy").`
        : `${CONTEXT_KEY}: missing; "context" in cdk.json has "${near}" (did you mean "${CONTEXT_KEY}"?): rename it`,
    ]);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.flatMap((issue) => {
        if (issue.code === 'unrecognized_keys') {
          // A key already given is no guess for another: `timezone` beside `timeZone` is a duplicate.
          const given = valueAt(raw, issue.path);
          const present = (key: string) =>
            typeof given === 'object' && given !== null && Object.hasOwn(given, key);
          const written = (key: string) => JSON.stringify(valueAt(given, [key]));
          const same = (key: string, near: string) => written(key) === written(near);
          const known = knownKeysAt(schema, issue.path);
          const { problems, rest } = instanceKeyProblems(issue.path, issue.keys, (path) =>
            knownKeysAt(schema, path),
          );
          return [...problems, ...unknownKeyProblems(rest, known, present, same)].map(
            (text) => `${keyName(issue.path)}: ${text}`,
          );
        }
        const given = valueAt(raw, issue.path);
        const message = typeAdvice(issue, given) ?? repullAdvice(issue, raw) ?? issue.message;
        return `${keyName(issue.path)}: ${message} (got ${describeGiven(issue, given)})`;
      }),
    );
  }
  const config = result.data;
  const nameProblems = accountWideNameProblems(config);
  if (nameProblems.length > 0) throw new ConfigError(nameProblems.map((text) => `${CONTEXT_KEY}.${text}`));
  const backfillStart = new Date(now.getTime() - config.ingest.backfillDays * DAY_MS)
    .toISOString()
    .slice(0, 10);
  if (config.lakeStartDate > backfillStart) {
    throw new ConfigError([
      `${CONTEXT_KEY}.lakeStartDate: ${config.lakeStartDate} is after the first backfilled day ${backfillStart} (today minus ingest.backfillDays ${config.ingest.backfillDays}), so Athena would not see the oldest data; set it to ${backfillStart} or earlier, and never move it later once data exists`,
    ]);
  }
  return config;
}

/**
 * Keys of an instance, or of its `report` object, that are set for the whole stack: each said
 * where, the `rest` left to the spelling advice.
 */
function instanceKeyProblems(
  path: readonly PropertyKey[],
  keys: readonly string[],
  keysAt: (path: readonly string[]) => string[],
): { problems: string[]; rest: readonly string[] } {
  if (path[0] !== 'instances') return { problems: [], rest: keys };
  if (path.length === 2) return stackWideKeyProblems(keys);
  if (path.length === 3 && path[2] === 'report') return instanceReportKeyProblems(keys, keysAt(['report']));
  return { problems: [], rest: keys };
}

/** The `report` section of the validated configuration. */
type ReportConfig = ActivityLakeConfig['report'];

/** The report section once enabled: validation guarantees a sender and at least one recipient. */
export type EnabledReportConfig = ReportConfig & { enabled: true; sender: string };

/** The report section when the weekly report is to be deployed, or undefined when it is off. */
export function enabledReport(report: ReportConfig): EnabledReportConfig | undefined {
  if (!report.enabled || report.sender === undefined) return undefined;
  return { ...report, enabled: true, sender: report.sender };
}

/** The `alerts` section of the validated configuration. */
export type AlertsConfig = ActivityLakeConfig['alerts'];
