import * as z from 'zod';
import { didYouMean } from '../did-you-mean.ts';
import { errorMessage } from '../error-message.ts';
import { EVENT_CATEGORIES, type EventCategory } from './event-category.ts';

/**
 * A rule that gives an entry its `category`. Domo does not document the action names of logins,
 * failed logins or lockouts, so the rules are data: the first rule whose every given pattern matches
 * wins; entries no rule matches are `other`. A user's rule may say `other` too: placed before the
 * built-in rules, that is how an action they would wrongly call a login is taken back out.
 */
export interface CategoryRule {
  category: EventCategory;
  /** Case-insensitive regular expressions (source text) over the entry's fields. */
  actionType?: string;
  eventText?: string;
  objectType?: string;
}

/**
 * Things named after sign-in that an admin works on, so that a text starting "Login page" or
 * "Login histories" is no sign-in: regular-expression alternatives written for both JavaScript
 * and SQL (no question mark: the catalog query uncounted_sign_ins holds the same list, and a test
 * checks it does).
 */
export const SIGN_IN_THINGS = [
  'pages{0,1}',
  'histor(y|ies)',
  'banners{0,1}',
  'screens{0,1}',
  'settings{0,1}',
  'polic(y|ies)',
  'urls{0,1}',
  'configurations{0,1}',
  'reports{0,1}',
  'timeouts{0,1}',
  'alerts{0,1}',
  'messages{0,1}',
] as const;

/** What an admin did to a thing, told after it ("Login timeout changed"); shared like the above. */
export const ADMIN_PARTICIPLES = [
  'customi[sz]ed',
  'exported',
  'updated',
  'changed',
  'enabled',
  'disabled',
  'added',
  'removed',
  'deleted',
  'modified',
  'edited',
  'configured',
  'renamed',
  'viewed',
  'downloaded',
] as const;

/** What someone does to a card, page or other named object, told first ("Deleted alert …"). */
const OBJECT_VERBS = [
  'created',
  'updated',
  'edited',
  'modified',
  'changed',
  'renamed',
  'deleted',
  'removed',
  'added',
  'enabled',
  'disabled',
  'shared',
  'unshared',
  'scheduled',
  'copied',
  'moved',
  'saved',
  'published',
  'certified',
  'restored',
  'archived',
] as const;

/** Objects with a name of their own that may read like a sign-in's outcome; not users or accounts. */
const NAMED_OBJECTS = [
  'cards{0,1}',
  'pages{0,1}',
  'alerts{0,1}',
  'data ?sets{0,1}',
  'data ?sources{0,1}',
  'data ?flows{0,1}',
  'dashboards{0,1}',
  'reports{0,1}',
  'beast ?modes{0,1}',
  'notebooks{0,1}',
  'apps{0,1}',
  'stor(y|ies)',
  'groups{0,1}',
  'roles{0,1}',
  'collections{0,1}',
  'files{0,1}',
] as const;

/** A sign-in named in a text: log in, logon, sign-in. */
const SIGN_IN = 'log ?in|log ?on|sign[ -]?in';

/** Words that tell a failure when they end a clause: "Login: error", "Sign-in via Okta failed". */
const OUTCOME_WORDS = 'failed|failure|unsuccessful|denied|rejected|refused|blocked|invalid|errors?';

/** A character of a clause: not `;` or `,`, nor a `.` that ends a sentence (`10.1.2.3` goes on). */
const CLAUSE_CHAR = '([^;,.]|\\.(?=\\S))';

/**
 * A text whose outcome is a failure: its first clause ends in a failure word ("Login: error",
 * "Authentication failed", "Failed: invalid credentials"), or it opens with access denied or a
 * failed authentication ("Authentication failed for Bob"). A failure word elsewhere is no outcome:
 * "Data Errors Bot logged in", "Login: success (0 errors)", "Logged in (invalid session cookie
 * replaced)", "SSO login via Okta; previous session invalid".
 */
const FAILED_OUTCOME = `^${CLAUSE_CHAR}*?\\b(${OUTCOME_WORDS})\\s*([:;,.!]|$)|^((user|sso|saml) )?(access denied|denied access|auth(entication)? (failed|failure|errors?|denied|rejected|refused|unsuccessful))\\b`;

