import type { Prng } from './prng.ts';

/** `a.b.c` of the network `a.b.c.0/24`. */
export function ipv4Prefix(network: string): string {
  return network.slice(0, network.lastIndexOf('.'));
}

/** A host address in the /48 `network` (`xxxx:xxxx:xxxx::/48`). */
export function ipv6Host(rng: Prng, network: string): string {
  const prefix = network.slice(0, network.indexOf('::'));
  const groups = Array.from({ length: 5 }, () => rng.hex(4).replace(/^0+(?=.)/, ''));
  return `${prefix}:${groups.join(':')}`;
}

/** The /24 (IPv4) or /48 (IPv6) network an address belongs to, in CIDR notation. */
export function networkOf(ipAddress: string): string {
  if (ipAddress.includes(':')) {
    const groups = ipAddress.split(':');
    return `${groups.slice(0, 3).join(':')}::/48`;
  }
  return `${ipv4Prefix(ipAddress)}.0/24`;
}
