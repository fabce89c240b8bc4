/**
 * The identities a `MessageRejected` names as unverified: SES says `Email address is not verified.
 * The following identities failed the check in region EU-WEST-1: a@x.com, b@y.com`. Empty when it
 * names none (older or other wordings).
 */
function failedIdentities(sesMessage: string): { region?: string; identities: string[] } {
  const match = /failed the check in region ([A-Za-z0-9-]+):\s*(.*)$/s.exec(sesMessage);
  if (!match) return { identities: [] };
  const identities = (match[2] ?? '')
    .split(/[,\s]+/)
    .map((identity) => identity.trim().toLowerCase())
    .filter((identity) => identity !== '');
  return { region: match[1]?.toLowerCase(), identities };
}

/** The bare address of a From header (`Reports <r@x.com>` or `r@x.com`), lower-case. */
const addressOf = (from: string): string => (/<([^>]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase();

/**
 * What to do about SES's `MessageRejected` for a mail from `from`. An unverified sender is the
 * likelier cause on a first send, and its fix comes first: before, every rejection got only the
 * sandbox hint (verify the recipients), which sent the operator after the wrong identity. When SES
 * names the identities that failed, the hint says which case it is; else it gives both, sender first.
 */
export function messageRejectedHint(sesMessage: string, from: string, clientRegion?: string): string {
  const { region = clientRegion, identities } = failedIdentities(sesMessage);
  const address = addressOf(from);
  const domain = address.slice(address.lastIndexOf('@') + 1);
  const where = region ? ` in ${region}` : ' in the stack’s region';
  const sender = `verify the sender ${address} (or its domain ${domain}) as an SES identity${where} (report.sender or alerts.sender; README, "8. Deploying the weekly report")`;
  const sandbox =
    'in the SES sandbox every recipient must be a verified identity too; request production access or verify the recipients';
  if (identities.length === 0) return ` (${sender}; ${sandbox})`;
  if (identities.includes(address) || identities.includes(domain)) return ` (${sender})`;
  return ` (${sandbox}: ${identities.join(', ')})`;
}