/**
 * Not a text that says a sign-in did not happen: a failure verb anywhere ("Login for Bob failed
 * due to …"), a sign-in's failure or error ("SSO login error for Bob"), or a failed outcome. What
 * is left may name a failure word inside a name or an aside, and the sign-in stands.
 */
const NOT_FAILED = `(?!.*\\b(failed|unsuccessful|denied|refused|rejected)\\b)(?!.*\\b(${SIGN_IN}|authentication)( attempts?)? (failures?|errors?)\\b)(?!${FAILED_OUTCOME})`;

/**
 * Things about sign-ins or their failures that an admin works on: "Login error page customized".
 * Written for JavaScript and SQL alike, as uncounted_sign_ins leaves out the same (a test checks).
 */
export const ADMINISTERED_THINGS = [
  'pages{0,1}',
  'histor(y|ies)',
  'banners{0,1}',
  'screens{0,1}',
  'reports{0,1}',
  'alerts{0,1}',
  'messages{0,1}',
  'notifications{0,1}',
] as const;

/**
 * What an admin did, ending an action name; not `DISABLED`, `DELETED`, `REMOVED` or `ADDED`, which
 * may be a refusal's reason (`SSO_LOGIN_REJECTED_USER_DISABLED`). Shared with uncounted_sign_ins.
 */
export const ADMIN_ENDINGS = [
  'exported',
  'updated',
  'enabled',
  'customi[sz]ed',
  'changed',
  'configured',
  'edited',
  'modified',
  'renamed',
  'viewed',
  'downloaded',
] as const;

/** A sign-in refused or failed, then its reason: `LOGIN_FAILED_PASSWORD_CHANGED`, `FAILED_LOGIN_…`. */
const REFUSAL_WITH_REASON =
  '(LOG_?(IN|ON)|SIGN_?(IN|ON)|AUTH)_?(FAILED|DENIED|REJECTED|BLOCKED)_|FAIL(ED)?_?(LOG_?(IN|ON)|SIGN_?(IN|ON)|AUTH)_';

/**
 * Defaults cover the names seen in public code and the plausible variants (LOGIN, LOGGED_IN,
 * "Logged in", FAILED_LOGIN, LOGIN_FAILED, LOCKED_OUT, …). Order matters: failures and lockouts are
 * tested before plain logins because their texts also contain "login". Their patterns match
 * anywhere (Domo's texts are unknown, "Account locked after 5 failed attempts" must stay a
 * lockout), so the administration of lockouts and passwords comes first, as `other`: an admin's
 * "Unlocked account after lockout" or PASSWORD_RESET "… after failed password attempts" was counted
 * as a lockout or failure of the acting admin, in the report and the alerts.
 */
