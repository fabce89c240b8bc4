import * as z from 'zod';
import { errorMessage } from '../error-message.ts';
import type { EventCategory } from '../lake/event-record.ts';

/**
 * A rule that gives an entry its `category`. Domo does not document the action names of logins,
 * failed logins or lockouts, so the rules are data: the first rule whose every given pattern matches
 * wins; entries no rule matches are `other`.
 */
export interface CategoryRule {
  category: Exclude<EventCategory, 'other'>;
  /** Case-insensitive regular expressions (source text) over the entry's fields. */
  actionType?: string;
  eventText?: string;
  objectType?: string;
}

/**
 * Defaults cover the names seen in public code and the plausible variants (LOGIN, LOGGED_IN,
 * "Logged in", FAILED_LOGIN, LOGIN_FAILED, LOCKED_OUT, …). Order matters: failures and lockouts are
 * tested before plain logins because their texts also contain "login".
 */
export const DEFAULT_CATEGORY_RULES: readonly CategoryRule[] = [
  { category: 'lockout', actionType: 'LOCK(ED)?_?OUT|ACCOUNT_LOCKED|^LOCKED$' },
  { category: 'lockout', eventText: 'locked out|lockout|account (was )?locked' },
  {
    category: 'login_failed',
    actionType: 'FAIL(ED)?_?(LOG_?IN|SIGN_?IN|AUTH)|(LOG_?IN|SIGN_?IN|AUTH)_?FAIL',
  },
  {
    category: 'login_failed',
    eventText: '(failed|unsuccessful|invalid) (log ?in|sign ?in|password|credentials)|log ?in failed',
  },
  { category: 'logout', actionType: '^(LOG(GED)?_?OUT|SIGN(ED)?_?OUT)$' },
  { category: 'logout', eventText: '^(logged|signed) out|^log ?out' },
  { category: 'login', actionType: '^(LOG(GED)?_?IN|SIGN(ED)?_?IN)$' },
  { category: 'login', eventText: '^(logged|signed) in|^log ?in\\b' },
];

const FIELDS = ['actionType', 'eventText', 'objectType'] as const;

const ruleSchema = z.lazy(() =>
  z
    .object({
      category: z.enum(['login', 'login_failed', 'lockout', 'logout']),
      actionType: z.string().min(1).optional(),
      eventText: z.string().min(1).optional(),
      objectType: z.string().min(1).optional(),
    })
    .strict()
    .refine((rule) => FIELDS.some((field) => rule[field] !== undefined), {
      message: 'a rule needs at least one of actionType, eventText, objectType',
    }),
);

/**
 * Validates rules supplied by a user (JSON from a file, env var or deploy config) and returns them,
 * or throws an error that says which rule is wrong and how.
 */
export function parseCategoryRules(input: unknown, source = 'category rules'): CategoryRule[] {
  const parsed = z.array(ruleSchema).safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = (issue?.path ?? [])
      .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
      .join('');
    throw new Error(
      `${source}${where}: ${issue?.message ?? 'invalid'}. Expected a JSON array like [{"category":"login","actionType":"^LOGGED_IN$"}]`,
    );
  }
  for (const [index, rule] of parsed.data.entries()) {
    for (const field of FIELDS) {
      const pattern = rule[field];
      if (pattern === undefined) continue;
      try {
        new RegExp(pattern, 'i');
      } catch (error) {
        throw new Error(
          `${source}[${index}].${field}: "${pattern}" is not a valid regular expression (${errorMessage(error)})`,
        );
      }
    }
  }
  return parsed.data;
}

export type EntryFields = Partial<Record<(typeof FIELDS)[number], string | null>>;
export type Categorizer = (entry: EntryFields) => EventCategory;

/** Compiles rules once per run; the result is called for every entry. */
export function compileCategoryRules(rules: readonly CategoryRule[]): Categorizer {
  const compiled = rules.map((rule) => ({
    category: rule.category,
    tests: FIELDS.flatMap((field) => {
      const pattern = rule[field];
      return pattern === undefined ? [] : [{ field, regex: new RegExp(pattern, 'i') }];
    }),
  }));
  return (entry) => {
    for (const rule of compiled) {
      if (rule.tests.every(({ field, regex }) => regex.test(entry[field] ?? ''))) return rule.category;
    }
    return 'other';
  };
}
