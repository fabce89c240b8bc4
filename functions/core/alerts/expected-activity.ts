/**
 * The expected-activity list: rules an operator writes for activity they know of (a service account
 * signing in from a cloud region, a VPN's exit address, a travelling executive), whose alerts are
 * taken in and archived but not sent (quiet-alerts.ts). Sign-in alerts, and privileged changes of a
 * named user: a rule naming a failure kind is refused, a rule naming `privileged_change` must name
 * a user, and a rule without `kind` applies to the sign-in kinds (expected-rule-reach.ts
 * `SIGN_IN_KINDS`, `NAMED_USER_KINDS`). The same JSON in `cdk.json`
 * (`alerts.expected`) and in the command line's file, checked here for both, so a bad rule fails
 * the synth or the command, never a scheduled run.
 */
import { didYouMean } from '../did-you-mean.ts';
import { COUNTRIES_WITHOUT_POINT, COUNTRY_POINTS } from '../geo/country-points.ts';
import { assertInstanceName } from '../lake/layout.ts';
import { DAY_MS } from '../time-units.ts';
import { ALERT_KINDS, type AlertKind } from './alert.ts';
import {
  assertNamesUsers,
  assertPlaceable,
  assertSignInKinds,
  assertUserForNamedKinds,
  assertUserIds,
  QUIETABLE_KINDS,
} from './expected-rule-reach.ts';
import { assertNotTooBroad, type IpRange, parseIpRange } from './ip-range.ts';
import { assertNarrowWithoutUser } from './rule-without-user.ts';

export interface ExpectedRule {
  /** Its place in the list, from 1: how logs and summaries name it (with `name` when given). */
  rule: number;
  name?: string;
  /**
   * The instances (their configured names) the rule is for; unset: every instance of the stack or
   * lake, which rule-instances.ts allows only where that is not ambiguous.
   */
  instances?: readonly string[];
  /** Why this activity is expected: logged and counted with every alert it quiets. */
  reason: string;
  kinds?: readonly AlertKind[];
  /** User ids, or names of users without one, as written. */
  users?: readonly string[];
  ips?: readonly IpRange[];
  /** ISO 3166 alpha-2 codes, upper case. */
  countries?: readonly string[];
  /** As written; the rule applies up to and including {@link ExpectedRule.untilMs}. */
  until?: string;
  untilMs?: number;
}

/** Rules in one list: each is checked against every alert of a run; the JSON rides in the function's environment. */
const MAX_EXPECTED_RULES = 50;
const MAX_REASON_CHARS = 200;
const MAX_NAME_CHARS = 60;
const MAX_VALUES = 20;

const MATCH_KEYS = ['kind', 'user', 'ip', 'country'] as const;
/** `instance` narrows a rule but never makes one: a rule of only an instance would quiet all its sign-in alerts. */
const KEYS = new Set<string>([...MATCH_KEYS, 'instance', 'name', 'reason', 'until']);
/** Spellings a writer may try for the keys, and the key meant. */
const MEANT: Record<string, string> = {
  kinds: 'kind',
  users: 'user',
  user_id: 'user',
  userId: 'user',
  ips: 'ip',
  cidr: 'ip',
  address: 'ip',
  countries: 'country',
  expires: 'until',
  expiry: 'until',
  comment: 'reason',
  instances: 'instance',
  instance_name: 'instance',
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The last instant `until` names: a date is the whole UTC day (`2026-12-31` quiets through its
 * 23:59:59.999 UTC); a date and time must carry its zone (`Z` or `+01:00`), since read in the
 * wrong one the rule would stop hours early or late.
 */
function untilMsOf(until: string): number {
  const date = DATE.exec(until);
  if (date) {
    const ms = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]));
    if (new Date(ms).toISOString().slice(0, 10) !== until)
      throw new Error(`"${until}" is not a day of the calendar`);
    return ms + DAY_MS - 1;
  }
  if (!DATE_TIME.test(until)) {
    throw new Error(
      `"${until}" is not an ISO date or date and time with its zone: write 2026-12-31 (through that day, UTC) or 2026-12-31T18:00:00Z`,
    );
  }
  const ms = Date.parse(until);
  const day = until.slice(0, 10);
  const dayMs = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(ms) || Number.isNaN(dayMs) || new Date(dayMs).toISOString().slice(0, 10) !== day) {
    throw new Error(`"${until}" is not a time of the calendar`);
  }
  return ms;
}

/** A key's value as a list of non-empty texts: a string alone or an array of them. */
function textsOf(key: string, value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.length > MAX_VALUES) {
    throw new Error(`"${key}" must hold 1 to ${MAX_VALUES} values (a string, or a list of strings)`);
  }
  return list.map((item) => {
    if (typeof item !== 'string' || item.trim() === '') {
      throw new Error(`"${key}" must be a non-empty string or a list of them, not ${JSON.stringify(item)}`);
    }
    return item.trim();
  });
}

/**
 * `user` with a whole number (`1839254411`, as JSON lets an id be written) as its text: an id is
 * digits however written. A number JSON cannot hold exactly (past 2^53) is refused, quoting it.
 */