export const DEFAULT_CATEGORY_RULES: readonly CategoryRule[] = [
  // An action name that starts with unlocking, resetting or clearing (CLEAR_FAILED_LOGINS,
  // UNLOCK_ACCOUNT), or has such a word, a policy or a setting elsewhere in a name that does not
  // say the action failed, was refused or a policy fired (LOCKOUT_RESET, PASSWORD_RESET,
  // ACCOUNT_UNLOCKED; not LOGIN_FAILED_PASSWORD_RESET, LOCKOUT_POLICY_TRIGGERED,
  // SIGN_IN_BLOCKED_BY_POLICY, LOGIN_REJECTED_SETTINGS).
  {
    category: 'other',
    actionType:
      '^(UN_?LOCK(ED|S)?|RESETS?|CLEAR(ED|S)?)(_|$)|^(?!.*(FAIL|DENIED|REJECT|BLOCKED|TRIGGER))(.*_)?(UN_?LOCK(ED|S)?|RESETS?|CLEAR(ED|S)?|POLIC(Y|IES)|SETTINGS?)(_|$)',
  },
  // Texts that start with what an admin did: unlocking, resetting or clearing ("Reset failed login
  // attempts for Bob", "Unlocked user Bob, who was locked out"), other changes unless they say
  // someone is locked out, and a lockout, password or login setting unless it says what it did to
  // someone. Never when the action itself failed: "Update failed: …", "Reset password for Bob
  // failed: account locked" (a failure word ending a clause, not naming what was reset).
  {
    category: 'other',
    eventText: `^(?!.*\\b(failed|unsuccessful|denied)\\s*([:;,.]|$))((un-?lock(ed|s)?|reset(s|ting)?|clear(ed|s|ing)?)\\b|(?!.*\\blocked out\\b)(updated?|changed?|edited|modified|set|configured|password (was )?(reset|changed?))\\b|(?!.*\\b(triggered|locked|failed|invalid|denied|violation)\\b)(lockout|password|log ?in|sign ?in) (polic(y|ies)|settings?)\\b)`,
  },
  // Texts that start with what someone did with content: a card named "Failed logins" shared or
  // scheduled, a comment quoting "login failed again". The failure and lockout words below match
  // anywhere, so these came out as the acting user's failed logins. Not when the action type
  // names a sign-in or lockout itself: that says more than a text.
  {
    category: 'other',
    actionType: '^(?!.*(LOG_?(IN|ON|OUT|OFF)|SIGN_?(IN|ON|OUT)|LOCK|AUTH|FAIL))',
    eventText:
      '^(shared|scheduled|commented|viewed|exported|downloaded|subscribed|favou?rited|copied|moved|renamed)\\b',
  },
  // What someone did to a named object ("Updated card Locked Out Users", "Deleted alert Failed
  // login attempts"): the name after the object's type is no lockout or failure of the acting
  // user's. Not a user or an account: "Updated user Bob: locked out" may be one. Nor when the
  // action itself failed, a failure word ending a clause ("Updated card X failed: ...").
  {
    category: 'other',
    actionType: '^(?!.*(LOG_?(IN|ON|OUT|OFF)|SIGN_?(IN|ON|OUT)|LOCK|AUTH|FAIL))',
    eventText: `^(?!.*\\b(failed|unsuccessful|denied)\\s*([:;,.]|$))(${OBJECT_VERBS.join('|')}) (the |an? )?(${NAMED_OBJECTS.join('|')})\\b`,
  },
  // An admin's work on sign-in failures or lockouts, by its action name: LOGIN_ERRORS_EXPORTED,
  // FAILED_LOGINS_REPORT_EXPORTED, LOGIN_FAILURE_ALERTS_DISABLED; not a refusal and its reason
  // (LOGIN_FAILED_PASSWORD_CHANGED). The failure words below match anywhere in a name, so these
  // were the acting admin's failed sign-ins, which the burst, lockout and spray alerts count.
  {
    category: 'other',
    actionType: `^(?=.*(LOG_?(IN|ON)|SIGN_?(IN|ON)|LOCK|FAIL|ERROR))(.*(^|_)(${ADMINISTERED_THINGS.join('|')})_.*(${ADMIN_PARTICIPLES.join('|')})|(?!.*(${REFUSAL_WITH_REASON})).*(${ADMIN_ENDINGS.join('|')}))$`,
  },
  // The same by its text, a sign-in or lockout, maybe its failure, maybe a thing, then what was
  // done to it: "Login error message updated", "Login failure notifications enabled", "Failed login
  // alerts enabled", "Login errors exported". Not when the action name says more.
  {
    category: 'other',
    actionType: '^(?!.*(LOG_?(IN|ON|OUT|OFF)|SIGN_?(IN|ON|OUT)|LOCK|AUTH|FAIL))',
    eventText: `^((user|sso|saml) )?((failed|unsuccessful|invalid) )?(${SIGN_IN}|lockout)s?( (attempts?|errors?|failures?))?( (${ADMINISTERED_THINGS.join('|')}))? (${ADMIN_PARTICIPLES.join('|')})\\b`,
  },
  { category: 'lockout', actionType: 'LOCK(ED)?_?OUT|ACCOUNT_LOCKED|^LOCKED$' },
  {
    category: 'lockout',
    eventText:
      'locked out|lockout|account (was )?locked|\\blocked after \\d+ (failed |unsuccessful |invalid )?((log ?in|sign[ -]?in) )?attempts',
  },
  {
    category: 'login_failed',
    actionType:
      'FAIL(ED)?_?(LOG_?(IN|ON)|SIGN_?(IN|ON)|AUTH)|(LOG_?(IN|ON)|SIGN_?(IN|ON)|AUTH)_?FAIL|(LOG_?(IN|ON)|SIGN_?(IN|ON))_(DENIED|REJECTED|BLOCKED)|(LOG_?(IN|ON)|SIGN_?(IN|ON))_?ERRORS?$',
  },
  // A sign-in refused, a wrong user name or password. Access denied is a failed sign-in when the
  // text or the action names one: on its own it may be a card or page someone could not open.
  // "Authentication failed" is left to a rule of the user's: it may be a connector's. A sign-in's
  // failure or error only where it is the outcome: starting the text and ending a clause, or said
  // of someone ("SSO login error", "Login error for Bob"); not "Login error message updated".
  {
    category: 'login_failed',
    eventText: `(failed|unsuccessful|invalid) (log ?in|sign[ -]?in|password|credentials)|(${SIGN_IN})( attempts?)? (failed|unsuccessful|denied|rejected|refused|blocked)\\b|^((user|sso|saml) )?(${SIGN_IN})( attempts?)?:? (failures?|errors?)(\\s*([:;,.!]|$)| (for|from|due to|because|at)\\b(?![^:;,]*\\b(${ADMIN_PARTICIPLES.join('|')})\\s*([:;,.]|$)))|denied (log ?in|sign ?in)|(invalid|incorrect|wrong) (username|user name|email)( address)? (or|and) password|\\bpassword (is |was )?(incorrect|invalid|wrong)\\b|^(?=.*\\b(log ?in|sign ?in|password|credentials)\\b).*\\b(access denied|denied access)\\b`,
  },
  {
    category: 'login_failed',
    actionType: '^(USER_?|SSO_?)?(LOG(GED)?_?(IN|ON)|SIGN(ED)?_?IN|AUTH[A-Z_]*)$',
    eventText: '\\b(access denied|denied access)\\b',
  },
  // A sign-in's action name with a text whose outcome is a failure: LOGIN "Authentication failed",
  // SSO_LOGIN "Login: error". Not AUTHENTICATION_FAILED "Authentication failed" (maybe a
  // connector's), left to a rule of the user's.
  {
    category: 'login_failed',
    actionType: '^(USER_?|SSO_?)?(LOG(GED)?_?(IN|ON)|SIGN(ED)?_?(IN|ON))$',
    eventText: FAILED_OUTCOME,
  },
  // A user's or SSO's sign-in too, and in camel case: USER_LOGIN, SSO_LOGIN, LOGON, UserLoggedIn.
  { category: 'logout', actionType: '^(USER_?)?(LOG(GED)?_?(OUT|OFF)|SIGN(ED)?_?(OUT|OFF))$' },
  { category: 'logout', eventText: '^(logged|signed) out|^log ?out' },
  // Not when the text says it failed in words that are no outcome ("Login for Bob failed due to
  // …", "SSO login error for Bob"): neither a sign-in nor, told so loosely, a failure. A failure
  // word in a name or an aside leaves the sign-in: "Data Errors Bot logged in".
  {
    category: 'login',
    actionType: '^(USER_?|SSO_?)?(LOG(GED)?_?(IN|ON)|SIGN(ED)?_?(IN|ON))$',
    eventText: `^${NOT_FAILED}`,
  },
  // "Logged in", "Logged into Domo", "Signed onto Domo": the words whole, as uncounted_sign_ins
  // reads them ("Signed invoice uploaded" is none). A text starting with a login: not a sign-in
  // that a later word says did not happen ("Login refused: invalid password"), nor a
  // thing named after sign-in ("Login pages", "Login-page customized") unless a colon makes it a
  // label ("Login page: user signed in"), nor a login text an admin's past participle ends before
  // any colon ("Login timeout changed"; "Login method: password" stays a sign-in).
  {
    category: 'login',
    eventText: `^(logged|signed) (in|on)(to)?\\b|^${NOT_FAILED}(?!.*\\binvalid\\b)((user|sso|saml) )?log[ -]?(in|on)\\b(?![\\s-]+(${SIGN_IN_THINGS.join('|')})\\b(?!\\s*:))(?![^:]*\\b(${ADMIN_PARTICIPLES.join('|')})\\b)`,
  },
];

