/**
 * Which SES identities the weekly report sends through, derived from the report config. Pure
 * functions: the config validation and the CDK construct share them, so what synth accepts is what
 * the role is granted.
 */

/** A domain name as SES verifies it: dot-separated labels of letters, digits and inner hyphens. */
const DOMAIN_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;

/** True for a domain name such as `example.com` or `mail.example.co.uk`. */
export const isDomainName = (value: string): boolean => DOMAIN_NAME.test(value);

/** The domain part of a bare email address, lower-cased. */
export const domainOf = (address: string): string =>
  address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/**
 * Whether sending from `sender` can go through `identity`: the same address, or a domain identity
 * for the sender's domain or a parent of it (SES lets a verified domain send from its subdomains).
 */
export function identityCoversSender(identity: string, sender: string): boolean {
  if (identity.includes('@')) return identity.toLowerCase() === sender.toLowerCase();
  const domain = domainOf(sender);
  const name = identity.toLowerCase();
  return domain === name || domain.endsWith(`.${name}`);
}

export interface ReportSesSettings {
  /** Bare From address. */
  sender: string;
  recipients: readonly string[];
  /** The verified identity to send through; default: the sender address or its domain. */
  sesIdentity?: string | undefined;
  /** Create {@link ReportSesSettings.sesIdentity} (or the sender address) in this stack. */
  createSesIdentity: boolean;
}

export interface SesIdentityPlan {
  /**
   * Identities the report may send as: the one named or created, else both the sender address and
   * its domain, because SES authorizes against whichever of the two is the verified identity.
   */
  sending: string[];
  /**
   * Recipient address identities. In the SES sandbox, SES also authorizes the caller against each
   * (verified) recipient identity; outside it these grants are never consulted.
   */
  recipients: string[];
  /** The identity to create, when `createSesIdentity` is set. */
  create?: { kind: 'email' | 'domain'; name: string };
}

/** Works out the identities to grant `ses:SendEmail` on and, optionally, the one to create. */
export function planSesIdentities(settings: ReportSesSettings): SesIdentityPlan {
  const explicit = settings.sesIdentity;
  const created = settings.createSesIdentity ? (explicit ?? settings.sender) : undefined;
  const named = explicit ?? created;
  const sending = named ? [named] : [settings.sender, domainOf(settings.sender)];
  const seen = new Set(sending.map((identity) => identity.toLowerCase()));
  const recipients: string[] = [];
  for (const recipient of settings.recipients) {
    const key = recipient.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    recipients.push(recipient);
  }
  if (created === undefined) return { sending, recipients };
  return { sending, recipients, create: { kind: created.includes('@') ? 'email' : 'domain', name: created } };
}
