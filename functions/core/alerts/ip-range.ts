/**
 * Addresses and networks (CIDR) of the expected-activity list, IPv4 and IPv6, and the addresses an
 * alert's address text names. Numbers as bigint: an IPv6 address is 128 bits. The scanners are the
 * geo lookup's (ip-address.ts), so a text reads as the same address here as where it is placed.
 */
import { isPublicIpv4, parseIpv4, parseIpv6Groups } from '../geo/ip-address.ts';

interface IpValue {
  family: 4 | 6;
  value: bigint;
}

/** A network of the list: its first address and prefix length, and the text it was written as. */
export interface IpRange extends IpValue {
  prefix: number;
  text: string;
}

const WIDTH = { 4: 32, 6: 128 } as const;

/** `::ffff:a.b.c.d` and `::ffff:xxxx:xxxx` are the IPv4 address they carry, as the geo lookup reads them. */
const isMapped = (g: readonly number[]): boolean => g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;

/** One bare address (no port, no brackets); IPv4-mapped IPv6 as IPv4; undefined when not one. */
export function parseAddress(text: string): IpValue | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 4, value: BigInt(v4) };
  if (!text.includes(':')) return undefined;
  const groups = parseIpv6Groups(text);
  if (!groups) return undefined;
  if (isMapped(groups)) return { family: 4, value: BigInt((groups[6] ?? 0) * 65536 + (groups[7] ?? 0)) };
  return { family: 6, value: groups.reduce((sum, g) => (sum << 16n) | BigInt(g), 0n) };
}

const EXAMPLES = 'such as 203.0.113.7, 203.0.113.0/24, 2001:db8:1::7 or 2001:db8:1::/48';

/** The prefix length written after `/`, checked against the family's width. */
function prefixOf(text: string, written: string, address: IpValue, mappedShift: number): number {
  const width = WIDTH[address.family];
  if (!/^\d{1,3}$/.test(written)) {
    throw new Error(`"${text}": the prefix after / must be a whole number from 0 to ${width}`);
  }
  const prefix = Number(written) - mappedShift;
  if (prefix < 0 || prefix > width) {
    throw new Error(
      `"${text}": /${written} is past the ${width} bits of an IPv${address.family} address: give a prefix from ${mappedShift} to ${width + mappedShift}`,
    );
  }
  return prefix;
}

/**
 * The widest network a rule may name, per family: a /8 is already 16 million IPv4 addresses, a /32
 * is what a registry gives a whole ISP in IPv6 (2000::/3 is all of its public part). Wider, a rule
 * would quiet most of the Internet (`0.0.0.0/0`, `::/0`, `::ffff:0:0/96`), which the rule without
 * an ip already refuses to do: turning the alerts off says it honestly (review R-MUTE M6). IPv6 was
 * /16 before review R-MUTE2 D: `2002::/16` (6to4) carries every IPv4 address in its bits 16-47, so
 * it named all of IPv4; at /32, a 6to4 network is at most an IPv4 /16.
 */
const MIN_PREFIX = { 4: 8, 6: 32 } as const;

/**
 * IPv6 prefixes whose addresses carry any IPv4 address in their last 32 bits: Teredo, `2001::/32`
 * (its client), and NAT64, `64:ff9b::/96` (the IPv4 host a translator reaches, so a whole /96
 * held all of IPv4 and was accepted: review R-MUTE5 L4). Each as its own network's prefix.
 */
const CARRY_IPV4 = [
  { name: 'Teredo (2001::/32)', value: 0x2001n << 112n, prefix: 32 },
  { name: 'NAT64 (64:ff9b::/96)', value: (0x64n << 112n) | (0xff9bn << 96n), prefix: 96 },
] as const;

/**
 * The widest Teredo or NAT64 network a rule may name: its last 32 bits are an IPv4 address, so a
 * Teredo /104 holds an IPv4 /8 of clients, the IPv4 floor, and anything wider within 2001::/32
 * (`2001:0::/33`, one server's `2001:0:4136:e378::/64`) holds all of IPv4 or more than a /8 of it:
 * refusing only the /32 itself let those through (review R-MUTE3 L2).
 */