const FIELDS = ['actionType', 'eventText', 'objectType'] as const;

/**
 * The categories the alerts and the report's security sections are built on: rules that replace the
 * built-in ones must still be able to give each of them, or those features go quiet with no sign.
 */
export const SECURITY_CATEGORIES = ['login', 'login_failed', 'lockout'] as const;

const EXAMPLE =
  'Expected a JSON array of rules like [{"category":"login","actionType":"^LOGGED_IN$"}] (tried before the built-in rules), or {"replaceBuiltIn": true, "rules": [...]} to use only your rules';

const ruleSchema = z.lazy(() =>
  z
    .object({
      category: z.enum(EVENT_CATEGORIES),
      actionType: z.string().min(1).optional(),
      eventText: z.string().min(1).optional(),
      objectType: z.string().min(1).optional(),
    })
    .strict()
    .refine((rule) => FIELDS.some((field) => rule[field] !== undefined), {
      message: 'a rule needs at least one of actionType, eventText, objectType',
    }),
);

/** The keys of a rule, and of the object form of a rules file. */
const RULE_KEYS: readonly string[] = ['category', ...FIELDS];
const FILE_KEYS: readonly string[] = ['rules', 'replaceBuiltIn'];

/**
 * `unknown key(s) "categry" (did you mean "category"?); remove them or fix the spelling`, worded as
 * the deploy configuration's checks word theirs, with the same guess ({@link didYouMean}). No guess
 * at a key the object already has: the stray key is then a second one of it, not a typo. Said before
 * any other problem of the object: a misspelt `category` also leaves the rule without one, and
 * "expected one of login, …" sent the user to fix a value that was right.
 */
