/**
 * Real address blocks for the synthetic instance, so that the shipped geo database (DB-IP country,
 * IP to ASN) places each simulated sign-in where the simulation means it to be: every block below
 * lies wholly inside one range of both databases with the country and network owner (ASN) given
 * (test/simulator/geo-networks.test.ts looks each one up; a data update that moves a block fails
 * there, naming it). Kinds say how a network is used: `fixed` lines at the office or a hotel,
 * `mobile` carriers (carrier-grade NAT: a different /24 almost every session; IPv6 where the
 * carrier has it), `vpn` exits of a commercial VPN, `hosting` cloud addresses (scripts, attackers).
 */
import type { Prng } from './prng.ts';

type NetworkKind = 'fixed' | 'mobile' | 'vpn' | 'hosting';

export interface SimNetwork {
  country: string;
  asn: number;
  org: string;
  kind: NetworkKind;
  /** IPv4 block, CIDR. */
  v4: string;
  /** IPv6 block, CIDR (prefix of at most 48 bits), for carriers that hand out IPv6. */
  v6?: string;
}

const net = (country: string, asn: number, org: string, kind: NetworkKind, v4: string, v6?: string) =>
  Object.freeze(v6 === undefined ? { country, asn, org, kind, v4 } : { country, asn, org, kind, v4, v6 });

export const SIM_NETWORKS: readonly SimNetwork[] = [
  net('US', 7922, 'Comcast Cable Communications, LLC', 'fixed', '73.0.0.0/8'),
  net('US', 7018, 'AT&T Enterprises, LLC', 'fixed', '107.192.0.0/11'),
  net('US', 21928, 'T-Mobile USA, Inc.', 'mobile', '100.128.0.0/9', '2607:fb90::/34'),
  net('US', 22394, 'Verizon Business', 'mobile', '70.192.0.0/11'),
  net('US', 9009, 'M247 Europe SRL', 'vpn', '38.132.96.0/19'),
  net('US', 16509, 'Amazon.com, Inc.', 'hosting', '44.224.0.0/11'),
  net('GB', 2856, 'British Telecommunications PLC', 'fixed', '86.128.0.0/10'),
  net('GB', 5378, 'Vodafone Limited', 'mobile', '90.240.0.0/12', '2a01:840::/32'),
  net('GB', 9009, 'M247 Europe SRL', 'vpn', '106.49.32.0/20'),
  net('GB', 14061, 'DigitalOcean, LLC', 'hosting', '178.62.0.0/17'),
  net('DE', 3209, 'Vodafone GmbH', 'fixed', '88.64.0.0/12'),
  net('DE', 3320, 'Deutsche Telekom AG', 'mobile', '91.0.0.0/10', '2003:10::/28'),
  net('DE', 9009, 'M247 Europe SRL', 'vpn', '5.157.192.0/19'),
  net('DE', 16509, 'Amazon.com, Inc.', 'hosting', '3.64.0.0/12'),
  net('FR', 12322, 'Free SAS', 'fixed', '88.160.0.0/11'),
  net('FR', 3215, 'Orange S.A.', 'mobile', '86.192.0.0/11', '2a01:c910::/29'),
  net('FR', 9009, 'M247 Europe SRL', 'vpn', '154.28.112.0/20'),
  net('BR', 28573, 'Claro NXT Telecomunicacoes Ltda', 'fixed', '179.136.0.0/13'),
  net('BR', 26599, 'TELEFONICA BRASIL S.A', 'mobile', '179.88.0.0/14'),
  net('BR', 16509, 'Amazon.com, Inc.', 'hosting', '18.228.0.0/14'),
  net('IN', 24560, 'Bharti Airtel Limited', 'fixed', '122.162.0.0/15'),
  net('IN', 55836, 'Reliance Jio Infocomm Limited', 'mobile', '157.32.0.0/12', '2409:4000::/27'),
  net('IN', 16509, 'Amazon.com, Inc.', 'hosting', '13.200.0.0/13'),
  net('JP', 4713, 'NTT Communications Corporation', 'fixed', '180.0.0.0/10'),
  net('JP', 2516, 'KDDI CORPORATION', 'mobile', '106.128.0.0/13', '240b::/26'),
  net('JP', 9009, 'M247 Europe SRL', 'vpn', '193.36.124.0/22'),
  net('JP', 16509, 'Amazon.com, Inc.', 'hosting', '52.192.0.0/13'),
  net('AU', 1221, 'Telstra Limited', 'fixed', '1.120.0.0/13'),
  net('AU', 4804, 'SingTel Optus Pty Ltd', 'mobile', '49.176.0.0/13'),
  net('AU', 16509, 'Amazon.com, Inc.', 'hosting', '13.236.0.0/14'),
  net('ES', 3352, 'TELEFONICA DE ESPANA S.A.U.', 'fixed', '88.0.0.0/11'),
  net('IT', 3269, 'Telecom Italia S.p.A.', 'fixed', '79.0.0.0/10'),
  net('NL', 1136, 'KPN B.V.', 'fixed', '77.160.0.0/12'),
  net('CA', 577, 'Bell Canada', 'fixed', '142.180.0.0/15'),
  net('SG', 7473, 'Singapore Telecommunications (SINGTEL Internet Exchange)', 'fixed', '203.208.208.0/20'),
  net('SG', 9009, 'M247 Europe SRL', 'vpn', '92.244.166.0/23'),
  net('CH', 3303, 'Swisscom (Schweiz) AG', 'fixed', '178.192.0.0/13'),
];

