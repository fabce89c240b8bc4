/**
 * Which instances an expected-activity rule is for. One stack or lake may hold up to 20 Domo
 * instances, and a Domo user id is an instance's own: id 1839254411 is Ann Lee in one instance and
 * someone else, or no one yet, in another. A rule's `instance` names the instances it is for; the
 * names are judged against the instances configured (the stack's, the lake's, the function's own),
 * which the list alone does not know.
 */
import { didYouMean } from '../did-you-mean.ts';
import { type ExpectedRule, ruleLabel } from './expected-activity.ts';

/** Whether `rule` applies to the alerts of `instance`: it names that instance, or none. */
export const appliesToInstance = (rule: Pick<ExpectedRule, 'instances'>, instance: string): boolean =>
  rule.instances === undefined || rule.instances.includes(instance);

/** `main`, `main and sales`, `main, sales and eu`, each quoted. */
function namesText(names: readonly string[]): string {
  const quoted = names.map((name) => JSON.stringify(name));
  return quoted.length <= 1
    ? (quoted[0] ?? '')
    : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/** Whose instances a list is judged against, in its caller's words. */
export interface InstanceScope {
  /** The configured instance names. */
  instances: readonly string[];
  /** Whose they are: `of the stack`, `in the lake`, `of this alerts function`. */
  where: string;
  /** What else fixes a name not among them, beside naming one of them (`or add it to instances`). */
  otherFix: string;
}

/** Why `rule` cannot be judged for `scope`'s instances, or undefined when it can. */
function instanceProblem(
  rule: ExpectedRule,
  { instances, where, otherFix }: InstanceScope,
): string | undefined {
  for (const name of rule.instances ?? []) {
    if (instances.includes(name)) continue;
    const meant = didYouMean(name, instances);
    const hint = meant === undefined ? '' : ` (did you mean "${meant}"?)`;
    return `"instance" "${name}" is not an instance ${where}${hint}, which has ${namesText(instances)}: name one of them (or a list of them), ${otherFix}`;
  }
  if (rule.instances !== undefined || rule.users === undefined || instances.length < 2) return undefined;
  // Refused, not warned of: a warning scrolls past, and the rule would quiet whoever holds the id
  // in every other instance, a person no one wrote the rule for.
  return `names a "user" but no "instance", and there are ${instances.length} instances ${where} (${namesText(instances)}): a Domo user id is one instance's own, the same id being someone else in another, so the rule would quiet that other person's sign-in alerts too. Add the instance the user is in, e.g. "instance": ${JSON.stringify(instances[0])} (or a list, if the id is the same person in several)`;
}

/**
 * Throws, naming the rule, when a rule names an instance not among the scope's, or names a `user`
 * without an `instance` where there are several instances it could be of.
 */
export function assertRuleInstances(rules: readonly ExpectedRule[], scope: InstanceScope): void {
  for (const rule of rules) {
    const problem = instanceProblem(rule, scope);
    if (problem !== undefined) throw new Error(`expected-activity ${ruleLabel(rule)}: ${problem}`);
  }
}
