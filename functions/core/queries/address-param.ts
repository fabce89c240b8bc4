/**
 * What address_activity's `address` takes: one IPv4 or IPv6 address, or an IPv4 /24 written
 * `a.b.c.0/24`. Checked by syntax alone here (the query layer does not import the geo lookup's
 * parsers, docs/architecture.md), with the same refusals: an octet over 255, or of several digits
 * starting with 0 (read as octal by some tools, as decimal by others), a zone id.
 */

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);
const GROUP = /^[0-9a-fA-F]{1,4}$/;

/** The 16-bit groups colon-separated `text` spells (a last dotted quad is two); undefined if not groups. */
function groupCount(text: string): number | undefined {
  if (text === '') return 0;
  const parts = text.split(':');
  let count = 0;
  for (const [i, part] of parts.entries()) {
    if (i === parts.length - 1 && IPV4.test(part)) count += 2;
    else if (GROUP.test(part)) count += 1;
    else return undefined;
  }
  return count;
}

/** Eight groups, or fewer around one `::` standing for at least one; a dotted quad only at the end. */
function isIpv6(text: string): boolean {
  const halves = text.split('::');
  const [head = '', tail] = halves;
  if (tail === undefined) return text.includes(':') && groupCount(text) === 8;
  if (halves.length > 2 || head.includes('.')) return false;
  const before = groupCount(head);
  const after = groupCount(tail);
  return before !== undefined && after !== undefined && before + after <= 7;
}

/** A port after an address, 0 to 65535 (as user_addresses.sql reads one after a bracketed IPv4). */
const PORT = '(?::([0-9]{1,4}|[0-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?';

/** An address as a log or a URL writes it beside a port: `[a]`, `[a]:port` (IPv4 or IPv6), `v4:port`. */
const WITH_PORT = [new RegExp(`^\\[([0-9A-Fa-f:.]+)\\]${PORT}$`), new RegExp(`^([0-9.]+)${PORT}$`)];

/**
 * The address in `value` when a log wrote it in brackets or with a port (`[81.2.3.4]`,
 * `[81.2.3.4]:443`, `81.2.3.4:443`, `[2001:db8::1]:443`), which a responder pastes as it stands:
 * the address alone, as user_addresses shows a bracketed IPv4 one. Anything else as given.
 */
export function unwrappedAddress(value: string): string {
  for (const form of WITH_PORT) {
    const inner = form.exec(value)?.[1];
    if (inner !== undefined && (IPV4.test(inner) || isIpv6(inner))) return inner;
  }
  return value;
}

/** Whether `value` is an address or an IPv4 /24 that address_activity can find. */
export function isAddressParam(value: string): boolean {
  if (value.endsWith('.0/24')) return IPV4.test(value.slice(0, -'/24'.length));
  return IPV4.test(value) || isIpv6(value);
}

/** A dotted quad as the two 16-bit groups it stands for in an IPv6 address. */
function quadGroups(quad: string): number[] {
  const [a = 0, b = 0, c = 0, d = 0] = quad.split('.').map(Number);
  return [a * 256 + b, c * 256 + d];
}

/** The 16-bit groups of `text`, a colon-separated run of hex groups with an optional last dotted quad. */
function groupsOf(text: string): number[] {
  if (text === '') return [];
  return text
    .split(':')
    .flatMap((part) => (IPV4.test(part) ? quadGroups(part) : [Number.parseInt(part, 16)]));
}

/** The eight groups of an IPv6 address that {@link isAddressParam} took. */
function ipv6Groups(text: string): number[] {
  const [head = '', tail] = text.split('::');
  const before = groupsOf(head);
  if (tail === undefined) return before;
  const after = groupsOf(tail);
  return [...before, ...Array<number>(8 - before.length - after.length).fill(0), ...after];
}

/**
 * address_activity's address in the one spelling the query matches every spelling of: an IPv4
 * address or /24 as given; an IPv4-mapped IPv6 one (`::ffff:1.2.3.4`) as its IPv4 address, which
 * the query finds mapped too; any other IPv6 one as its eight groups, lower case, without leading
 * zeros or `::` (`2a00:1450:4001:81c:0:0:0:200e`), which the query compares each entry, written
 * out alike, against. `value` must be one {@link isAddressParam} takes.
 */
export function normalisedAddress(value: string): string {
  if (!value.includes(':')) return value;
  const groups = ipv6Groups(value);
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) {
    const [high = 0, low = 0] = groups.slice(6);
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  }
  return groups.map((g) => g.toString(16)).join(':');
}
