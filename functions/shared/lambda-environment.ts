import * as z from 'zod/mini';
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
