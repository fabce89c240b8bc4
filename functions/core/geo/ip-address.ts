/**
 * IP address text -> the numeric key the geo database is searched by. Hand-written scanners rather
 * than regular expressions or `node:net`: enrichment runs once per distinct address on the ingest
 * CPU path, and core code may not import `node:net` anyway. A change to what some text reads as
 * raises GEO_LOOKUP_RULES (geo-db-version.ts), so stored records placed by the old rules are
 * placed again by `enrich`.
 */

/** An IPv4 address as an unsigned 32-bit number. */
interface Ipv4Key {
  family: 4;
  value: number;
}

/** The upper 64 bits of an IPv6 address (routing prefix and subnet), as two unsigned 32-bit halves. */
interface Ipv6Key {
  family: 6;
  hi: number;
  lo: number;
}

type IpKey = Ipv4Key | Ipv6Key;

const DOT = 46;
const COLON = 58;

/** The number written in `text[from, to)` with at most `maxDigits` digits of base `radix` (10 or 16). */
function digitsValue(text: string, from: number, to: number, radix: number, maxDigits: number): number {
  if (to <= from || to - from > maxDigits) return -1;
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = digitOf(text.charCodeAt(i));
    if (digit < 0 || digit >= radix) return -1;
    value = value * radix + digit;
  }
  return value;
}

const digitOf = (code: number): number => {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
};

const ZERO = 48;

/**
 * Parses a dotted quad (each part 0-255, at most 3 digits); undefined if `text[from, to)` is not one.
 * A part of several digits that starts with 0 (`010.8.8.8`) is refused: inet_aton and the tools
 * that use it read it as octal (8.8.8.8), decimal readers as 10.8.8.8, so there is no one address
 * to place (Python's ipaddress refuses it too, since CVE-2021-29921).
 */
export function parseIpv4(text: string, from = 0, to = text.length): number | undefined {
  let value = 0;
  let parts = 0;
  let start = from;
  for (let i = from; i <= to; i++) {
    if (i < to && text.charCodeAt(i) !== DOT) continue;
    if (i - start > 1 && text.charCodeAt(start) === ZERO) return undefined;
    const part = digitsValue(text, start, i, 10, 3);
    if (part < 0 || part > 255) return undefined;
    value = value * 256 + part;
    parts++;
    start = i + 1;
  }
  return parts === 4 ? value : undefined;
}

/**
 * Parses colon-separated hex groups of `text[from, to)` into `out`; with `quad`, a trailing dotted
 * quad counts as two groups (it may only end the address, so not before a `::`).
 */
function parseGroups(text: string, from: number, to: number, out: number[], quad: boolean): boolean {
  if (from === to) return true;
  let start = from;
  for (let i = from; i <= to; i++) {
    if (i < to && text.charCodeAt(i) !== COLON) continue;
    // Only the last group's own characters: a dot after `to` is another part's (`2001:4860::8.8.8.8`).
    const dot = text.indexOf('.', start);
    if (quad && i === to && dot !== -1 && dot < to) {
      const quad = parseIpv4(text, start, to);
      if (quad === undefined) return false;
      out.push(Math.floor(quad / 65536), quad % 65536);
      return true;
    }
    const group = digitsValue(text, start, i, 16, 4);
    if (group < 0) return false;
    out.push(group);
    start = i + 1;
  }
  return true;
}

/** The eight 16-bit groups of an IPv6 address, or undefined if the text is not one (zone ids are refused). */
export function parseIpv6Groups(text: string): number[] | undefined {
  const gap = text.indexOf('::');
  const head: number[] = [];
  const tail: number[] = [];
  if (gap === -1) {
    if (!parseGroups(text, 0, text.length, head, true) || head.length !== 8) return undefined;
    return head;
  }
  if (text.indexOf('::', gap + 1) !== -1) return undefined;
  if (!parseGroups(text, 0, gap, head, false) || !parseGroups(text, gap + 2, text.length, tail, true)) {
    return undefined;
  }
  const zeros = 8 - head.length - tail.length;
  if (zeros < 1) return undefined;
  return [...head, ...new Array<number>(zeros).fill(0), ...tail];
}

const inV4 = (ip: number, base: number, bits: number): boolean =>
  Math.floor(ip / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits));

const v4 = (a: number, b: number, c: number, d: number): number => ((a * 256 + b) * 256 + c) * 256 + d;

/** Special-purpose IPv4 blocks (RFC 6890 and friends): private, shared, loopback, link-local, documentation, multicast, reserved. */
const NON_PUBLIC_V4: readonly [number, number][] = [
  [v4(0, 0, 0, 0), 8],
  [v4(10, 0, 0, 0), 8],
  [v4(100, 64, 0, 0), 10],
  [v4(127, 0, 0, 0), 8],
  [v4(169, 254, 0, 0), 16],
  [v4(172, 16, 0, 0), 12],
  [v4(192, 0, 0, 0), 24],
  [v4(192, 0, 2, 0), 24],
  [v4(192, 168, 0, 0), 16],
  [v4(198, 18, 0, 0), 15],
  [v4(198, 51, 100, 0), 24],
  [v4(203, 0, 113, 0), 24],
  [v4(224, 0, 0, 0), 3],
];

export const isPublicIpv4 = (ip: number): boolean =>
  !NON_PUBLIC_V4.some(([base, bits]) => inV4(ip, base, bits));

/**
 * Global unicast is 2000::/3; of it, the documentation prefixes 2001:db8::/32 and 3fff::/20 are not
 * real networks. Everything else (loopback, link-local, unique local, multicast) is not public.
 */
const isPublicIpv6 = (g0: number, g1: number): boolean =>
  g0 >= 0x2000 && g0 <= 0x3fff && !(g0 === 0x2001 && g1 === 0x0db8) && !(g0 === 0x3fff && g1 < 0x1000);

