/**
 * The query an alert message offers to dig further: the alerted users' events around the alerts,
 * and where the reader runs it, which only the caller knows (the deployed function's reader has
 * Athena; a local run's has the CLI over the lake on disk).
 */

import { lakeTimestamp, utcDate } from '../lake/layout.ts';
import { linkMarks } from '../mail/mail-links.ts';
import { DAY_MS, HOUR_MS } from '../time-units.ts';
import type { Alert } from './alert.ts';
import { type AthenaCatalog, athenaTable } from './athena-catalog.ts';
import { mostSerious } from './dig-seriousness.ts';
import { eventSpan } from './event-span.ts';
import { addressKey } from './ip-network.ts';
import type { NextStepsWording } from './next-steps.ts';
import { savedQueries } from './saved-query-steps.ts';
import { sprayGroupOfAlert } from './spray-groups.ts';

export interface DigFurther {
  /** The sentence before it: where to run it. */
  intro: string;
  /** How the query names a lake table; as it is when absent (DuckDB's views, a chosen database). */
  table?(name: string): string;
  /** What the reader copies: the query itself, or a command that runs it. */
  copy(query: string): string;
  /** How the reader runs the next steps (next-steps-mail.ts); none offered when absent. */
  nextSteps?: NextStepsWording;
}

/**
 * Athena where the stack's database and workgroup are not known (the CLI over a lake in S3): the
 * reader must choose them in the console, as the sentence says.
 */
export const IN_ATHENA: DigFurther = {
  intro:
    "To dig further, run in Athena (query editor, this stack's workgroup, with its Glue database chosen):",
  copy: (query) => query,
  nextSteps: savedQueries("this stack's workgroup"),
};

/** The deployed function's: the tables named in the stack's database, the workgroup in the sentence. */
export const inAthena = (catalog: AthenaCatalog): DigFurther => ({
  intro: `To dig further, run in Athena (query editor, workgroup ${catalog.workGroup}):`,
  table: (name) => athenaTable(catalog, name),
  copy: (query) => query,
  nextSteps: savedQueries(`workgroup ${catalog.workGroup}`),
});

/** Characters a reader cannot see or that move text around: line breaks, controls, bidi overrides. */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/*
 * RFC 5322 caps a line of a message at 998 octets, and SES builds the MIME of Simple content itself
 * (nothing says it re-encodes long lines). The query is copied whole from the mail, so its lines are
 * the mail's: a catch-up alerting about 2,000 users wrote them all on one line of 44,019 octets in
 * the HTML. SQL ignores line breaks between tokens, so the user lists break between literals, and a
 * literal too long for a line is cut into pieces joined with `||` (a break inside the quotes would
 * add a newline to the value). Lines are measured as the mail may show them at worst (below).
 */

/**
 * Literals of a user list on one line: a few, so the list reads down rather than across; four
 * 10-digit ids and the indent fit the ~78 monospace columns of the mail's 640 px column, where
 * eight wrapped to column 0 (review R-S2, stop 48).
 */
const LITERALS_PER_LINE = 4;
/** Worst-case octets of a user list's line (its head, `  AND (user_id IN (`, and `))` aside). */
const LINE_OCTETS = 800;
/** Worst-case octets of one quoted piece of a literal, so any piece fits a line of its own. */
const PIECE_OCTETS = 400;

/**
 * Octets a character of the query may take in the mail: its UTF-8 bytes, or for what is escaped
 * more: in the HTML `&` is `&amp;`, `"` `&quot;`, `<` and `>` four; a `'` (doubled in the literal)
 * may be `'\''` in a shell command line ({@link DigFurther.copy}), three quotes of `&#39;` and a
 * backslash.
 */
const ESCAPED_OCTETS = new Map([
  ["'", 16],
  ['"', 6],
  ['&', 5],
  ['<', 4],
  ['>', 4],
]);

function mailOctets(text: string): number {
  let octets = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    octets += ESCAPED_OCTETS.get(char) ?? (code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4);
  }
  return octets;
}

