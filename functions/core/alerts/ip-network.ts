/**
 * The network a sign-in came from, exactly as `functions/queries/suspicious_logins.sql` computes it
 * (the alert detector and the weekly report must agree on what a "new network" is), of the client
 * entry of a forwarded-for list ({@link networkOf}): an IPv4 address
 * (or an IPv4-mapped IPv6 one, however written: `::ffff:8.8.8.8`, `0:0:0:0:0:ffff:8.8.8.8`,
 * `::ffff:808:808`) gives its /24 as `a.b.c.0/24`, with the octets as written when dotted, in
 * decimal when hex; an IPv6 address gives its /48 as its first three hextets without leading
 * zeros, then `::/48`. Anything else (missing, malformed: an octet over 255, a group of five hex
 * digits, a dotted tail of three octets) has no network, and neither have the unspecified and
 * loopback addresses (see {@link NOT_A_NETWORK}).
 */

import { isNoAddress } from '../geo/ip-address.ts';

/** 0-255 in one to three digits; leading zeros are allowed (and kept, as the query keeps them). */
const OCTET = '(?:25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9])';
const IPV4 = new RegExp(`^(?:::ffff:)?(${OCTET}\\.${OCTET}\\.${OCTET})\\.${OCTET}$`);
const IPV6_CHARS = /^[0-9a-f:.]+$/;
const HEXTET = /^[0-9a-f]{1,4}$/;
const HEX_GROUP = '[0-9a-f]{1,4}';
/** The groups before a `::`: hextets only. */
const HEAD = new RegExp(`^(?:${HEX_GROUP}(?::${HEX_GROUP})*)?$`);
/** The groups after a `::`, or all of an address without one: hextets, the last maybe an IPv4 address. */
const TAIL = new RegExp(`^(?:(?:${HEX_GROUP}:)*(?:${HEX_GROUP}|${OCTET}(?:\\.${OCTET}){3}))?$`);
/**
 * Networks no sign-in comes from: IPv4's "this network" (0.0.0.0/8, the unspecified address's) and
 * loopback (127.0.0.0/8), however the first octet is written; IPv6's 0:0:0::/48, which holds `::`,
 * `::1` and the deprecated IPv4-compatible addresses, nothing routed (mapped ones are IPv4's /24).
 * The geo database places none of them either (functions/core/geo/ip-address.ts, ipKey).
 */
const NOT_A_NETWORK = /^(?:(?:0{1,3}|127)\.|0:0:0::\/48$)/;
/**
 * Five zero groups (some or all of them a `::`), `ffff`, then the IPv4 address: dotted (group 1:
 * its first three octets) or two hex groups (2, 3). Only tried on an address {@link wellFormed}
 * found sound, so it leaves the octets' values and the group count unchecked.
 */