/** IPv4-mapped (::ffff:a.b.c.d) addresses are looked up as the IPv4 address they carry. */
const isMappedV4 = (g: readonly number[]): boolean =>
  g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff;

/**
 * The IPv4 address an IPv6 address carries, if it is one that does: IPv4-mapped (::ffff:0:0/96),
 * 6to4 (2002::/16, the site's IPv4 address in the next 32 bits: 2002:55d6:8475:: is 85.214.132.117's)
 * and Teredo (2001:0::/32, the client's IPv4 address inverted in the last 32 bits). The 6to4 and
 * Teredo prefixes name only the relay (the databases place them in the US, at AS6939), so those
 * addresses are placed where the IPv4 host is.
 */
function carriedV4(g: readonly number[]): number | undefined {
  const [g0, g1 = 0, g2 = 0, , , , g6 = 0, g7 = 0] = g;
  if (isMappedV4(g)) return g6 * 65536 + g7;
  if (g0 === 0x2002) return g1 * 65536 + g2;
  if (g0 === 0x2001 && g1 === 0) return ~(g6 * 65536 + g7) >>> 0;
  return undefined;
}

/** What an entry of an address text reads as: a public address's key, a non-public address, or neither. */
type Entry = IpKey | 'non-public' | 'unreadable';

/** The key of an IPv6 address's groups, or `non-public`. */
function v6Entry(g: readonly number[]): IpKey | 'non-public' {
  const value = carriedV4(g);
  if (value !== undefined) return isPublicIpv4(value) ? { family: 4, value } : 'non-public';
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0] = g;
  if (!isPublicIpv6(g0, g1)) return 'non-public';
  return { family: 6, hi: g0 * 65536 + g1, lo: g2 * 65536 + g3 };
}

const v4Entry = (value: number | undefined): Entry => {
  if (value === undefined) return 'unreadable';
  return isPublicIpv4(value) ? { family: 4, value } : 'non-public';
};

/** Whether `text[from, to)` is a port: 1 to 5 decimal digits, at most 65535. */
const isPort = (text: string, from: number, to: number): boolean => {
  const port = digitsValue(text, from, to, 10, 5);
  return port >= 0 && port <= 65535;
};

/** `[v6]` or `[v6]:port`, as the address in the brackets. */
function bracketedEntry(text: string): Entry {
  const close = text.indexOf(']');
  if (close === -1) return 'unreadable';
  const ending =
    close + 1 === text.length ||
    (text.charCodeAt(close + 1) === COLON && isPort(text, close + 2, text.length));
  const g = ending ? parseIpv6Groups(text.slice(1, close)) : undefined;
  return g ? v6Entry(g) : 'unreadable';
}

/**
 * What one trimmed address text reads as. Besides a bare address, the forms proxies and servers
 * write an address with its port in are read as the address: `a.b.c.d:port` (exactly one colon:
 * an IPv6 address has at least two) and `[v6]:port`, and `[v6]` alone.
 */
function readEntry(text: string): Entry {
  if (text.charCodeAt(0) === 91 /* [ */) return bracketedEntry(text);
  const colon = text.indexOf(':');
  if (colon === -1) return v4Entry(parseIpv4(text));
  if (text.indexOf(':', colon + 1) === -1) {
    return isPort(text, colon + 1, text.length) ? v4Entry(parseIpv4(text, 0, colon)) : 'unreadable';
  }
  const g = parseIpv6Groups(text);
  return g ? v6Entry(g) : 'unreadable';
}

/**
 * The lookup key of a public address (also written with its port, see {@link readEntry}), or
 * undefined for text that is not an address, and for private, reserved and documentation
 * addresses (which no database can place).
 */
export function ipKey(text: string): IpKey | undefined {
  const entry = readEntry(text.trim());
  return typeof entry === 'object' ? entry : undefined;
}

const COMMA = 44;

/**
 * The lookup key of the address an event is placed by. Domo's `ipAddress` can be a forwarded-for
 * list, "client, proxy1, proxy2": each proxy on the way appends the address it got the request
 * from. The client is the left-most entry that is a public address. Entries that are private or
 * reserved (the user's own network behind a corporate proxy, a load balancer's), empty, or cannot
 * be read (`unknown`, junk, `010.1.1.1`) are passed over, so the place may be a later hop's (a
 * proxy's). Leaving the event unplaced instead would let anyone escape every place check by
 * sending `X-Forwarded-For: x` before their real address: an unplaced sign-in is judged by no
 * place check, a wrong but present place still is. The left-most entry is whatever the client (or
 * its first proxy) wrote, so it can be forged; docs/queries.md "Addresses behind proxies" says
 * what that means for the detections. A single address is a list of one.
 */
export function clientIpKey(text: string): IpKey | undefined {
  let from = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && text.charCodeAt(i) !== COMMA) continue;
    const read = readEntry(text.slice(from, i).trim());
    from = i + 1;
    if (typeof read === 'object') return read;
  }
  return undefined;
}

/**
 * Whether an address text names no address at all: no address, IPv4 or IPv6, is written without
 * a dot or a colon, so `""`, `unknown`, `-`, `n/a` or white space is what a client or proxy writes
 * for none (review R-QUERIES L1: such failures made a spray "from IP unknown" of unrelated users,
 * and such sign-ins were an unexplained country "unknown"). The queries say it as
 * `strpos(…, '.') = 0 AND strpos(…, ':') = 0` (failed_logins_and_lockouts.sql,
 * failed_logins_by_ip.sql, data_health.sql's logins_without_ip).
 */
export const isNoAddress = (address: string): boolean => !address.includes('.') && !address.includes(':');