/** `visible` quoted (each `'` doubled), in pieces of at most {@link PIECE_OCTETS} each. */
function quotedPieces(visible: string): string[] {
  const pieces: string[] = [];
  let piece = '';
  let octets = mailOctets("''");
  for (const char of visible) {
    const quoted = char === "'" ? "''" : char;
    const more = mailOctets(quoted);
    if (piece && octets + more > PIECE_OCTETS) {
      pieces.push(`'${piece}'`);
      piece = '';
      octets = mailOctets("''");
    }
    piece += quoted;
    octets += more;
  }
  pieces.push(`'${piece}'`);
  return pieces;
}

/**
 * The parts of a SQL string literal that equals `text` exactly, so it matches the stored value,
 * while the mail shows no hidden character and no web link: each hidden character, and the
 * character a mail client's linker would find a link at (a user name made up in a failed login,
 * `sso-help.com/reset`: {@link linkMarks}), is spelled `chr(n)`, the parts to be joined with `||`
 * (Athena and DuckDB both have `chr`). A name cleaned or defanged for display would not match what
 * the lake holds.
 */
function literalParts(text: string): string[] {
  const parts: string[] = [];
  const marks = linkMarks(text);
  let visible = '';
  let at = 0;
  for (const char of text) {
    const spelled = HIDDEN.test(char) || marks.has(at);
    at += char.length;
    if (!spelled) {
      visible += char;
      continue;
    }
    if (visible) parts.push(...quotedPieces(visible));
    visible = '';
    parts.push(`chr(${char.codePointAt(0)})`);
  }
  if (visible || parts.length === 0) parts.push(...quotedPieces(visible));
  return parts;
}

/**
 * `values` as the inside of an `IN (...)` list: {@link LITERALS_PER_LINE} literals a line at most,
 * a line of at most {@link LINE_OCTETS} at worst, the lines after the first indented under it. A
 * literal of several parts is `(a || b)` and may break after a `||`.
 */
function inList(values: readonly string[]): string {
  const lines: string[] = [];
  let line = '';
  let octets = 0;
  let literals = 0;
  for (const { atom, startsLiteral } of inListAtoms(values)) {
    const more = mailOctets(` ${atom}`);
    if (line && ((startsLiteral && literals === LITERALS_PER_LINE) || octets + more > LINE_OCTETS)) {
      lines.push(line);
      line = '';
      octets = 0;
      literals = 0;
    }
    line = line ? `${line} ${atom}` : atom;
    octets += more;
    if (startsLiteral) literals++;
  }
  lines.push(line);
  return lines.join('\n    ');
}

/** A literal's words, each a place a line may end: the literal and `comma`, or its parts in `(a || b)`. */
function literalAtoms(value: string, comma: string): string[] {
  const parts = literalParts(value);
  if (parts.length === 1) return [`${parts[0]}${comma}`];
  const last = parts.length - 1;
  return parts.map((part, j) => `${j === 0 ? '(' : ''}${part}${j === last ? `)${comma}` : ' ||'}`);
}

/** The list's words: each literal's ({@link literalAtoms}), the first of each starting a literal. */
const inListAtoms = (values: readonly string[]) =>
  values.flatMap((value, i) =>
    literalAtoms(value, i < values.length - 1 ? ',' : '').map((atom, j) => ({
      atom,
      startsLiteral: j === 0,
    })),
  );

/**
 * The alerts the query digs into: those of two UTC days, so it reads four days of the lake at most
 * (with the day before them, where what led to an alert may be, and the day after, where what
 * followed may be: {@link digQuery}). The two days hold the most serious alert ({@link mostSerious}:
 * of its kind's rank, the one most privileged changes followed, then the newest): its day and the
 * next when alerts came after it (what the attacker did next), else its day and the one before. Spanning every alert given, a message after
 * a 90-day catch-up (none listed, all counted) dug into ~90 days, ~17.6 GB on a 1M-events-a-day
 * instance: Athena's workgroup cancels a query past its 10 GB cutoff, so the reader's query failed.
 * Alerts listed under the default `mailOlderThanHours` (24) all fall in two days.
 */
export function alertsToDig(alerts: readonly Alert[]): Alert[] {
  const top = mostSerious(alerts);
  if (top === undefined) return [];
  const day = (a: Alert) => Math.floor(a.event_time_ms / DAY_MS);
  const topDay = day(top);
  const first = alerts.some((a) => day(a) === topDay + 1) ? topDay : topDay - 1;
  return alerts.filter((a) => day(a) === first || day(a) === first + 1);
}