const TEREDO_MIN_PREFIX = 128 - 32 + MIN_PREFIX[4];

/** The name of the prefix (Teredo, NAT64) whose addresses carry an IPv4 address `address` lies in. */
export function ipv4CarrierOf(address: IpValue): string | undefined {
  if (address.family !== 6) return undefined;
  return CARRY_IPV4.find((c) => networkOf(address, c.prefix) === c.value)?.name;
}

const WIDER = 'it would quiet alerts from a large part of the Internet';
const NAME_THEM = "Name the networks meant (a VPN's exits, a cloud region's ranges)";

function assertNotTooWide(text: string, address: IpValue, prefix: number): void {
  const { family } = address;
  if (prefix < MIN_PREFIX[family]) {
    throw new Error(`"${text}" is wider than an IPv${family} /${MIN_PREFIX[family]}: ${WIDER}. ${NAME_THEM}`);
  }
  if (prefix >= TEREDO_MIN_PREFIX) return;
  const carrier = ipv4CarrierOf(address);
  if (carrier === undefined) return;
  throw new Error(
    `"${text}" is within ${carrier}, whose addresses carry any IPv4 address in their last 32 bits: wider than a /${TEREDO_MIN_PREFIX} ${WIDER}. ${NAME_THEM}`,
  );
}

/**
 * The most addresses a rule's networks may hold together, per family: one widest network's. Twenty
 * /8s (a rule holds 20 values) were 335 million IPv4 addresses (review R-MUTE2 D).
 */
export function assertNotTooBroad(ranges: readonly IpRange[]): void {
  for (const family of [4, 6] as const) {
    const size = (prefix: number): bigint => 1n << BigInt(WIDTH[family] - prefix);
    const total = ranges.filter((r) => r.family === family).reduce((sum, r) => sum + size(r.prefix), 0n);
    if (total <= size(MIN_PREFIX[family])) continue;
    throw new Error(
      `"ip" holds more IPv${family} addresses together than one /${MIN_PREFIX[family]}: ${WIDER}. ${NAME_THEM}`,
    );
  }
}

/** What `address` reads as with the bits past `prefix` cleared. */
const networkOf = (address: IpValue, prefix: number): bigint => {
  const host = BigInt(WIDTH[address.family] - prefix);
  return (address.value >> host) << host;
};

/** The written form of `value` as a dotted quad (IPv4 only: IPv6 is shown as the rule wrote it). */
const dotted = (value: bigint): string =>
  [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join('.');

/**
 * An address or network of the list: `203.0.113.7` (one address), `203.0.113.0/24`,
 * `2001:db8:1::/48`. Throws saying what is wrong and how to write it: not an address, a prefix
 * past the family's bits, or bits set past the prefix (`10.1.2.3/8`, likely a typo for one
 * address or for `10.0.0.0/8`: read either way it would quiet other addresses than meant).
 */
export function parseIpRange(text: string): IpRange {
  const trimmed = text.trim();
  const [written = '', prefixText, extra] = trimmed.split('/');
  const address = extra === undefined ? parseAddress(written) : undefined;
  if (address === undefined) {
    throw new Error(`"${text}" is not an IPv4 or IPv6 address or network: write one ${EXAMPLES}`);
  }
  const width = WIDTH[address.family];
  // `::ffff:203.0.113.0/120` is IPv4's /24: the mapped part counts 96 bits of the prefix.
  const shift = address.family === 4 && written.includes(':') ? 96 : 0;
  const prefix = prefixText === undefined ? width : prefixOf(text, prefixText, address, shift);
  assertNotTooWide(text, address, prefix);
  const network = networkOf(address, prefix);
  if (network !== address.value) {
    const fix =
      address.family === 4 ? `${dotted(network)}/${prefix}` : `its first address followed by /${prefix}`;
    throw new Error(
      `"${text}" has bits set past its /${prefixText}: write the network as ${fix}, or the one address without a prefix`,
    );
  }
  return { family: address.family, value: network, prefix, text: trimmed };
}

/** Whether `address` lies in `range`. */
export const inRange = (address: IpValue, range: IpRange): boolean =>
  address.family === range.family && networkOf(address, range.prefix) === range.value;

/** Whether `text` is a port as the geo lookup reads one: 1 to 5 digits, at most 65535. */
const isPort = (text: string): boolean => /^\d{1,5}$/.test(text) && Number(text) <= 65535;

/**
 * `[v6]`, `[v6]:port` and `a.b.c.d:port` as the address, as the geo lookup reads them; a bracket
 * form with anything else after it (`[::ffff:52.95.0.9]junk`) or a port past 65535 as no address
 * (empty), which matches nothing: the geo lookup skips such entries, and read here as their
 * address they matched a rule that address lies in (review R-MUTE5 L5). Anything else as written.
 */
function bareEntry(entry: string): string {
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    const rest = entry.slice(close + 1);
    const ends = close !== -1 && (rest === '' || (rest.startsWith(':') && isPort(rest.slice(1))));
    return ends ? entry.slice(1, close) : '';
  }
  const colon = entry.indexOf(':');
  if (colon === -1 || entry.indexOf(':', colon + 1) !== -1) return entry;
  return isPort(entry.slice(colon + 1)) ? entry.slice(0, colon) : '';
}