function idsAsText(value: unknown): unknown {
  const asText = (item: unknown): unknown => {
    if (typeof item !== 'number') return item;
    if (!Number.isSafeInteger(item) || item < 0) {
      throw new Error(`"user" ${item} is no user id JSON holds exactly: quote it, "user": "1839254411"`);
    }
    return String(item);
  };
  return Array.isArray(value) ? value.map(asText) : asText(value);
}

/**
 * An alert kind as written; an unknown one is refused suggesting only the kinds the list takes
 * (a failure kind suggested was then refused: review R-MUTE5 L3).
 */
function kindOf(kind: string): AlertKind {
  if ((ALERT_KINDS as readonly string[]).includes(kind)) return kind as AlertKind;
  const lower = kind.toLowerCase().replace(/[\s-]+/g, '_');
  const meant = (QUIETABLE_KINDS as readonly string[]).includes(lower)
    ? lower
    : didYouMean(lower, QUIETABLE_KINDS);
  const hint = meant === undefined ? '' : ` (did you mean "${meant}"?)`;
  throw new Error(
    `"kind" ${JSON.stringify(kind)} is not an alert kind${hint}: use one of ${QUIETABLE_KINDS.join(', ')}`,
  );
}

/** Codes the alerts never show though often written for a country: the code meant. */
const COUNTRY_MEANT: Record<string, string> = { UK: 'GB', EL: 'GR' };

/** The codes the geo data may place an address in: those the project has a point for, and UM. */
const KNOWN_COUNTRIES = new Set([...Object.keys(COUNTRY_POINTS), ...COUNTRIES_WITHOUT_POINT]);

function countryOf(country: string): string {
  if (!/^[A-Za-z]{2}$/.test(country)) {
    throw new Error(
      `"country" ${JSON.stringify(country)} is not a two-letter ISO 3166 code, as the alerts show countries: write e.g. "US" or "DE"`,
    );
  }
  const code = country.toUpperCase();
  if (KNOWN_COUNTRIES.has(code)) return code;
  const meant = COUNTRY_MEANT[code];
  throw new Error(
    `"country" ${JSON.stringify(country)} is no country the geo data places addresses in${meant ? ` (did you mean "${meant}"?)` : ''}: write an ISO 3166-1 alpha-2 code such as "US" or "DE"`,
  );
}

/** A free text key: a non-blank string of at most `max` characters. */
function textKey(key: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || value.trim() === '' || value.trim().length > max) {
    throw new Error(`"${key}" must be a text of 1 to ${max} characters`);
  }
  return value.trim();
}

function assertKnownKeys(raw: Record<string, unknown>): void {
  for (const key of Object.keys(raw)) {
    if (KEYS.has(key)) continue;
    const meant = MEANT[key];
    throw new Error(
      `"${key}" is not a key of a rule${meant ? ` (did you mean "${meant}"?)` : ''}: a rule has ${MATCH_KEYS.join(', ')} (at least one), reason, and optionally instance, name and until`,
    );
  }
}

/** What a rule matches on: each key given, checked. */
function matchers(raw: Record<string, unknown>): Pick<ExpectedRule, 'kinds' | 'users' | 'ips' | 'countries'> {
  const given = MATCH_KEYS.filter((key) => raw[key] !== undefined);
  if (given.length === 0) {
    throw new Error(
      'names none of kind, user, ip and country: it would quiet every sign-in alert (to stop them all, turn the alerts off instead)',
    );
  }
  const kinds = raw.kind === undefined ? undefined : textsOf('kind', raw.kind).map(kindOf);
  assertSignInKinds(kinds);
  const users = raw.user === undefined ? undefined : textsOf('user', idsAsText(raw.user));
  assertUserForNamedKinds(kinds, users);
  assertNamesUsers(users);
  assertUserIds(users);
  const countries = raw.country === undefined ? undefined : textsOf('country', raw.country).map(countryOf);
  const ips = raw.ip === undefined ? undefined : textsOf('ip', raw.ip).map(parseIpRange);
  if (ips !== undefined) assertNotTooBroad(ips);
  assertPlaceable(ips, countries);
  assertNarrowWithoutUser({ users, ips, countries });
  return {
    ...(kinds === undefined ? {} : { kinds }),
    ...(users === undefined ? {} : { users }),
    ...(ips === undefined ? {} : { ips }),
    ...(countries === undefined ? {} : { countries }),
  };
}

/**
 * `instance` as names an instance may have; whether the stack or lake has them is judged against
 * its instances (rule-instances.ts), which the list alone does not know.
 */
function instancesOf(value: unknown): string[] {
  const names = textsOf('instance', value);
  for (const name of names) {
    try {
      assertInstanceName(name);
    } catch (error) {
      throw new Error(`"instance": ${(error as Error).message}`);
    }
  }
  if (new Set(names).size !== names.length) throw new Error('"instance" names an instance twice');
  return names;
}

