import * as z from 'zod';
import { idnAdvice } from './idn-address.ts';
import { reservedDomainProblem } from './reserved-mail-domain.ts';

const isEmail = (value: string): boolean => z.email().safeParse(value).success;

/** What an address key says of several addresses written in its one string, the first being `first`. */
export type SeveralAdvice = (first: string, count: number) => string;

/**
 * The domain the messages' example addresses carry: no address at all, so an example copied as it
 * stands is refused as one, where `ops@example.com` was refused only as a reserved domain after a
 * first fix (review R-CONFIG2 L2).
 */
export const YOUR_DOMAIN = '<your-domain>';

/** What the address keys are told to write instead of one at a reserved domain. */
export const OWN_ADDRESS = 'an address of your own organisation';

/**
 * The fix `mistake` (`is a display-name form`) offers, writing `address` (`fix` words it): or, for
 * an address at a domain reserved for examples, both problems at once, so the fix is not refused in
 * turn (review R-CONFIG2 L2).
 */
function offer(mistake: string, address: string, fix: string, own: string): string {
  const reserved = reservedDomainProblem(address, own);
  return reserved === undefined
    ? `${mistake}: ${fix}`
    : `${mistake}, and its address "${address}" ${reserved}`;
}

/** The advice for several addresses in one string, each a valid address, offering an own one. */
function severalMistake(parts: readonly string[], several: SeveralAdvice, own: string): string {
  const reserved = parts.find((part) => reservedDomainProblem(part, own) !== undefined);
  const first = parts.find((part) => reservedDomainProblem(part, own) === undefined);
  const start =
    first === undefined ? `holds ${parts.length} addresses in one string` : several(first, parts.length);
  return reserved === undefined
    ? start
    : `${start}; and "${reserved}" ${reservedDomainProblem(reserved, own)}`;
}

/**
 * The precise mistake of a string meant as one e-mail address that is not one, or undefined when
 * it is none of these (the key's own message then applies): an example's placeholder domain left
 * in, an internationalized domain (infra/idn-address.ts), the `Name <address>` form (`namedWhy` says why the bare address is needed), white space around
 * an address (copied from a mail or a spreadsheet), and several addresses in one string, which
 * `several` words for the key. Every address key gives the same answer to the same mistake (review
 * R-FIRST L2). An address offered is a valid one, not at a reserved domain (`own` says what to
 * write instead).
 */
export function addressMistake(
  value: unknown,
  several: SeveralAdvice,
  namedWhy = '',
  own = OWN_ADDRESS,
): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.includes(YOUR_DOMAIN))
    return `still holds the example's "${YOUR_DOMAIN}": write your organisation's own domain in its place`;
  const idn = idnAdvice(value, isEmail, own);
  if (idn !== undefined) return idn;
  const trimmed = value.trim();
  const named = /^[^<>]*<([^<>]+)>\s*$/.exec(trimmed)?.[1]?.trim();
  if (named !== undefined) {
    return isEmail(named)
      ? offer('is a display-name form', named, `write the bare address "${named}"${namedWhy}`, `${own}, bare`)
      : undefined;
  }
  if (trimmed !== value && isEmail(trimmed))
    return offer('has white space around it', trimmed, `write "${trimmed}"`, own);
  const parts = trimmed.split(/[,;\s]+/).filter((part) => part !== '');
  return parts.length > 1 && parts.every(isEmail) ? severalMistake(parts, several, own) : undefined;
}
