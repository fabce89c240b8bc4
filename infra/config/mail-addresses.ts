import * as z from 'zod';
import { addressMistake, OWN_ADDRESS, type SeveralAdvice, YOUR_DOMAIN } from '../address-mistake.ts';
import { idnAdvice } from '../idn-address.ts';
import { domainOf, identityCoversSender, isDomainName } from '../report/ses-identities.ts';
import { reservedDomainProblem } from '../reserved-mail-domain.ts';

/**
 * Refuses an address or domain at a domain reserved for examples (infra/reserved-mail-domain.ts);
 * one that is no address or domain at all has its own message.
 */
export const notReserved =
  (what: string) =>
  (value: string, ctx: z.RefinementCtx): void => {
    if (!isSesIdentityName(value)) return;
    const problem = reservedDomainProblem(value, what);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  };

/** Several addresses in one string of a list: each is its own item. */
const severalInList: SeveralAdvice = (first, count) =>
  `holds ${count} addresses in one string: give each as its own item of the list, e.g. ["${first}", ...]`;

const email = (what: string) =>
  z
    .email({
      error: (issue) =>
        addressMistake(issue.input, severalInList) ??
        `must be ${what} email address such as "audit@${YOUR_DOMAIN}"`,
    })
    .superRefine(notReserved(OWN_ADDRESS));

const SENDER_OWN = 'the address of your own domain that the mail is sent from';
const IDENTITY_OWN = 'a domain or address of your own that SES has verified';

/**
 * A sender address for SES: a bare address only, since the stack also uses it as the SES identity
 * and in the IAM condition ses:FromAddress; the "Name <addr>" form is told which address to write.
 */
export const sesSender = () =>
  z
    .string({ error: `must be the verified SES sender email address such as "audit@${YOUR_DOMAIN}"` })
    .superRefine((value, ctx) => {
      const message = z.email().safeParse(value).success
        ? undefined
        : (addressMistake(
            value,
            (first) => `holds several addresses: a sender is one address, such as "${first}"`,
            ' (the stack also uses it as the SES identity and in the IAM condition ses:FromAddress)',
            SENDER_OWN,
          ) ?? `must be the verified SES sender email address such as "audit@${YOUR_DOMAIN}"`);
      if (message) ctx.addIssue({ code: 'custom', message });
      else notReserved(SENDER_OWN)(value, ctx);
    });

const isSesIdentityName = (value: string): boolean =>
  isDomainName(value) || z.email().safeParse(value).success;

/** SES accepts at most 50 recipients per message, and the report sends one message per instance. */
const MAX_REPORT_RECIPIENTS = 50;

/** A configured SES identity must cover the sender: SES refuses to send otherwise, at run time. */
export function checkSenderIdentity(
  section: 'report' | 'alerts',
  mail: { sender?: string | undefined; sesIdentity?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  const { sender, sesIdentity: identity } = mail;
  if (sender && identity && isSesIdentityName(identity) && !identityCoversSender(identity, sender)) {
    ctx.addIssue({
      code: 'custom',
      path: ['sesIdentity'],
      message: `cannot send from ${section}.sender "${sender}": name that address or its domain ("${domainOf(sender)}" or a parent domain), or leave sesIdentity out`,
    });
  }
}

/** Who gets a mail: at most the SES limit of addresses per message. */
export function recipientList() {
  return z
    .array(email('a recipient'), { error: 'must be a list of email addresses' })
    .max(MAX_REPORT_RECIPIENTS, {
      error: `lists more than ${MAX_REPORT_RECIPIENTS} addresses (the SES limit per message); use a distribution list address instead`,
    })
    .default([]);
}

/** SNS allows far more subscriptions per topic; more than this many addresses belongs on a distribution list. */
const MAX_TOPIC_EMAILS = 50;

/** Email addresses to subscribe to a topic. */
export function topicEmailList() {
  return (
    z
      .array(email('a subscriber'), {
        error: `must be a list of email addresses such as ["security@${YOUR_DOMAIN}"]`,
      })
      .max(MAX_TOPIC_EMAILS, {
        error: `lists more than ${MAX_TOPIC_EMAILS} addresses; subscribe a distribution list address instead`,
      })
      // Each address names its subscription's construct: a repeat would stop the synth with a stack trace.
      .refine((emails) => new Set(emails.map((e) => e.toLowerCase())).size === emails.length, {
        error: 'lists an address twice (letter case aside): list each address once',
      })
      .default([])
  );
}

/** An optional SES identity to send through; `example` is the address the message suggests. */
export function sesIdentityName(example: string) {
  return z
    .string({ error: 'must be the verified SES identity to send through: an email address or a domain' })
    .refine(isSesIdentityName, {
      // White space around it is told as every address key tells it (review R-CONFIG2 L10).
      error: (issue) => {
        const trimmed = typeof issue.input === 'string' ? issue.input.trim() : '';
        const idn = idnAdvice(trimmed, isSesIdentityName, IDENTITY_OWN);
        if (idn !== undefined) return idn;
        if (!isSesIdentityName(trimmed))
          return `must be an email address such as "${example}" or a domain of your own`;
        const reserved = reservedDomainProblem(trimmed, IDENTITY_OWN);
        return reserved === undefined
          ? `has white space around it: write "${trimmed}"`
          : `has white space around it, and "${trimmed}" ${reserved}`;
      },
    })
    .superRefine(notReserved(IDENTITY_OWN))
    .nullish()
    .transform((value) => value ?? undefined);
}
