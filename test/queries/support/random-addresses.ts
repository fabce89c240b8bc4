import { Prng } from '../../../functions/simulator/index.ts';

/**
 * `count` address-like strings, the same for one seed: well-formed IPv4, IPv6 and IPv4-mapped
 * addresses in every spelling, zero groups often (the unspecified and loopback addresses) and
 * first octets 0 and 127, and sometimes malformed ones: a group too long, an octet over 255, a
 * dotted tail of three or five octets, a dotted group before others, two `::`.
 */
export function randomAddresses(seed: string, count: number): string[] {
  const rng = new Prng(seed);
  const hex = () => {
    const value = rng.chance(0.4) ? 0 : rng.chance(0.02) ? rng.int(0x10000, 0xfffff) : rng.int(0, 0xffff);
    return value.toString(16).padStart(rng.int(1, 4), '0');
  };
  const octet = () => (rng.chance(0.05) ? rng.int(256, 999) : rng.pick([0, 1, 127, rng.int(0, 255)]));
  const dotted = () => Array.from({ length: rng.pick([3, 4, 4, 4, 4, 4, 5]) }, octet).join('.');
  const prefixes = ['::ffff', '0:0:0:0:0:ffff', '0::ffff', '::0:ffff', '1::ffff', '::FFFF'];
  const mapped = () => `${rng.pick(prefixes)}:${rng.chance(0.5) ? dotted() : `${hex()}:${hex()}`}`;
  const address = () => {
    if (rng.chance(0.2)) return rng.chance(0.5) ? dotted() : mapped();
    const groups = Array.from({ length: rng.int(0, 9) }, hex);
    if (rng.chance(0.5)) groups.splice(rng.int(0, groups.length), 0, '');
    if (rng.chance(0.05)) groups.splice(rng.int(0, groups.length), 0, dotted());
    if (rng.chance(0.2)) groups.push(dotted());
    return groups.join(':');
  };
  return Array.from({ length: count }, address);
}
