/**
 * The network a sign-in came from, exactly as `functions/queries/suspicious_logins.sql` computes it
 * (the alert detector and the weekly report must agree on what a "new network" is): an IPv4 address
 * (or an IPv4-mapped IPv6 one, however written: `::ffff:8.8.8.8`, `0:0:0:0:0:ffff:8.8.8.8`,
 * `::ffff:808:808`) gives its /24 as `a.b.c.0/24`, with the octets as written when dotted, in
 * decimal when hex; an IPv6 address gives its /48 as its first three hextets without leading
 * zeros, then `::/48`. Anything else (missing, malformed: an octet over 255, a group of five hex
 * digits, a dotted tail of three octets) has no network, and neither have the unspecified and
 * loopback addresses (see {@link NOT_A_NETWORK}).
 */

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
const EDGE_SPACE = /^[ \t\n\r\f]+|[ \t\n\r\f]+$/g;

/** ASCII capitals: the only letters the query lower-cases (see {@link addressKey}). */
const ASCII_UPPER = /[A-Z]+/g;

/**
 * An address as the query compares two sign-ins' addresses (its `ip`): without the whitespace
 * around it, its ASCII letters lower-cased; null when there is none. Two spellings of one address
 * (`::ffff:1.2.3.4`, `1.2.3.4`) are two keys, as in the query. Only A-Z: an address is ASCII, and
 * String.toLowerCase(), DuckDB's and Trino's lower() each lower-case other text their own way
 * (`İ` is `i̇`, two characters, in JavaScript), so junk in a forwarded-for list would make one
 * address known to one of them only.
 */
export function addressKey(address: string | null): string | null {
  return address === null
    ? null
    : address.replace(EDGE_SPACE, '').replace(ASCII_UPPER, (letters) => letters.toLowerCase());
}

/** The /24 or /48 of an address as the suspicious-logins query writes it, or null. */
export function networkOf(address: string | null): string | null {
  const network = anyNetworkOf(addressKey(address));
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