/** A public address: IPv4 outside the special-purpose blocks, IPv6 in global unicast (2000::/3). */
const isPublic = (address: IpValue): boolean =>
  address.family === 4 ? isPublicIpv4(Number(address.value)) : address.value >> 125n === 1n;

/**
 * Whether no address of `range` is public (`10.0.0.0/8`, `fd00::/8`): judged by its first and last
 * address, which for the networks a rule may name (no wider than a /8 or a /16) lie in the same
 * special-purpose block when both are in one. Such addresses are never placed in a country.
 */
export function isPrivateRange(range: IpRange): boolean {
  const host = (1n << BigInt(WIDTH[range.family] - range.prefix)) - 1n;
  const last = { family: range.family, value: range.value | host };
  return !isPublic(range) && !isPublic(last);
}

/**
 * The address of every entry of an address text (`client, proxy`), or undefined when any entry
 * reads as no address (`unknown`, `06.6.6.6`, `6.6.6.6%eth0`, full-width digits): what cannot be
 * read cannot be shown to be expected, and passing it over let the rest of the list match a rule
 * (review R-MUTE L1).
 */
function readableEntries(text: string): IpValue[] | undefined {
  const addresses: IpValue[] = [];
  for (const entry of text.split(',')) {
    const address = parseAddress(bareEntry(entry.trim()));
    if (address === undefined) return undefined;
    addresses.push(address);
  }
  return addresses;
}

/**
 * The addresses an alert's address text names that a rule must hold: Domo's `ipAddress` may be a
 * forwarded-for list (`client, proxy`), whose first entries the client writes itself. So the
 * public ones, all of them (a forged first entry naming a quieted address does not hide the
 * attacker's own after it); a list with none public (an internal network), every address in it.
 * None (an empty list, which matches no rule) when any entry reads as no address.
 */
export function addressesToMatch(text: string | null): IpValue[] {
  const addresses = text === null ? undefined : readableEntries(text);
  if (addresses === undefined) return [];
  const public_ = addresses.filter(isPublic);
  return public_.length > 0 ? public_ : addresses;
}

/**
 * Whether the place the geo data gave `text` is the place of every public address in it: the
 * lookup places a forwarded-for list by its left-most public entry, which the client writes, so
 * `133.242.0.1, 6.6.6.6` is placed in Japan though it came from 6.6.6.6. With one public address
 * (or none) the place is that address's; with several, only one of them was looked up, and a
 * country rule must not trust it (review R-MUTE H2). Not when an entry reads as no address.
 */
export function placedByEveryPublicEntry(text: string | null): boolean {
  const addresses = text === null ? undefined : readableEntries(text);
  return addresses !== undefined && addresses.filter(isPublic).length <= 1;
}