function unknownKeysProblem(
  keys: readonly string[],
  known: readonly string[],
  present: readonly string[],
): string {
  const named = keys.map((key) => {
    const near = didYouMean(key, known);
    return near === undefined || present.includes(near) ? `"${key}"` : `"${key}" (did you mean "${near}"?)`;
  });
  return `unknown key(s) ${named.join(', ')}; remove them or fix the spelling`;
}

/** The two shapes a rules file may have, read into one: the rules, and whether they stand alone. */
interface RuleFile {
  rules: unknown;
  replaceBuiltIn: boolean;
}

/**
 * A bare array (the only shape there was) or `{"replaceBuiltIn": ..., "rules": [...]}`. Anything
 * else is refused with both shapes shown, so a misspelt key is not read as "no rules".
 */
function readRuleFile(input: unknown): RuleFile {
  if (Array.isArray(input)) return { rules: input, replaceBuiltIn: false };
  if (typeof input !== 'object' || input === null) throw new Error(EXAMPLE);
  const unknownKeys = Object.keys(input).filter((key) => !FILE_KEYS.includes(key));
  if (unknownKeys.length > 0) {
    throw new Error(`${unknownKeysProblem(unknownKeys, FILE_KEYS, Object.keys(input))}. ${EXAMPLE}`);
  }
  if (!('rules' in input)) throw new Error(EXAMPLE);
  const replaceBuiltIn = 'replaceBuiltIn' in input ? input.replaceBuiltIn : false;
  if (typeof replaceBuiltIn !== 'boolean') {
    throw new Error(`"replaceBuiltIn" must be true or false, not ${JSON.stringify(replaceBuiltIn)}`);
  }
  return { rules: input.rules, replaceBuiltIn };
}

/** The problem of a rules array the schema refused: an unknown key first ({@link unknownKeysProblem}). */
function shapeProblem(issues: readonly z.core.$ZodIssue[], input: unknown, source: string): string {
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
  const where = (issue?.path ?? [])
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
    .join('');
  if (issue?.code !== 'unrecognized_keys') return `${source}${where}: ${issue?.message ?? 'invalid'}`;
  const rule: unknown = Array.isArray(input) ? input[Number(issue.path[0])] : undefined;
  const present = typeof rule === 'object' && rule !== null ? Object.keys(rule) : [];
  return `${source}${where}: ${unknownKeysProblem(issue.keys, RULE_KEYS, present)}`;
}