/** An IPv4 address as addressKey writes one. */
const V4_KEY = /^[0-9]{1,3}(\.[0-9]{1,3}){3}$/;
/** An IPv6 /64 as addressKey writes one: four groups without leading zeros, then `::/64`. */
const V6_KEY = /^[0-9a-f]{1,4}(:[0-9a-f]{1,4}){3}::\/64$/;

/** A group of the /64 in a text: with leading zeros or not, its hex digits in either case. */
const groupPattern = (group: string): string =>
  group === '0'
    ? '0{1,4}'
    : `${group.length < 4 ? `0{0,${4 - group.length}}` : ''}${group.replace(/[a-f]/g, (hex) => `[${hex}${hex.toUpperCase()}]`)}`;

/** Any group of an address: 1-4 hex digits, either case. */
const ANY_GROUP = '[0-9a-fA-F]{1,4}';
/**
 * Where an address's groups end: no hex digit, colon or dot follows (after a dot, the last group
 * read would be part of an IPv4 tail, two groups, not one).
 */
const GROUPS_END = '($|[^0-9a-fA-F:.])';
/** An IPv4 tail, two groups: looser than an address (any 1-3 digits), as is any address here. */
const DOTTED = '[0-9]{1,3}(\\.[0-9]{1,3}){3}';
/** Four more groups, the last two maybe an IPv4 tail, and the address ends. */
const FOUR_GROUPS_END = `((:${ANY_GROUP}){4}${GROUPS_END}|(:${ANY_GROUP}){2}:${DOTTED})`;
/** At most four more groups after a `::`, the last two maybe an IPv4 tail, and the address ends. */
const UP_TO_FOUR_GROUPS_END = `((${ANY_GROUP}(:${ANY_GROUP}){0,3}){0,1}${GROUPS_END}|(${ANY_GROUP}:){0,2}${DOTTED})`;

/**
 * The spellings of the /64's addresses with a `::` starting at its zero group `i` (the groups
 * before it written out): a `::` standing for groups `i` to 3 and maybe more, so at most four
 * groups follow; or for groups `i` to `s - 1` only (all zero), so the key's groups `s` to 3 follow,
 * then exactly four more. Any other count of groups after it would shift them: the address would
 * be another /64's (`3442::6:d:0:0:c5f2:7` is in 3442:0:6:d::/64, not 3442:0:0:d::/64).
 */
function compressedAt(groups: readonly string[], i: number): string[] {
  const head = `${groups.slice(0, i).join(':')}::`;
  const zeroFrom = (s: number) => groups.slice(i, s).every((group) => group === '0{1,4}');
  const spellings: string[] = [];
  if (zeroFrom(4)) spellings.push(`${head}${UP_TO_FOUR_GROUPS_END}`);
  for (let s = i + 1; s <= 3; s++) {
    if (zeroFrom(s)) spellings.push(`${head}${groups.slice(s, 4).join(':')}${FOUR_GROUPS_END}`);
  }
  return spellings;
}

/**
 * The texts of an address in a /64, exactly: its four groups written out (then anything), or a
 * `::` at one of its zero groups ({@link compressedAt}).
 */
function v6Pattern(key: string): string {
  const groups = (key.split('::')[0] as string).split(':').map(groupPattern);
  const compressed = [0, 1, 2, 3]
    .filter((i) => groups[i] === '0{1,4}')
    .flatMap((i) => compressedAt(groups, i));
  return `(^|[^0-9a-fA-F:])(${[`${groups.join(':')}:`, ...compressed].join('|')})`;
}

/**
 * A pattern matching an address text that holds the address `key` (ip-network.ts, addressKey)
 * as an entry of its own, with a port or brackets or among hops: `5.6.7.8` is in `5.6.7.8:50123`
 * and `x, 5.6.7.8`, not in `15.6.7.80`; an IPv6 key's /64 in any address of it ({@link v6Pattern}).
 * Null when the key is no address (a text keyed whole). Looser than the key (a later hop, a
 * spelling the key would pass over): digging, one more event shown is better than one missed.
 * Unanchored but of bounded length, so linear on a long text for a backtracking engine too.
 */
