import * as z from 'zod/mini';
import { MAX_DAYS_LIMIT } from '../core/lake/aged-out.ts';
import '../core/zod-english.ts';

/**
 * The environment-variable contract between the CDK app and a Lambda: the app writes it with
 * {@link toEnvironment}, the handler reads it with {@link readEnvironment}, both from one table of
 * names, so the two sides cannot drift.
 */

/** A required, non-empty variable. */
export const requiredText = (name: string) =>
  z.string({ error: `${name} is not set` }).check(z.minLength(1, { error: `${name} is empty` }));

/**
 * An optional variable: unset and empty both read as undefined (the stack writes '' for "none",
 * and a function configured before the variable existed has none).
 */
export const optionalText = () =>
  z.pipe(
    z.optional(z.string()),
    z.transform((value: string | undefined) => value || undefined),
  );

/**
 * An optional whole number from `min` to `max`, `what` saying what sets it: unset or empty reads as
 * undefined (the default), as a function configured before the variable existed has none.
 */
export const optionalWholeNumber = (name: string, min: number, max: number, what: string) =>
  z.pipe(
    optionalText(),
    z.transform((value: string | undefined, ctx) => {
      if (value === undefined) return undefined;
      const n = Number(value);
      if (/^\d+$/.test(value) && n >= min && n <= max) return n;
      // zod/mini's transforms get the parse payload itself, without the full build's addIssue.
      ctx.issues.push({
        code: 'custom',
        message: `${name} is "${value}": it must be a whole number from ${min} to ${max} (${what})`,
        input: value,
      });
      return z.NEVER;
    }),
  );

/** The variable that hands each function cdk.json's `retention.maxDays`. */
export const MAX_DAYS_ENV = 'LAKE_MAX_DAYS';

/**
 * `LAKE_MAX_DAYS`, read by the ingest, alerts and report functions alike: a value synth accepts
 * (1 to 36500 days); unset or empty for none (`null` in cdk.json: kept forever, and a function
 * deployed before it was passed). Synth never writes another, so one is a hand edit: refused.
 */
export const maxDaysVariable = optionalWholeNumber(MAX_DAYS_ENV, 1, MAX_DAYS_LIMIT, 'retention.maxDays');

/**
 * Reads `names` from `env` and validates them with `schema`.
 *
 * @throws Error listing every missing or malformed variable; the stack sets them all, so this
 *   means the function was configured by hand or the stack is out of date (redeploy it).
 */
export function readEnvironment<K extends string, T>(
  functionName: string,
  names: Record<K, string>,
  schema: z.core.$ZodType<T>,
  env: Record<string, string | undefined>,
): T {
  const raw = Object.fromEntries(Object.entries<string>(names).map(([key, name]) => [key, env[name]]));
  const result = z.safeParse(schema, raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => issue.message).join('; ');
    throw new Error(
      `${functionName} function environment is invalid: ${problems}. The CDK stack sets these variables; redeploy it (cdk deploy) rather than editing them by hand.`,
    );
  }
  return result.data;
}

/** The variables for `config`, named by `names`; lists are written comma-separated. */
export function toEnvironment<K extends string>(
  names: Record<K, string>,
  config: Record<K, string | number | readonly string[]>,
): Record<string, string> {
  return Object.fromEntries(
    (Object.keys(names) as K[]).map((key) => {
      const value = config[key];
      return [names[key], Array.isArray(value) ? value.join(',') : String(value)];
    }),
  );
}
