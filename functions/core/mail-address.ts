import * as z from 'zod/mini';
import './zod-english.ts';

/** `Name <address>`: a display name, then the address in angle brackets. */
const NAMED = /^[^<>]*<([^<>]*)>$/;

/**
 * Whether `text` is one mail address, bare (`security@example.com`) or with a display name
 * (`Security team <security@example.com>`). The address itself passes zod's email check, the one
 * the deploy configuration (infra/config/mail-addresses.ts) applies to senders and recipients, so what is
 * accepted here a deployment accepts too.
 */
export function isMailAddress(text: string): boolean {
  const trimmed = text.trim();
  const address = NAMED.exec(trimmed)?.[1] ?? trimmed;
  return z.email().safeParse(address).success;
}