/** The country each simulated home time zone is in. */
export const ZONE_COUNTRIES: Readonly<Record<string, string>> = {
  'America/New_York': 'US',
  'America/Chicago': 'US',
  'America/Denver': 'US',
  'America/Los_Angeles': 'US',
  'America/Sao_Paulo': 'BR',
  'Europe/London': 'GB',
  'Europe/Berlin': 'DE',
  'Asia/Kolkata': 'IN',
  'Asia/Tokyo': 'JP',
  'Australia/Sydney': 'AU',
};

/** A time zone of each country that can be a trip's destination (working hours there). */
export const COUNTRY_ZONES: Readonly<Record<string, string>> = {
  US: 'America/New_York',
  GB: 'Europe/London',
  DE: 'Europe/Berlin',
  FR: 'Europe/Paris',
  BR: 'America/Sao_Paulo',
  IN: 'Asia/Kolkata',
  JP: 'Asia/Tokyo',
  AU: 'Australia/Sydney',
  ES: 'Europe/Madrid',
  IT: 'Europe/Rome',
  NL: 'Europe/Amsterdam',
  CA: 'America/Toronto',
  SG: 'Asia/Singapore',
  CH: 'Europe/Zurich',
};

export function networksIn(country: string, kind?: NetworkKind): SimNetwork[] {
  return SIM_NETWORKS.filter((n) => n.country === country && (kind === undefined || n.kind === kind));
}

/** The one network of `kind` in `country` (the first listed), or undefined. */
export const networkIn = (country: string, kind: NetworkKind): SimNetwork | undefined =>
  SIM_NETWORKS.find((n) => n.country === country && n.kind === kind);

function parseV4(cidr: string): { base: number; size: number } {
  const [address = '', bits = '32'] = cidr.split('/');
  const base = address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
  return { base, size: 2 ** (32 - Number(bits)) };
}

const v4Text = (n: number): string =>
  [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');

/** A random /24 of the network's IPv4 block, as `a.b.c`. */
function v4PrefixIn(rng: Prng, network: SimNetwork): string {
  const { base, size } = parseV4(network.v4);
  const blocks = Math.max(1, size / 256);
  return v4Text(base + rng.int(0, blocks - 1) * 256).replace(/\.0$/, '');
}

/**
 * A /24 (as `a.b.c`) of the network not yet in `used` (it is added to `used`); once the block's
 * /24s are nearly all taken (a small block, thousands of users), a used one: colleagues then
 * share an office network, as they do. Never loops forever.
 */
export function freshPrefixIn(rng: Prng, network: SimNetwork, used: Set<string>): string {
  let prefix = v4PrefixIn(rng, network);
  for (let attempt = 0; attempt < 64 && used.has(prefix); attempt++) prefix = v4PrefixIn(rng, network);
  used.add(prefix);
  return prefix;
}

/** A host address in the network's IPv4 block (never .0 or .255). */
export const v4HostIn = (rng: Prng, network: SimNetwork): string =>
  `${v4PrefixIn(rng, network)}.${rng.int(2, 254)}`;

/** A /48 of the network's IPv6 block, as `xxxx:xxxx:xxxx::/48` (leading zeros dropped). */
export function v6NetworkIn(rng: Prng, network: SimNetwork): string {
  if (network.v6 === undefined) throw new RangeError(`${network.org} (${network.country}) has no IPv6 block`);
  const [address = '', bitsText = '48'] = network.v6.split('/');
  const bits = Number(bitsText);
  const head = address.split('::')[0]?.split(':') ?? [];
  const groups = [0, 1, 2].map((i) => Number.parseInt(head[i] ?? '0', 16));
  let value =
    (BigInt(groups[0] as number) << 32n) | (BigInt(groups[1] as number) << 16n) | BigInt(groups[2] as number);
  const free = 48 - bits;
  value += BigInt(rng.int(0, 2 ** free - 1));
  const hextets = [value >> 32n, (value >> 16n) & 0xffffn, value & 0xffffn].map((h) => h.toString(16));
  return `${hextets.join(':')}::/48`;
}