/** Checks the rules one by one: the shape by the schema, then every pattern by compiling it. */
function validateRules(input: unknown, source: string): CategoryRule[] {
  const parsed = z.array(ruleSchema).safeParse(input);
  if (!parsed.success) throw new Error(`${shapeProblem(parsed.error.issues, input, source)}. ${EXAMPLE}`);
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

/**
 * Validates rules supplied by a user (JSON from a file, env var or deploy config) and returns the
 * rules a run applies, or throws an error that says which rule is wrong and how.
 *
 * A user writes rules to add or correct a few action names, so their rules come first and the
 * built-in ones still apply to what theirs do not match: a file that only knows `AUTHENTICATED`
 * keeps every built-in login, failure and lockout. `{"replaceBuiltIn": true, "rules": [...]}` uses
 * the user's rules alone, and is refused unless they can still give every security category.
 */
export function parseCategoryRules(input: unknown, source = 'category rules'): CategoryRule[] {
  // No rules of the user's (what the deployed function is given unless cdk.json has some): the
  // built-in rules, without building the rule schema on a cold start.
  if (Array.isArray(input) && input.length === 0) return [...DEFAULT_CATEGORY_RULES];
  const file = readRuleFile(input);
  const rules = validateRules(file.rules, source);
  if (!file.replaceBuiltIn) return [...rules, ...DEFAULT_CATEGORY_RULES];
  const missing = SECURITY_CATEGORIES.filter((category) => !rules.some((rule) => rule.category === category));
  if (missing.length > 0) {
    throw new Error(
      `"replaceBuiltIn": true drops the built-in rules, and these rules have none for ${missing.join(', ')}: every such event would be "other", and the alerts and the report would never see one. Add a rule for each, or remove "replaceBuiltIn" to keep the built-in rules after yours`,
    );
  }
  return rules;
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
  const categoryOf = (entry: EntryFields): EventCategory => {
    for (const rule of compiled) {
      if (rule.tests.every(({ field, regex }) => regex.test(entry[field] ?? ''))) return rule.category;
    }
    return 'other';
  };
  return rememberCategories(categoryOf);
}

/** Most (action type, event text, object type) triples a categorizer remembers before it starts over. */
const REMEMBERED_TRIPLES = 4096;
/** Triples longer than this in all are categorized each time: free texts are rarely repeated. */
const REMEMBERED_CHARS = 256;

/**
 * The category of each (action type, event text, object type) the rules have already judged, as
 * they judged it: the bench's workload repeats a few hundred such triples, and running every rule's
 * regular expressions over each entry was a sixth of normalising it (the ingest's CPU path). The
 * rules read nothing else and keep no state between calls, so the answer cannot change; a missing
 * field and an empty one are the same to them, and so here. Nested maps, not one joined key: no
 * string is built per entry. Where triples seldom repeat (event texts naming their objects, on a
 * large instance) a miss cost ~3x the rules alone (measured), so a categorizer whose memory filled
 * up with fewer than two hits per triple remembered stops remembering.
 */
function rememberCategories(categoryOf: Categorizer): Categorizer {
  const known: Remembered = new Map();
  let size = 0;
  let hits = 0;
  let remembering = true;
  return (entry) => {
    if (!remembering) return categoryOf(entry);
    const actionType = entry.actionType ?? '';
    const eventText = entry.eventText ?? '';
    const objectType = entry.objectType ?? '';
    const seen = known.get(actionType)?.get(eventText)?.get(objectType);
    if (seen !== undefined) {
      hits++;
      return seen;
    }
    const category = categoryOf(entry);
    if (actionType.length + eventText.length + objectType.length > REMEMBERED_CHARS) return category;
    if (size >= REMEMBERED_TRIPLES) {
      remembering = hits >= 2 * size;
      known.clear();
      size = 0;
      hits = 0;
      if (!remembering) return category;
    }
    store(known, actionType, eventText, objectType, category);
    size++;
    return category;
  };
}

type Remembered = Map<string, Map<string, Map<string, EventCategory>>>;

function store(
  known: Remembered,
  actionType: string,
  eventText: string,
  objectType: string,
  category: EventCategory,
) {
  const texts = known.get(actionType) ?? new Map<string, Map<string, EventCategory>>();
  known.set(actionType, texts);
  const objects = texts.get(eventText) ?? new Map<string, EventCategory>();
  texts.set(eventText, objects);
  objects.set(objectType, category);
}
