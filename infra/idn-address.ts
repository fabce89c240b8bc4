import { domainToASCII } from 'node:url';
import { reservedDomainProblem } from './reserved-mail-domain.ts';

/** The top-level domain of an internationalized name in its ASCII form (`xn--p1ai`), or undefined. */
const asciiIdnTopLevel = (domain: string): string | undefined =>
  /\.(xn--[a-z0-9-]+)\.?$/i.exec(domain)?.[1]?.toLowerCase();

/**
 * What to say of an address (`ops@bücher.de`) or domain written with an internationalized domain
 * name, or undefined for any other: one in Unicode letters is told its ASCII (punycode) form when
 * that form passes `valid`, which SES and the address check take (review R-CONFIG2 L8). One under an
 * internationalized top-level domain (`.xn--p1ai`, `.рф`) is refused, saying why: the address
 * check, zod's, which the functions use too, takes top-level domains of letters only
 * (docs/decisions.md). The ASCII form offered is checked as every offered fix is: at a domain
 * reserved for examples it is refused in the same message, with `own` to write instead (review
 * R-ROUND3 LOW-1: `ops@münchen.example` was told to write `ops@xn--mnchen-3ya.example`, then
 * refused). White space around the value is no reason to say less.
 */
export function idnAdvice(
  written: string,
  valid: (ascii: string) => boolean,
  own: string,
): string | undefined {
  const value = written.trim();
  const at = value.lastIndexOf('@');
  const local = value.slice(0, at + 1);
  const domain = value.slice(at + 1);
  const unicode = /[^\p{ASCII}]/u.test(domain);
  const ascii = unicode ? domainToASCII(domain) : domain;
  if (ascii === '') return undefined;
  const topLevel = asciiIdnTopLevel(ascii);
  if (topLevel !== undefined) {
    const written = unicode ? ` ("${domain}" is "${ascii}" in ASCII)` : '';
    return `is under the internationalized top-level domain "${topLevel}"${written}, which this version does not take: its address check, which the functions share, takes top-level domains of letters only; use an address or domain under another one`;
  }
  const offered = `${local}${ascii}`;
  if (!unicode || !valid(offered)) return undefined;
  const mistake =
    'has its domain in Unicode letters, which SES and the address check take only in their ASCII (punycode) form';
  const reserved = reservedDomainProblem(offered, own);
  return reserved === undefined
    ? `${mistake}: write "${offered}"`
    : `${mistake}, and that form "${offered}" ${reserved}`;
}