function parseRule(raw: unknown, rule: number): ExpectedRule {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new Error(
      'must be an object such as {"kind": "new_country", "user": "42", "reason": "…", "until": "2026-12-31"}',
    );
  }
  const record = raw as Record<string, unknown>;
  assertKnownKeys(record);
  if (record.reason === undefined) {
    throw new Error(
      'has no "reason": say why this activity is expected (it is logged with every alert the rule quiets)',
    );
  }
  const until = record.until === undefined ? undefined : textKey('until', record.until, 40);
  const instances = record.instance === undefined ? undefined : instancesOf(record.instance);
  return {
    rule,
    ...(record.name === undefined ? {} : { name: textKey('name', record.name, MAX_NAME_CHARS) }),
    ...(instances === undefined ? {} : { instances }),
    reason: textKey('reason', record.reason, MAX_REASON_CHARS),
    ...matchers(record),
    ...(until === undefined ? {} : { until, untilMs: untilMsOf(until) }),
  };
}

/** How messages name a rule: `rule 2` or `rule 2 ("office VPN")`. */
export const ruleLabel = (rule: Pick<ExpectedRule, 'rule' | 'name'>): string =>
  rule.name === undefined ? `rule ${rule.rule}` : `rule ${rule.rule} (${JSON.stringify(rule.name)})`;

interface ParseOptions {
  /**
   * The list as one instance's alerts function carries it ({@link expectedActivityJson} with an
   * instance): `null` holds the place of a rule of other instances, so the rules keep the numbers
   * cdk.json gives them. Refused in what an operator writes.
   */
  elided?: boolean;
}

/**
 * The list, checked rule by rule; throws naming the rule (its place from 1, and its name) and what
 * to write instead. An empty list quiets nothing.
 */
export function parseExpectedActivity(raw: unknown, options: ParseOptions = {}): ExpectedRule[] {
  if (!Array.isArray(raw)) {
    throw new Error('the expected-activity list must be a JSON array of rules, [] for none');
  }
  if (raw.length > MAX_EXPECTED_RULES) {
    throw new Error(
      `the expected-activity list has ${raw.length} rules; at most ${MAX_EXPECTED_RULES}: give a rule several values (a list) or a wider network`,
    );
  }
  return raw.flatMap((item, index) => {
    if (item === null && options.elided === true) return [];
    try {
      return [parseRule(item, index + 1)];
    } catch (error) {
      const name = (item as { name?: unknown } | null)?.name;
      const label = ruleLabel({ rule: index + 1, ...(typeof name === 'string' ? { name } : {}) });
      throw new Error(`expected-activity ${label}: ${(error as Error).message}`);
    }
  });
}

/** The rule as it is written in the list (the function's environment carries it so). */
export const ruleInput = (rule: ExpectedRule): Record<string, unknown> => ({
  ...(rule.name === undefined ? {} : { name: rule.name }),
  ...(rule.instances ? { instance: rule.instances } : {}),
  ...(rule.kinds ? { kind: rule.kinds } : {}),
  ...(rule.users ? { user: rule.users } : {}),
  ...(rule.ips ? { ip: rule.ips.map((r) => r.text) } : {}),
  ...(rule.countries ? { country: rule.countries } : {}),
  reason: rule.reason,
  ...(rule.until === undefined ? {} : { until: rule.until }),
});

/**
 * The list as the alerts function's environment carries it: each rule {@link ruleInput}, strings
 * as lists (`"ip": ["52.95.0.0/16"]`), so longer than written. The size cap at synth is measured
 * on this, not on the JSON as written (review R-MUTE M4). For one `instance`'s function, a rule of
 * other instances only is `null` (its place kept, its text not carried: never longer than the whole
 * list) and one naming several instances names that one alone, so the function can refuse any rule
 * that names another (rule-instances.ts).
 */
export function expectedActivityJson(rules: readonly ExpectedRule[], instance?: string): string {
  // By `rule`, not by index: a list read back from a function's variable lacks the others' rules.
  const places: (Record<string, unknown> | null)[] = Array.from(
    { length: Math.max(0, ...rules.map((rule) => rule.rule)) },
    () => null,
  );
  for (const rule of rules) places[rule.rule - 1] = carried(rule, instance);
  return JSON.stringify(places);
}

/** {@link ruleInput} as `instance`'s function carries it: null when it is not for that instance. */
function carried(rule: ExpectedRule, instance: string | undefined): Record<string, unknown> | null {
  if (instance === undefined || rule.instances === undefined) return ruleInput(rule);
  return rule.instances.includes(instance) ? ruleInput({ ...rule, instances: [instance] }) : null;
}

/**
 * How far ahead an `until` may lie before it is warned of as a rule without one: an expiry years
 * away makes no one look at the rule again either (review R-MUTE L4).
 */
const FAR_UNTIL_MS = 366 * DAY_MS;

/** Whether `rule` quiets for good, or as good as: no `until`, or one more than a year after `nowMs`. */
export const quietsForGood = (rule: ExpectedRule, nowMs: number): boolean =>
  rule.untilMs === undefined || rule.untilMs - nowMs > FAR_UNTIL_MS;
