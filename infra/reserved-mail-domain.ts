/**
 * Domains no mail is ever delivered to: the second-level names RFC 2606 reserves for
 * documentation, and the top-level names it and RFC 6761 reserve. The docs' examples use them, so
 * an address copied from an example (`ops@example.com`) deploys alarms and reports that reach no one.
 */
const RESERVED_DOMAINS = ['example.com', 'example.net', 'example.org'];
const RESERVED_TOP_LEVEL = ['example', 'test', 'invalid', 'localhost'];

/** The reserved domain `domain` is, or lies under; undefined for any other. */
export function reservedDomainOf(domain: string): string | undefined {
  const name = domain.trim().toLowerCase().replace(/\.$/, '');
  const under = (parent: string) => name === parent || name.endsWith(`.${parent}`);
  return RESERVED_DOMAINS.find(under) ?? RESERVED_TOP_LEVEL.find(under);
}

/**
 * Why an address or SES identity (a domain) at a reserved domain is refused, or undefined. The
 * value is a valid address or domain already; `what` says what the key should hold instead.
 */
export function reservedDomainProblem(value: string, what: string): string | undefined {
  const domain = value.slice(value.lastIndexOf('@') + 1);
  const reserved = reservedDomainOf(domain);
  if (reserved === undefined) return undefined;
  const tld = reserved.includes('.') ? `"${reserved}"` : `".${reserved}"`;
  return `is at ${tld}, a domain reserved for examples (RFC 2606, RFC 6761) that no mail ever reaches, likely copied from an example: write ${what}`;
}
