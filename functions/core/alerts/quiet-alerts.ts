/**
 * Which alerts the expected-activity list quiets (expected-activity.ts): the one place the alerts
 * run decides, of the alerts it takes in, which it does not send. A quieted alert is still taken in
 * and archived (its events stay in the lake, and the archive says which rule quieted it), counted
 * per rule, and never sent later: its id is taken in, so a rule that expires does not send the
 * alerts it quieted, only those found after.
 */
import type { Alert, AlertKind } from './alert.ts';
import type { AlertAddress } from './alert-addresses.ts';
import { type ExpectedRule, ruleLabel } from './expected-activity.ts';
import { NAMED_USER_KINDS, quietable, SIGN_IN_KINDS } from './expected-rule-reach.ts';
import { addressesToMatch, inRange, placedByEveryPublicEntry } from './ip-range.ts';
import { appliesToInstance } from './rule-instances.ts';
import { userIdOf } from './user-id.ts';

/** What one rule quieted in a run. */
export interface QuietedByRule {
  rule: number;
  name?: string;
  reason: string;
  alerts: number;
  kinds: Partial<Record<AlertKind, number>>;
  /** Of {@link alerts}, those past the rule's archive bound of the day (quieted-archive-bound.ts): counted, not archived. Unset when none. */
  unarchived?: number;
}

/**
 * What one rule would have quieted in a run but may not: alerts made acting as other users
 * ({@link Alert.acting_as_others}: a bulk export), which the rule matches but for that, and no
 * rule quieted. They are sent; the run says so per rule, or the rule's author sees the pull they
 * meant to quiet arrive without knowing why.
 */
export type RefusedByRule = Omit<QuietedByRule, 'unarchived'>;

/** A rule past its `until`: it quiets nothing, and is reported until it is removed or renewed. */
export interface ExpiredRule {
  rule: number;
  name?: string;
  reason: string;
  until: string;
}

export interface QuietOutcome {
  /** The alerts no rule matched, in their order. */
  send: Alert[];
  /** The rule that quieted each alert quieted, by alert id: the first in the list that matched. */
  quietedBy: Map<string, ExpectedRule>;
  /** The alerts quieted, in their order, each with {@link Alert.quieted_by} set. */
  quieted: Alert[];
  byRule: QuietedByRule[];
  /** Per rule, the alerts made acting as others it matches but for that, sent ({@link RefusedByRule}). */
  actingAsOthers: RefusedByRule[];
  expired: ExpiredRule[];
}

/**
 * Whether the rule's users name the alert's: by the id only (display names can be shared, and
 * changed: a name would let an account renamed to it be quieted). A sign-in alert carries its
 * user's id; the list quiets nothing else. A change one user made acting as another is matched
 * only when the rule names both: a rule for an automation account must not quiet an admin acting
 * as it, nor a rule for an admin what they did as someone else. A bulk export with any export
 * made acting as another user is never matched ({@link Alert.acting_as_others}): its alert names
 * the doer, not the users acted as, and a rule for the doer's own scheduled exports must not
 * quiet a pull of other users' data made as them (review R2EXP item 4).
 */
function matchesUser(users: readonly string[], alert: Alert): boolean {
  if (alert.acting_as_others === true) return false;
  const id = userIdOf(alert);
  const actor = alert.actor_id === undefined ? undefined : alert.actor_id.trim();
  return id !== null && users.includes(id.trim()) && (actor === undefined || users.includes(actor));
}

/**
 * Whether a rule of `kinds` reaches alerts of `kind`: a rule without `kind` the sign-in kinds only,
 * a {@link NAMED_USER_KINDS} kind only a rule that names it.
 */
const reachesKind = (kinds: ExpectedRule['kinds'], kind: AlertKind): boolean =>
  kinds === undefined ? SIGN_IN_KINDS.includes(kind) : kinds.includes(kind);

/**
 * The addresses a rule's `ip` and `country` must all hold ({@link Alert.addresses}); none when the
 * alert does not know them all (cut short, or taken in before they were recorded), and then no
 * such rule matches: an address left out is not known to be expected.
 */
function addressesOf(alert: Alert): readonly AlertAddress[] {
  if (alert.addresses_partial === true || alert.addresses === undefined) return [];
  return alert.addresses;
}

/** Whether every address of every event the alert counts lies in one of `ranges`. */
function matchesIp(ranges: NonNullable<ExpectedRule['ips']>, alert: Alert): boolean {
  const texts = addressesOf(alert);
  return (
    texts.length > 0 &&
    texts.every(({ ip }) => {
      const addresses = addressesToMatch(ip);
      return addresses.length > 0 && addresses.every((a) => ranges.some((range) => inRange(a, range)));
    })
  );
}

