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

/** Whether `value` is an address or an IPv4 /24 that address_activity can find. */
export function isAddressParam(value: string): boolean {
  if (value.endsWith('.0/24')) return IPV4.test(value.slice(0, -'/24'.length));
  return IPV4.test(value) || isIpv6(value);
}