export function keyPattern(key: string): string | null {
  if (V4_KEY.test(key)) return `(^|[^0-9.])${key.replaceAll('.', '\\.')}($|[^0-9.])`;
  return V6_KEY.test(key) ? v6Pattern(key) : null;
}

/**
 * Octets the texts of the sprays' `ip_address IN (…)` list may take in the query at worst (as the
 * mail may show them), all sprays together. Athena takes a query of 262,144 bytes, and a hidden
 * character is spelled `chr(9) ||`: 30 sprays of 20 texts of 90 tabs each, every spray under a key
 * of its own (a forged first entry makes one for free), made it 490,655 bytes, or 548,284 keyed
 * by whole text (review R-SPRAY3). The users' lists and the patterns need room too.
 */
const SPRAY_TEXTS_OCTETS = 65_536;

/**
 * Octets the sprays' patterns may take in the query at worst, all together: an IPv6 /64 with
 * three zero groups is ~800, and 400 sprays each from a /64 of its own (a tunnel's /48 holds
 * 65,536) made the query 328,234 bytes.
 */
const SPRAY_PATTERNS_OCTETS = 131_072;

/**
 * The address texts of an IPv4 /24 (`178.62.10.0/24`), as {@link keyPattern} finds one address's;
 * null for another network (an IPv6 /48: its texts are too many spellings for one short pattern).
 */
function networkPattern(network: string): string | null {
  const v4 = /^(\d{1,3}\.\d{1,3}\.\d{1,3})\.0\/24$/.exec(network)?.[1];
  return v4 === undefined ? null : `(^|[^0-9.])${v4.replaceAll('.', '\\.')}\\.[0-9]{1,3}($|[^0-9.])`;
}

/**
 * The patterns a spray's events are found by: its raising failure's address, and of a spray of
 * an IPv4 network every address of the /24 (the alert keeps 20 of its texts at most).
 */
function sprayKeyPatterns(alert: Alert): string[] {
  const own = keyPattern(addressKey(alert.ip_address) ?? '');
  const found = sprayGroupOfAlert(alert);
  const network = found?.scope === 'network' ? networkPattern(found.group) : null;
  return [own, network].filter((pattern): pattern is string => pattern !== null);
}

/**
 * The network owners of sprays of an owner (`ip_asn = 14061`): its events are those the geo data
 * placed in it, its addresses too many to list (200 of one owner in 10 minutes).
 */
const sprayOwners = (sprays: readonly Alert[]): number[] => [
  ...new Set(
    sprays.flatMap((a) => {
      const found = sprayGroupOfAlert(a);
      return found?.scope === 'owner' ? [Number(found.group.slice(2))] : [];
    }),
  ),
];

/** Whether `alert` is a spray of any address, under names of no user (spray-groups.ts). */
const ofAnyAddress = (alert: Alert): boolean => sprayGroupOfAlert(alert)?.scope === 'instance';

/** `TIMESTAMP '2026-11-02 10:04:25'`, whole seconds (Athena and DuckDB read it alike). */
const timestampAt = (ms: number): string => `TIMESTAMP '${lakeTimestamp(ms).slice(0, 19)}'`;

/**
 * The failures of a spray of any address: those under a name of no user (user-id.ts: no id, or
 * `0`) from an hour before its raising failure to an hour after, the hours its detector read. Its
 * addresses are one a name (300 names from 300 addresses of 300 owners): the 20 texts the alert
 * keeps found 19 of them, and no pattern or owner holds the rest (review R-ALERTS2 M2).
 */
const noUserFailures = (sprays: readonly Alert[]): string[] => [
  ...new Set(
    sprays
      .filter(ofAnyAddress)
      .map(
        (a) =>
          `(category = 'login_failed' AND (user_id IS NULL OR trim(user_id) IN ('', '0'))\n      AND event_time >= ${timestampAt(a.event_time_ms - HOUR_MS)}\n      AND event_time < ${timestampAt(a.event_time_ms + HOUR_MS + 1000)})`,
      ),
  ),
];