const MAPPED =
  /^(?:::|(?:0{1,4}:)+:)?(?:0{1,4}:)*ffff:(?:(\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/;

/** Groups a `:`-separated part stands for; an embedded IPv4 address counts as two. */
const groupCount = (part: string): number =>
  part === '' ? 0 : part.split(':').length + (part.includes('.') ? 1 : 0);

/** The /24 of the IPv4 address two hex groups carry (`808:808` is 8.8.8.8). */
function hexV4Network(high: string, low: string): string {
  const first = Number.parseInt(high, 16);
  return `${first >> 8}.${first & 0xff}.${Number.parseInt(low, 16) >> 8}.0/24`;
}

/** The /24 of an IPv4-mapped address of eight groups, or undefined for another address. */
function mappedNetwork(ip: string): string | undefined {
  // With eight groups in all, these end in `ffff` and two groups of IPv4: the address is IPv4's.
  const mapped = MAPPED.exec(ip);
  if (!mapped) return undefined;
  return mapped[1] ? `${mapped[1]}.0/24` : hexV4Network(mapped[2] ?? '', mapped[3] ?? '');
}

/**
 * Whether an address (its groups before a `::` and after it, or all of them in `head` when there
 * is none) is eight groups of 1-4 hex digits, the last two maybe an IPv4 address, with a `::`
 * standing for one or more zero groups.
 */
function wellFormed(gap: boolean, head: string, tail: string): boolean {
  if (!gap) return groupCount(head) === 8 && TAIL.test(head);
  return groupCount(head) + groupCount(tail) <= 7 && HEAD.test(head) && TAIL.test(tail);
}

function ipv6Network(ip: string): string | null {
  const cut = ip.indexOf('::');
  const head = cut === -1 ? ip : ip.slice(0, cut);
  const tail = cut === -1 ? '' : ip.slice(cut + 2);
  const headGroups = groupCount(head);
  const tailGroups = groupCount(tail);
  if (!wellFormed(cut !== -1, head, tail)) return null;
  const mapped = mappedNetwork(ip);
  if (mapped !== undefined) return mapped;
  const zeros = 8 - tailGroups;
  const hextets: string[] = [];
  for (let k = 1; k <= 3; k++) {
    const hextet =
      headGroups >= k ? head.split(':')[k - 1] : zeros >= k ? '0' : tail.split(':')[k - zeros - 1];
    if (hextet === undefined || !HEXTET.test(hextet)) return null;
    hextets.push(hextet.replace(/^0+(?=.)/, ''));
  }
  return `${hextets.join(':')}::/48`;
}

/**
 * The whitespace the query strips from around an address (space, tab, line breaks, form feed):
 * ASCII only. String.trim() would also strip a no-break space or \v, giving such an address a
 * network the query does not give it.
 */
const isEdgeSpace = (code: number): boolean =>
  code === 32 || code === 9 || code === 10 || code === 13 || code === 12;

/**
 * `text` without that whitespace around it. Scanned, not a regular expression: `[…]+$` tries to
 * end at every inner run of spaces, O(n²) on a long hostile text (0.85 s for 32,000 spaces).
 */
function trimEdgeSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isEdgeSpace(text.charCodeAt(start))) start++;
  while (end > start && isEdgeSpace(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/** ASCII capitals: the only letters the query lower-cases (see {@link addressKey}). */
const ASCII_UPPER = /[A-Z]+/g;

/**
 * An address text as one key for the password spray (detect-password-spray.ts, raised-sprays.ts)
 * and failed_logins_by_ip.sql: the key of the first entry of the list that has one
 * ({@link firstEntryKey}), wherever it stands, so that a spray whose port, proxy hop or first
 * entry changes with each attempt (`5.6.7.8:50001`, `6.6.6.6, 10.0.0.1`, `x1, 7.7.7.7`,
 * `x.1, 7.7.7.7`, `fe80::2, 7.7.7.7`, `::ffff:8.8.4.4`) is one address; else the whole text
 * without the whitespace around it, its ASCII letters lower-cased; `''` for a text without a dot
 * or a colon ({@link isNoAddress}: `""`, `unknown`, `-`, white space), which names no address;
 * null for no text. Only A-Z: an
 * address is ASCII, and String.toLowerCase(), DuckDB's and Trino's lower() each lower-case other
 * text their own way (`İ` is `i̇`, two characters, in JavaScript). A text without a key never
 * reads as one: text that is a public address has one. Looser than {@link clientAddressKey},
 * which stops at the first entry it cannot name: grouping failures more tightly only shows more
 * sprays, where exempting a sign-in would hide a finding. Where the client entry has a key, this
 * is that key (the entries before it have none), so no spray keyed so far changes its key.
 */
export function addressKey(address: string | null): string | null {
  return address === null ? null : keyedAddress(address).key;
}

/**
 * An address text's {@link addressKey} and the entry it keys (`5.6.7.8` of `10.0.0.1, 5.6.7.8:443`,
 * `2a00:1450:4001:81c::15` of its /64), lower-case, without brackets or port; no entry when the key
 * is the whole text (no entry has one).
 */
export interface KeyedAddress {
  key: string;
  entry: string | null;
}

function keyedAddress(address: string): KeyedAddress {
  const entry = firstEntryKey(address);
  if (entry === null) return { key: isNoAddress(address) ? '' : lowerAscii(trimEdgeSpace(address)), entry };
  return entry.includes(':') ? { key: v6Network64(entry), entry: canonicalV6(entry) } : { key: entry, entry };
}

/**
 * A keyed IPv6 entry in its one written form (RFC 5952: no leading zeros, the longest run of two
 * or more zero groups as `::`), so one host written `…:81c::1`, `…:81c:0:0:0:1` or `…:081c::0001`
 * is one address the evidence counts and shows, not three of its /64 (review R-FINAL). An entry
 * that is not eight groups of hex once expanded (a dotted tail) stays as written.
 */
function canonicalV6(entry: string): string {
  const halves = entry.split('::');
  if (halves.length > 2) return entry;
  const [head = '', tail] = halves;
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(Math.max(0, zeros)).fill('0'), ...tailGroups];
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return entry;
  const short = groups.map((g) => Number.parseInt(g, 16).toString(16));
  let best = { at: -1, length: 1 };
  for (let at = 0; at < 8; at++) {
    let length = 0;
    while (at + length < 8 && short[at + length] === '0') length++;
    if (length > best.length) best = { at, length };
  }
  if (best.at < 0) return short.join(':');
  return `${short.slice(0, best.at).join(':')}::${short.slice(best.at + best.length).join(':')}`;
}

/**
 * The address one user's failed logins are told apart by (detect-failed-logins.ts: the IPs a
 * lockout or burst names and counts, the addresses new since a burst, the addresses the alerts
 * checkpoint records of a burst), as failed_logins_and_lockouts.sql counts them: {@link addressKey},
 * with text of white space only (key `''`) as no address (null), as that query and
 * failed_logins_by_ip.sql leave it out. So `3.3.3.3`, `3.3.3.3, 10.0.0.7` and `192.168.1.2, 3.3.3.3`
 * are one attacker's one address (review R-QUERIES M2). A key given back is its own key (a key
 * stored in the checkpoint reads as itself; a whole text stored by an older release reads as its
 * key).
 */
export function failureAddressKey(address: string | null): string | null {
  return failureAddress(address)?.key ?? null;
}

/**
 * {@link failureAddressKey} with the entry it keys ({@link KeyedAddress}), which an alert's evidence
 * shows for the address: the whole text may be a forwarded-for list of any length.
 */
export function failureAddress(address: string | null): KeyedAddress | null {
  if (address === null) return null;
  const keyed = keyedAddress(address);
  return keyed.key === '' ? null : keyed;
}

/**
 * The /64 of a keyed IPv6 address (a well-formed {@link GLOBAL_V6} entry, lower-case, no dotted
 * tail), as failed_logins_by_ip.sql writes it: its first four groups with a `::` expanded and
 * leading zeros dropped, then `::/64` (`2a00:1450:4001:81c::/64`). A spray from IPv6 rotates its
 * address inside the /64 its host is given (40 addresses of `2a00:1450:4001:81c::/64` were 40
 * keys, no alert: review R-SPRAYKEY2); grouping only, never for "same address"
 * ({@link clientAddressKey}), where it could exempt a sign-in.
 */
function v6Network64(entry: string): string {
  // As the query: a `::` at the end closes with a zero group, then stands for the missing ones.
  const closed = entry.endsWith('::') ? `${entry}0` : entry;
  const missing = 8 - (closed.split(':').length - 1);
  const full = closed.replace('::', `:${'0:'.repeat(Math.max(0, missing))}`);
  const groups = full.split(':').slice(0, 4);
  return `${groups.map((group) => group.replace(/^0*(?=[0-9a-f])/, '')).join(':')}::/64`;
}

/*
 * The client entry of a forwarded-for list, as the query's `client_entries` step finds it, with
 * these very patterns (test/core/alerts/ip-network.test.ts checks the query holds them).
 * The geo lookup's full rule (functions/core/geo/ip-address.ts, clientIpKey: the left-most entry
 * that is not private or reserved, IPv6 and every IPv4-in-IPv6 form included) is a parser, too
 * heavy for two SQL dialects; this is a simpler one that is never looser: it passes over the
 * entries the geo lookup passes over that matter behind a proxy (empty ones and private or
 * reserved IPv4 addresses, with a port or not), and keys only an entry it can tell is a public
 * address the geo lookup places the event by. Any other entry (non-public IPv6, `unknown`, an
 * IPv4 address in IPv6 dress other than `::ffff:a.b.c.d`) gives no key, so that sign-in vouches
 * for nothing and nothing vouches for it: a finding is raised where the geo lookup might have
 * exempted one, never the other way round.
 */
const W = '[ \\t\\n\\r\\f]';
/**
 * Athena's regex library (JONI, Java syntax) lets `$` match before a final line feed; DuckDB's RE2
 * and JavaScript do not. So no capture group may take whitespace at its end (a line feed above
 * all): in a pattern with a `$`, every class but {@link W} itself leaves all of W out, the text a
 * capture hands to a pattern ending in `$` never ends in a line feed, and `$` means the same on
 * all three.
 */
const NOT_W = ' \\t\\n\\r\\f';
const OCTET_CANONICAL = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const OCTETS3 = `${OCTET_CANONICAL}\\.${OCTET_CANONICAL}\\.${OCTET_CANONICAL}`;
/** A port as the geo lookup reads one: 1-5 digits, at most 65535. */
const PORT = '(:([0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))';
/**
 * The private and reserved IPv4 blocks of ip-address.ts (NON_PUBLIC_V4), octets written without
 * leading zeros (with one, the geo lookup reads no address at all).
 */
export const PRIVATE_V4 = `((0|10|127|22[4-9]|23[0-9]|24[0-9]|25[0-5])\\.${OCTETS3}|100\\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\\.${OCTET_CANONICAL}\\.${OCTET_CANONICAL}|169\\.254\\.${OCTET_CANONICAL}\\.${OCTET_CANONICAL}|172\\.(1[6-9]|2[0-9]|3[01])\\.${OCTET_CANONICAL}\\.${OCTET_CANONICAL}|192\\.168\\.${OCTET_CANONICAL}\\.${OCTET_CANONICAL}|192\\.0\\.[02]\\.${OCTET_CANONICAL}|198\\.1[89]\\.${OCTET_CANONICAL}\\.${OCTET_CANONICAL}|198\\.51\\.100\\.${OCTET_CANONICAL}|203\\.0\\.113\\.${OCTET_CANONICAL})`;
/**
 * The leading entries passed over: those without a dot or a colon (empty, `unknown`, junk: no
 * address, IPv4 or IPv6, is written without one, so the geo lookup reads none there either), and
 * private or reserved IPv4 addresses (with a port). `[^.:,]` takes whitespace, line feeds too:
 * harmless here, as this pattern has no `$` (see {@link NOT_W}), and one class rather than a group
 * of two keeps a backtracking engine from recursing once per character.
 */
export const SKIPPED_ENTRIES = `^(([^.:,]*|${W}*${PRIVATE_V4}${PORT}{0,1}${W}*),)*`;
/**
 * `[v6]` or `[v6]:port`: group 1 is the address. Only with a colon inside: the geo lookup reads
 * brackets as IPv6 only, so `[80.150.1.2]` is no address to it (it places the sign-in by a later
 * entry) and must give no key here either. The part before the first colon takes no colon: with
 * one in both classes a backtracking engine (JavaScript, Athena's) tried every split of `[::::…`
 * (O(n²): 0.9 s for 32,000 colons), for the same matches.
 */
export const BRACKETED = `^${W}*\\[([^\\]:${NOT_W}]*:[^\\]${NOT_W}]*)\\]${PORT}{0,1}${W}*$`;
/** `a.b.c.d:port` (one colon): group 1 is the address. */
export const WITH_PORT = `^${W}*([^:${NOT_W}]*)${PORT}${W}*$`;
/** A public IPv4 address, maybe IPv4-mapped (`::ffff:`): group 2 is the IPv4 address. */
export const PUBLIC_V4 = `^(::ffff:){0,1}(${OCTETS3}\\.${OCTET_CANONICAL})$`;
const H = '[0-9a-f]{1,4}';
/**
 * 2000::/3 written with a four-digit first group, the only IPv6 addresses keyed, and only when
 * well formed as the geo lookup reads one (parseIpv6Groups): eight groups of hex digits, or fewer
 * with one `::` standing for at least one zero group. An embedded dotted quad is not keyed (only
 * stricter): `2a00:1:2:3:4:5:6:7:8` or `2a00::01.2.3.4` are no address to the geo lookup, which
 * places the sign-in by a later entry. One alternative per count of groups before the `::`.
 */
export const GLOBAL_V6 = `^[23][0-9a-f]{3}((:${H}){7}|::(${H}(:${H}){0,5}){0,1}|(:${H}){1}::(${H}(:${H}){0,4}){0,1}|(:${H}){2}::(${H}(:${H}){0,3}){0,1}|(:${H}){3}::(${H}(:${H}){0,2}){0,1}|(:${H}){4}::(${H}(:${H}){0,1}){0,1}|(:${H}){5}::(${H}){0,1}|(:${H}){6}::)$`;
/**
 * Of those, the ones the geo lookup does not place by their own bits (or not at all): 6to4
 * (2002::/16) and Teredo (2001:0::/32) carry an IPv4 address, 2001:db8::/32 and 3fff::/20 are
 * documentation (all of 3fff::/16 left out: simpler, and only stricter).
 */
export const UNKEYED_V6 = '^(2001:(0{0,4}|0{0,1}db8):|2002:|3fff:)';

/** Any other entry without the whitespace around it: group 1. */
export const TRIMMED = `^${W}*([^${NOT_W}]*(${W}+[^${NOT_W}]+)*)${W}*$`;
/** {@link PRIVATE_V4} as a whole text. */
export const ANCHORED_PRIVATE_V4 = `^${PRIVATE_V4}$`;

/** Every pattern the client entry is found and keyed with, as the query holds them. */
export const CLIENT_PATTERNS = {
  SKIPPED_ENTRIES,
  BRACKETED,
  WITH_PORT,
  TRIMMED,
  PUBLIC_V4,
  ANCHORED_PRIVATE_V4,
  GLOBAL_V6,
  UNKEYED_V6,
} as const;

/** What the query's `client_entries` step gives a sign-in's address. */
export interface ClientEntry {
  /** The client entry without whitespace, brackets and port: the text its network is cut from. */
  entry: string;
  /** Its key when it is a public address ({@link clientAddressKey}), else null. */
  key: string | null;
  /** Whether the address text is a list (holds a comma). */
  list: boolean;
}

type ClientPatterns = Record<keyof typeof CLIENT_PATTERNS, RegExp>;

const compiled = (compile: (pattern: string) => RegExp): ClientPatterns =>
  Object.fromEntries(
    Object.entries(CLIENT_PATTERNS).map(([name, pattern]) => [name, compile(pattern)]),
  ) as ClientPatterns;

/** One entry of a lower-cased list without whitespace, brackets and port, and its key. */
function readEntry(re: ClientPatterns, raw: string): { entry: string; key: string | null } {
  const entry =
    re.BRACKETED.exec(raw)?.[1] ?? re.WITH_PORT.exec(raw)?.[1] ?? re.TRIMMED.exec(raw)?.[1] ?? raw;
  const v4 = re.PUBLIC_V4.exec(entry)?.[2];
  let key: string | null = null;
  if (v4 !== undefined) key = re.ANCHORED_PRIVATE_V4.test(v4) ? null : v4;
  else if (re.GLOBAL_V6.test(entry) && !re.UNKEYED_V6.test(entry)) key = entry;
  return { entry, key };
}

const lowerAscii = (text: string) => text.replace(ASCII_UPPER, (letters) => letters.toLowerCase());

/**
 * The client entry reader with the patterns compiled by `compile`: the engines' own regex
 * semantics can be put in (a test compiles them with Athena's `$`, see {@link NOT_W}).
 */
export function clientEntryReader(compile: (pattern: string) => RegExp): (address: string) => ClientEntry {
  const re = compiled(compile);
  return (address) => {
    const lowered = lowerAscii(address);
    const skipped = re.SKIPPED_ENTRIES.exec(lowered)?.[0] ?? '';
    const raw = lowered.slice(skipped.length).split(',')[0] ?? '';
    return { ...readEntry(re, raw), list: lowered.includes(',') };
  };
}

/**
 * The reader of the first keyed entry, as failed_logins_by_ip.sql finds it (each entry of the
 * list split at commas, read as the client entry is; SKIPPED_ENTRIES is not used), with the
 * patterns compiled by `compile`. Linear: each entry is read on its own by anchored patterns.
 */
export function firstEntryKeyReader(
  compile: (pattern: string) => RegExp,
): (address: string) => string | null {
  const re = compiled(compile);
  return (address) => {
    for (const raw of lowerAscii(address).split(',')) {
      // As the query drops them first: no address is written without a dot or a colon.
      if (!raw.includes('.') && !raw.includes(':')) continue;
      const { key } = readEntry(re, raw);
      if (key !== null) return key;
    }
    return null;
  };
}

const clientEntry = clientEntryReader((pattern) => new RegExp(pattern));

/**
 * The key of the first entry of a forwarded-for list that has one (a public address, as
 * {@link clientAddressKey} keys an entry), wherever it stands; null when none has. Groups
 * failures only ({@link addressKey}): the geo lookup may have placed the event by an earlier
 * entry this cannot name, so it must not say two sign-ins are from one address.
 */
const firstEntryKey = firstEntryKeyReader((pattern) => new RegExp(pattern));

/**
 * The key two sign-ins' addresses are "the same address" by (the query's `ip`): that of the client
 * entry of a forwarded-for list (see the patterns above), so `80.150.1.2, 10.0.0.4` and
 * `80.150.1.2, 10.0.0.5` (another hop of the same proxy) and `80.150.1.2:50123` are all
 * `80.150.1.2`; null when that entry is not an address this can tell is public.
 */
export function clientAddressKey(address: string | null): string | null {
  return address === null ? null : clientEntry(address).key;
}

/**
 * The /24 or /48 of an address as the suspicious-logins query writes it, or null: of the client
 * entry ({@link clientAddressKey}) without its port or brackets. Of a list only when that entry is
 * keyed (a public address): were it not, the geo lookup may have placed the sign-in by a later
 * entry, and the network shown would be another address's. A single address gives its network
 * however it is written, as before.
 */
export function networkOf(address: string | null): string | null {
  if (address === null) return null;
  const client = clientEntry(address);
  if (client.list && client.key === null) return null;
  const network = anyNetworkOf(client.entry);
  return network === null || NOT_A_NETWORK.test(network) ? null : network;
}

/** The /24 or /48 of a well-formed address, the unspecified and loopback ones included. */
function anyNetworkOf(ip: string | null): string | null {
  if (ip === null) return null;
  const v4 = IPV4.exec(ip);
  if (v4) return `${v4[1]}.0/24`;
  if (!IPV6_CHARS.test(ip) || !ip.includes(':')) return null;
  return ipv6Network(ip);
}
