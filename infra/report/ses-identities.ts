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

interface ReportSesSettings {
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
   * Identities the report may send as: the sender address and its domain, because SES authorizes
   * against whichever of the two is a verified identity (the address where both are), and the
   * domain named or created when it is a parent of the sender's domain. A named address is the
   * sender itself, and alone.
   */
  sending: string[];
  /**
   * Recipient identities: each address and its domain. In the SES sandbox, SES also authorizes the
   * caller against the verified identity of each recipient, the address or its domain, whichever
   * is verified; outside it these grants are never consulted.
   */
  recipients: string[];
  /** The identity to create, when `createSesIdentity` is set. */
  create?: { kind: 'email' | 'domain'; name: string };
}

/**
 * Each name once, letter case aside, in the order first given (the first spelling kept), leaving
 * out those in `taken`, which it adds them to.
 */
function unique(names: readonly string[], taken: Set<string>): string[] {
  const kept: string[] = [];
  for (const name of names) {
    const key = name.toLowerCase();
    if (taken.has(key)) continue;
    taken.add(key);
    kept.push(name);
  }
  return kept;
}

/**
 * Works out the identities to grant `ses:SendEmail` on and, optionally, the one to create. Every
 * grant is also bound to the sender as From address (ses-send-statement.ts), so a recipient's
 * domain lets the role send only as the sender, only to an identity SES checks in the sandbox.
 */
export function planSesIdentities(settings: ReportSesSettings): SesIdentityPlan {
  const explicit = settings.sesIdentity;
  const created = settings.createSesIdentity ? (explicit ?? settings.sender) : undefined;
  const named = explicit ?? created;
  const taken = new Set<string>();
  // A domain named or created may be a parent of the sender's: SES still authorizes against the
  // sender address or its own domain when one of those is verified too (another team's identity,
  // made before this stack), which a grant on the named domain alone would refuse every send.
  const sending = unique(
    named?.includes('@') ? [named] : [...(named ? [named] : []), settings.sender, domainOf(settings.sender)],
    taken,
  );
  const recipients = unique(
    settings.recipients.flatMap((recipient) => [recipient, domainOf(recipient)]),
    taken,
  );
  if (created === undefined) return { sending, recipients };
  return { sending, recipients, create: { kind: created.includes('@') ? 'email' : 'domain', name: created } };
}
