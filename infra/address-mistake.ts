import * as z from 'zod';

const isEmail = (value: string): boolean => z.email().safeParse(value).success;

/** What an address key says of several addresses written in its one string, the first being `first`. */
export type SeveralAdvice = (first: string, count: number) => string;

/**
 * The precise mistake of a string meant as one e-mail address that is not one, or undefined when
 * it is none of these (the key's own message then applies): the `Name <address>` form (`namedWhy`
 * says why the bare address is needed), white space around an address (copied from a mail or a
 * spreadsheet), and several addresses in one string, which `several` words for the key. Every
 * address key gives the same answer to the same mistake (review R-FIRST L2).
 */
export function addressMistake(value: unknown, several: SeveralAdvice, namedWhy = ''): string | undefined {
  if (typeof value !== 'string') return undefined;
  const named = /^[^<>]*<([^<>]+)>\s*$/.exec(value.trim())?.[1];
  if (named !== undefined)
    return `is a display-name form: write the bare address "${named.trim()}"${namedWhy}`;
  const trimmed = value.trim();
  if (trimmed !== value && isEmail(trimmed)) return `has white space around it: write "${trimmed}"`;
  const parts = trimmed.split(/[,;\s]+/).filter((part) => part !== '');
  const [first] = parts;
  if (first !== undefined && parts.length > 1 && parts.every(isEmail)) return several(first, parts.length);
  return undefined;
}