/**
 * The sprays' patterns ({@link keyPattern}), as many as fit {@link SPRAY_PATTERNS_OCTETS}; `cut`
 * when one did not. A spray left without its pattern has its texts listed, as room allows.
 */
function sprayPatterns(sprays: readonly Alert[]): { patterns: string[]; cut: boolean } {
  const patterns = new Set<string>();
  let octets = 0;
  let cut = false;
  for (const pattern of sprays.flatMap(sprayKeyPatterns)) {
    if (patterns.has(pattern)) continue;
    // `regexp_like(ip_address, '…')` and the line's `OR` before it.
    const more = mailOctets(pattern) + 40;
    if (octets + more > SPRAY_PATTERNS_OCTETS) {
      cut = true;
      continue;
    }
    patterns.add(pattern);
    octets += more;
  }
  return { patterns: [...patterns], cut };
}

/** A spray's address texts: those its alert kept, else the raising failure's. */
const sprayTexts = (a: Alert): string[] => a.ip_addresses ?? (a.ip_address === null ? [] : [a.ip_address]);

/**
 * The sprays' texts the query lists, as many as fit {@link SPRAY_TEXTS_OCTETS}; `cut` when one
 * did not. A text a pattern of the query matches is left out, found by that pattern: only a spray
 * keyed by its whole text (no address in it) needs its texts listed. Tested here as JavaScript
 * reads the pattern, which Athena's and DuckDB's engines read alike or looser (see NOT_W in
 * ip-network.ts).
 */
function listedSprayTexts(sprays: readonly Alert[], patterns: readonly string[]) {
  const matchers = patterns.map((pattern) => new RegExp(pattern));
  const texts = new Set<string>();
  let octets = 0;
  let cut = false;
  for (const text of sprays.flatMap(sprayTexts)) {
    if (texts.has(text) || matchers.some((matcher) => matcher.test(text))) continue;
    // Its literal, the comma and a line's indent.
    const more = mailOctets(literalAtoms(text, ',').join(' ')) + 6;
    if (octets + more > SPRAY_TEXTS_OCTETS) {
      cut = true;
      continue;
    }
    texts.add(text);
    octets += more;
  }
  return { texts: [...texts], cut };
}

/** The query's first line when a spray's alert left some texts of its address out. */
export const SPRAY_TEXTS_LEFT_OUT = '-- Of a password spray, not every text of its address is listed';

/**
 * The query's first line for a spray of any address: its failures are all found, its addresses'
 * other events (a sign-in of the attacker's) only for the texts the alert kept.
 */
export const ANY_ADDRESS_LEFT_OUT =
  '-- A spray from any address: all failures under names of no user; other events of some of its IPs';

/**
 * The doers of bulk exports (detect-bulk-exports.ts: the actor when one acted as another user),
 * whose events done as other users the query finds by `actor_id`: those rows name the other user
 * in `user_id`, and by it alone the query of a doer acting as others showed none of the exports.
 * And the actors of privileged changes made acting as another user (detect-privileged-changes.ts
 * `actorOf`), whom admin_changes and the weekly report name as the doer: the query found the
 * user acted as, not what the admin did as themselves or as others (since 2026-12-07). Within the
 * query's days, as every user's events are.
 */
const doersAsOthers = (alerts: readonly Alert[]): string[] => [
  ...new Set(
    alerts.flatMap((a) => {
      if (a.kind === 'bulk_export') return a.user_id === null ? [] : [a.user_id];
      return a.kind === 'privileged_change' && a.actor_id !== undefined ? [a.actor_id] : [];
    }),
  ),
];

/** The actors of privileged changes made as others: their own events are theirs too (`user_id`). */
const changeActors = (alerts: readonly Alert[]): string[] =>
  alerts.flatMap((a) => (a.kind === 'privileged_change' && a.actor_id !== undefined ? [a.actor_id] : []));

/**
 * A query over the alerted users' events around the alerts (Athena and DuckDB read it alike, the
 * table named by `table`): those {@link alertsToDig} keeps of `alerts`, from the UTC day before the
 * earliest to the day after the newest. The day after: an alert at 23:41 UTC is mailed after
 * midnight, and what the attacker did next is on the next day's partition (mostly empty when the
 * query is read at once, one more day when it is run later; either way within the workgroup's
 * cutoff).
 */
