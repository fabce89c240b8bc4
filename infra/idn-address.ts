import { domainToASCII } from 'node:url';

/** The top-level domain of an internationalized name in its ASCII form (`xn--p1ai`), or undefined. */
const asciiIdnTopLevel = (domain: string): string | undefined =>
  /\.(xn--[a-z0-9-]+)\.?$/i.exec(domain)?.[1]?.toLowerCase();

/**
 * What to say of an address (`ops@bücher.de`) or domain written with an internationalized domain
 * name, or undefined for any other: one in Unicode letters is told its ASCII (punycode) form when
 * that form passes `valid`, which SES and the address check take (review R-CONFIG2 L8). One under an
 * internationalized top-level domain (`.xn--p1ai`, `.рф`) is refused, saying why: the address
 * check, zod's, which the functions use too, takes top-level domains of letters only
 * (docs/decisions.md).
 */
export function idnAdvice(value: string, valid: (ascii: string) => boolean): string | undefined {
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
  return unicode && valid(`${local}${ascii}`)
    ? `has its domain in Unicode letters, which SES and the address check take only in their ASCII (punycode) form: write "${local}${ascii}"`
    : undefined;
}
