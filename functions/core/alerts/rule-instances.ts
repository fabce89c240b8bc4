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
interface InstanceScope {
  /** The configured instance names. */
  instances: readonly string[];
  /** Whose they are: `of the stack`, `in the lake`, `of this alerts function`. */
  where: string;
  /** What else fixes a name not among them, beside naming one of them (`or add it to instances`). */
  otherFix: string;
}

/** Said first of a name no instance has: a rule naming a removed instance is most often fixed so. */
export const REMOVE_FROM_RULE =
  'or remove it from the rule (the rule itself, if it is for no other instance)';

/** How synth words the stack's scope; `alerts --expected cdk.json` words it alike. */
export const STACK_SCOPE_WORDS: Omit<InstanceScope, 'instances'> = {
  where: 'of the stack',
  otherFix: `${REMOVE_FROM_RULE}, or add the instance to "instances" if it is missing there`,
};

/** At most this many rules are named in one message, the rest counted: synth prints it whole. */
const MAX_RULES_NAMED = 10;

/** `rule 1`, `rules 1, 2 ("Ann") and 3`, `rules 1, …, 10 and 4 more`. */
function rulesText(rules: readonly ExpectedRule[]): string {
  const named = rules.slice(0, MAX_RULES_NAMED).map((rule) => ruleLabel(rule).replace(/^rule /, ''));
  const more = rules.length - named.length;
  if (rules.length === 1) return `rule ${named[0]}`;
  if (more > 0) return `rules ${named.join(', ')} and ${more} more`;
  return `rules ${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
}

/** Why `rule` names an instance not among `scope`'s, or undefined when it names none such. */
function unknownInstance(
  rule: ExpectedRule,
  { instances, where, otherFix }: InstanceScope,
): string | undefined {
  const name = rule.instances?.find((n) => !instances.includes(n));
  if (name === undefined) return undefined;
  const meant = didYouMean(name, instances);
  const hint = meant === undefined ? '' : ` (did you mean "${meant}"?)`;
  return `"instance" "${name}" is not an instance ${where}${hint}, which has ${namesText(instances)}: name one of them (or a list of them), ${otherFix}`;
}

/** Whether `rule` names a `user` and no `instance` where the scope has several instances. */
const userOfNoInstance = (rule: ExpectedRule, { instances }: InstanceScope): boolean =>
  rule.instances === undefined && rule.users !== undefined && instances.length >= 2;

/** Why `rules` (one or more), each a `user` without an `instance`, are refused for `scope`. */
function userOfNoInstanceText(rules: readonly ExpectedRule[], { instances, where }: InstanceScope): string {
  const one = rules.length === 1;
  // Refused, not warned of: a warning scrolls past, and the rule would quiet whoever holds the id
  // in every other instance, a person no one wrote the rule for.
  return `expected-activity ${rulesText(rules)}: ${one ? 'names' : 'each name'} a "user" but no "instance", and there are ${instances.length} instances ${where} (${namesText(instances)}): a Domo user id is one instance's own, the same id being someone else in another, so ${one ? 'the rule' : 'each rule'} would quiet that other person's sign-in alerts too. Add the instance the user is in, e.g. "instance": ${JSON.stringify(instances[0])} (or a list, if the id is the same person in several)`;
}

/**
 * Why the list cannot be judged for `scope`'s instances, every rule that cannot named (an upgrade
 * typically finds all its `user` rules without an `instance`: one synth per rule would be a chore),
 * or undefined when it can.
 */
export function ruleInstancesProblem(
  rules: readonly ExpectedRule[],
  scope: InstanceScope,
): string | undefined {
  const unknown = rules.flatMap((rule) => {
    const problem = unknownInstance(rule, scope);
    return problem === undefined ? [] : [`expected-activity ${ruleLabel(rule)}: ${problem}`];
  });
  const shown = unknown.slice(0, MAX_RULES_NAMED);
  if (unknown.length > shown.length) {
    shown.push(`and ${unknown.length - shown.length} more rules name an instance not ${scope.where}`);
  }
  const noInstance = rules.filter((rule) => userOfNoInstance(rule, scope));
  if (noInstance.length > 0) shown.push(userOfNoInstanceText(noInstance, scope));
  return shown.length === 0 ? undefined : shown.join('; ');
}

/**
 * Throws {@link ruleInstancesProblem}: a rule naming an instance not among the scope's, or naming a
 * `user` without an `instance` where there are several instances it could be of.
 */
export function assertRuleInstances(rules: readonly ExpectedRule[], scope: InstanceScope): void {
  const problem = ruleInstancesProblem(rules, scope);
  if (problem !== undefined) throw new Error(problem);
}