export function digQuery(
  instance: string,
  given: readonly Alert[],
  table: (name: string) => string = (name) => name,
): string {
  const alerts = alertsToDig(given);
  const { oldestMs, newestMs } = eventSpan(alerts);
  const from = utcDate(oldestMs - DAY_MS);
  const to = utcDate(newestMs + DAY_MS);
  // A password spray is about an address, not a user: its events are those from the address, in
  // every text its failures wrote it (a port or hop changing with each attempt), as far as kept.
  const sprays = alerts.filter((a) => a.kind === 'password_spray');
  const users = alerts.filter((a) => a.kind !== 'password_spray');
  // Its events in any text holding its address, which a spray whose port or hop changes with
  // each attempt writes anew after the window the alert kept (later failures, the attacker's
  // sign-in at last): the alert keeps the raising window's texts only.
  const { patterns, cut: patternsCut } = sprayPatterns(sprays);
  const { texts: ips, cut } = listedSprayTexts(sprays, patterns);
  // A spray may have written more texts than it kept (too many, too long), or the query may have
  // no room for them all or for its pattern: say so, as it may miss its events.
  // A spray of any address keeps 20 of its addresses: its failures are found without them.
  const partial =
    cut || patternsCut || sprays.some((a) => a.ip_addresses_partial === true && !ofAnyAddress(a));
  const anyAddress = sprays.some((a) => a.ip_addresses_partial === true && ofAnyAddress(a));
  const ids = [
    ...new Set([...users.flatMap((a) => (a.user_id === null ? [] : [a.user_id])), ...changeActors(users)]),
  ];
  const actors = doersAsOthers(users);
  // Every spelling the alert's events carried: the detectors took them as one user.
  const spellings = (a: Alert): string[] => (a.user_id === null ? (a.user_names ?? [a.user_name ?? '']) : []);
  const names = [...new Set(users.flatMap(spellings).filter((name) => name !== ''))];
  // Failures with neither id nor name are one user to the detectors; the lake holds NULL there
  // (or an empty name), which `user_name IN ('')` never matched.
  const nameless = users.some(
    (a) => a.user_id === null && (a.user_names ?? [a.user_name ?? '']).includes(''),
  );
  const who = [
    ...(ips.length ? [`ip_address IN (${inList(ips)})`] : []),
    ...patterns.map((pattern) => `regexp_like(ip_address, '${pattern}')`),
    ...sprayOwners(sprays).map((asn) => `ip_asn = ${asn}`),
    ...noUserFailures(sprays),
    ...(ids.length ? [`user_id IN (${inList(ids)})`] : []),
    ...(actors.length ? [`actor_id IN (${inList(actors)})`] : []),
    ...(names.length ? [`user_name IN (${inList(names)})`] : []),
    ...(nameless ? ["(user_id IS NULL AND (user_name IS NULL OR user_name = ''))"] : []),
  ];
  return [
    ...(partial ? [SPRAY_TEXTS_LEFT_OUT] : []),
    ...(anyAddress ? [ANY_ADDRESS_LEFT_OUT] : []),
    // The object columns: what the user touched (a page, a card, a dataset) is what the reader asks
    // next. Country, network owner and browser: an attacker signed in as the user does what the
    // user does, and only where it came from tells those events from the user's own.
    'SELECT event_time, user_id, user_name, category, action_type,',
    '  object_type, object_name, object_id, ip_address, ip_country,',
    `  ip_org, browser_details, event_text${actors.length ? ', actor_id' : ''}`,
    `FROM ${table('activity_log')}`,
    `WHERE instance = '${instance}'`,
    `  AND dt BETWEEN '${from}' AND '${to}'`,
    // One line each, so the end of one long list and the start of the next never share a line.
    // Nothing to match (a spray whose every text was too long to keep) matches nothing.
    `  AND (${who.join('\n    OR ') || 'false'})`,
    // event_id breaks ties of time (a burst of events in one millisecond): Athena reads files in
    // parallel, and the same query must list them in the same order, on DuckDB too.
    'ORDER BY event_time, event_id',
  ].join('\n');
}
