import { clip } from '../mail/clip.ts';
import { oneLine } from './one-line.ts';

/**
 * Characters of the channel's last error a message shows: its gist, a long line's worth (the text
 * part wraps it). 80 cut every AuthorizationError before the reason that tells one from another (no
 * identity-based policy, a service control policy's explicit deny, a VPC endpoint policy), and a
 * KMS one inside its action (review R-ALFIX2 L5); 160 keeps them, as it keeps an evidence.
 */
const LAST_ERROR_CHARS = 160;

/**
 * The sender SES names before the error (ses-mailer.ts): an address, or a display name and the
 * address in angle brackets. A quoted display name may hold a colon (`"Security: Alerts" <a@…>`),
 * where a lead-in up to the first colon stopped, leaving the rest in the gist.
 */
const SES_SENDER = '(?:[^\\s:<>"]+|[^<>":]*(?:"[^"]*")?\\s*<[^<>]*>)';

/**
 * The channels' own words before the service's error (sns-alert-channel.ts, ses-mailer.ts), and
 * why a request was not sent (request-not-sent.ts): 31 to 90 characters of those shown.
 */
const ERROR_LEAD_IN = new RegExp(
  `^(?:(?:SNS|SES) (?:refused (?:the mail from ${SES_SENDER}|[^:]*)|was not reached, nothing was (?:published|sent)): )(?:(?:no AWS credentials to sign the request with|the connection to the service did not open(?: in time)?): )?`,
);

/** An ARN (a role's names the account), and an account id alone. */
const ARN = /\barn:aws[a-z-]*:[^\s,;()]*/g;

const ACCOUNT_ID = /\b\d{12}\b/g;

/**
 * The resource an authorization error names after the action: an ARN once left out, and the same
 * for every error of a channel (its topic, its key, its identity), so it tells nothing apart.
 */
const ON_RESOURCE = / on resource:? ?`?\(an ARN\)/g;

/**
 * The AWS SDK for Java's tail a KMS error passes on through SNS (`(Service: AWSKMS; Status Code:
 * 400; Error Code: AccessDeniedException; Request ID: …; Proxy: null)`), with the `null` message
 * it may stand after: only the service and the error code tell anything.
 */
const SDK_TAIL = /(?:\bnull )?\(Service: ([^;)]*);[^)]*?Error Code: ([^;)]*)[^)]*\)/g;

/**
 * What a message shows of the channel's last error: the service's error name and message, without
 * the channel's lead-in (an SNS AuthorizationError showed 31 characters of it, then ended inside
 * the role's ARN, with the account id), with ARNs and account ids left out, and without the parts
 * that are the same for every failure (the resource, request ids), so that the reason the service
 * gives, which tells failures apart, is kept: the recipients need what went wrong, the operators
 * have the whole error in `last_error` and the log.
 */
export const errorGist = (error: string): string =>
  clip(
    oneLine(error)
      .replace(ERROR_LEAD_IN, '')
      // Before the account ids: a request id's last group of 12 digits became `(an account)`,
      // whose `)` ended the tail there (review R-ALFIX3 L3). The service and code it keeps still pass
      // through the two below.
      .replace(SDK_TAIL, '($1 $2)')
      .replace(ARN, '(an ARN)')
      .replace(ACCOUNT_ID, '(an account)')
      .replace(ON_RESOURCE, ''),
    LAST_ERROR_CHARS,
  );