/**
 * Whether every event the alert counts was placed in one of `countries`, by an address text whose
 * every public address is the one placed ({@link placedByEveryPublicEntry}).
 */
function matchesCountry(countries: readonly string[], alert: Alert): boolean {
  const placed = addressesOf(alert);
  return (
    placed.length > 0 &&
    placed.every(
      ({ ip, country }) =>
        country !== undefined && countries.includes(country) && placedByEveryPublicEntry(ip),
    )
  );
}

/**
 * Whether `rule` matches `alert`: a sign-in alert of an instance the rule is for, and every key the
 * rule gives, each by any of its values. A failure alert is never matched, whatever the rule
 * (expected-rule-reach.ts `quietable`).
 */
function ruleMatches(rule: ExpectedRule, alert: Alert): boolean {
  if (!quietable(alert.kind) || !appliesToInstance(rule, alert.instance)) return false;
  if (!reachesKind(rule.kinds, alert.kind)) return false;
  if (NAMED_USER_KINDS.includes(alert.kind) && !rule.users) return false;
  if (rule.users && !matchesUser(rule.users, alert)) return false;
  if (rule.countries && !matchesCountry(rule.countries, alert)) return false;
  return !rule.ips || matchesIp(rule.ips, alert);
}

/**
 * The first rule in force that would quiet `alert` (sent) were it not made acting as other users;
 * undefined for any other alert.
 */
function refusingRule(live: readonly ExpectedRule[], alert: Alert): ExpectedRule | undefined {
  if (alert.acting_as_others !== true) return undefined;
  const { acting_as_others: _, ...asOwn } = alert;
  return live.find((r) => ruleMatches(r, asOwn));
}

/** Counts `alert` under `rule` in `counts` (one entry per rule, created at its first alert). */
function countUnder(counts: Map<ExpectedRule, RefusedByRule>, rule: ExpectedRule, alert: Alert): void {
  const count = counts.get(rule) ?? {
    rule: rule.rule,
    ...nameOf(rule),
    reason: rule.reason,
    alerts: 0,
    kinds: {},
  };
  count.alerts += 1;
  count.kinds[alert.kind] = (count.kinds[alert.kind] ?? 0) + 1;
  counts.set(rule, count);
}

const byRuleNumber = (a: { rule: number }, b: { rule: number }): number => a.rule - b.rule;

/** Whether `rule` still applies at `nowMs`: up to and including its `until`. */
const inForce = (rule: ExpectedRule, nowMs: number): boolean =>
  rule.untilMs === undefined || nowMs <= rule.untilMs;

const nameOf = (rule: ExpectedRule): { name?: string } =>
  rule.name === undefined ? {} : { name: rule.name };

/**
 * Splits `alerts` into those to send and those the rules in force at `nowMs` quiet (each by the
 * first rule that matches it), and names the rules expired by then. Pure: the list is a parameter.
 */
export function quietAlerts(
  alerts: readonly Alert[],
  rules: readonly ExpectedRule[],
  nowMs: number,
): QuietOutcome {
  const live = rules.filter((rule) => inForce(rule, nowMs));
  const expired = rules
    .filter((rule) => !inForce(rule, nowMs))
    .map((rule) => ({ rule: rule.rule, ...nameOf(rule), reason: rule.reason, until: rule.until ?? '' }));
  const send: Alert[] = [];
  const quietedBy = new Map<string, ExpectedRule>();
  const quieted: Alert[] = [];
  const counts = new Map<ExpectedRule, QuietedByRule>();
  const refused = new Map<ExpectedRule, RefusedByRule>();
  for (const alert of alerts) {
    const rule = live.find((r) => ruleMatches(r, alert));
    if (rule === undefined) {
      send.push(alert);
      const refusing = refusingRule(live, alert);
      if (refusing !== undefined) countUnder(refused, refusing, alert);
      continue;
    }
    quietedBy.set(alert.id, rule);
    quieted.push({ ...alert, quieted_by: quietedByText(rule) });
    countUnder(counts, rule, alert);
  }
  const byRule = [...counts.values()].sort(byRuleNumber);
  const actingAsOthers = [...refused.values()].sort(byRuleNumber);
  return { send, quietedBy, quieted, byRule, actingAsOthers, expired };
}

/** What the archive records of the rule that quieted an alert: `rule 2 ("office VPN"): <reason>`. */
export const quietedByText = (rule: ExpectedRule): string => `${ruleLabel(rule)}: ${rule.reason}`;
