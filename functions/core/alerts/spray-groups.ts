/**
 * The groups a password spray is judged over (detect-password-spray.ts), narrowest first, each with
 * its threshold and window, and how its alert names it.
 *
 * One address (`sprayUsers` users within `burstMinutes`) missed a credential-stuffing run that
 * takes a new address for each name: 200 names from 200 addresses of one /17 of one hosting owner
 * in 10 minutes raised nothing, each address naming one or two users (review R-ONCALL H2). So a
 * spray is also judged over the failures of one network (an IPv4 /24, an IPv6 /48) and of one
 * network owner (the ASN the geo data placed the failure in), with three times the users: a /24 or
 * an owner holds many people, and a busy eyeball network's owner sees unrelated mistypes add up
 * (docs/decisions.md says the price; `sprayUsers` scales every level). A slow spray
 * stays under every window of `burstMinutes` (30 users, one every 90 s, from one address raised
 * nothing while the weekly report listed it: review R-ONCALL M2): one address is also judged over
 * 60 minutes, the whole hour the detector reads before the period, with twice the users.
 *
 * Stuffing spread over many owners (a botnet) is no group's above; its names are mostly of no
 * user of the instance (a list from another site's breach), which a user mistyping a password
 * does not make. So the failures under a name of no user (user-id.ts: no id, or `0`) from any
 * address are one more group, at three times the users too.
 *
 * Only keyed addresses (a public address: ip-network.ts, addressKey) have a network or an owner:
 * a whole text (`unknown`, a private address) names no network of the attacker's.
 */
import type { Alert } from './alert.ts';
import type { AlertEvent } from './alert-event.ts';
import { addressKey, failureAddress } from './ip-network.ts';
import { userIdOf } from './user-id.ts';

/** The one group of the instance-wide level: every failure under a name of no user. */
const INSTANCE_GROUP = 'any address';

/** The slower window of one address, minutes: the hour the detector reads before the period. */
const SLOW_SPRAY_MINUTES = 60;
/** A network's or an owner's threshold, as a multiple of `sprayUsers`. */
const NETWORK_SPRAY_FACTOR = 3;
/** The slower window's threshold, as a multiple of `sprayUsers`. */
const SLOW_SPRAY_FACTOR = 2;

export type SprayScope = 'address' | 'network' | 'owner' | 'instance';

/** One way of grouping failures into sprays. */
export interface SprayLevel {
  scope: SprayScope;
  slow: boolean;
  users: number;
  minutes: number;
}

/** The levels for `sprayUsers` and `burstMinutes`, narrowest first (the order they are judged in). */
export function sprayLevels(sprayUsers: number, burstMinutes: number): SprayLevel[] {
  const fast = (scope: SprayScope, factor: number): SprayLevel => ({
    scope,
    slow: false,
    users: sprayUsers * factor,
    minutes: burstMinutes,
  });
  return [
    fast('address', 1),
    fast('network', NETWORK_SPRAY_FACTOR),
    fast('owner', NETWORK_SPRAY_FACTOR),
    fast('instance', NETWORK_SPRAY_FACTOR),
    { scope: 'address', slow: true, users: sprayUsers * SLOW_SPRAY_FACTOR, minutes: SLOW_SPRAY_MINUTES },
  ];
}

/** The /24 of a keyed IPv4 address, the /48 of a keyed IPv6 /64 (`2a00:1450:4001:81c::/64`). */
export function networkOfKey(key: string): string {
  if (key.endsWith('::/64')) return `${key.split(':').slice(0, 3).join(':')}::/48`;
  return `${key.slice(0, key.lastIndexOf('.'))}.0/24`;
}

/**
 * The group of `event` at `scope` as the evidence names it (`198.51.100.7`, `178.62.10.0/24`,
 * `AS14061`), or null when it is in none. The address is {@link addressKey}.
 */
export function sprayGroupOf(
  event: Pick<AlertEvent, 'user_id' | 'ip_address' | 'ip_asn'>,
  scope: SprayScope,
): string | null {
  if (scope === 'instance') return userIdOf(event) === null ? INSTANCE_GROUP : null;
  if (scope === 'address') {
    const key = addressKey(event.ip_address);
    return key === null || key === '' ? null : key;
  }
  if (scope === 'network') return sprayNetworkOf(event.ip_address);
  const keyed = failureAddress(event.ip_address);
  if (keyed === null || keyed.entry === null) return null;
  return event.ip_asn === null ? null : `AS${event.ip_asn}`;
}

/**
 * The network group of an address text (`178.62.10.0/24`, `2a00:1450:4001::/48`), as the network
 * level groups its failures: of its keyed address ({@link networkOfKey} of its
 * {@link failureAddress} key, an IPv6 one's /64 first), or null when it has none. So a user's
 * known address (ip-network.ts, clientAddressKey) is compared with a spray's network in the
 * spray's own terms: taking {@link networkOfKey} of the bare address instead gave an IPv6 one no
 * /48, and a user's own IPv6 network never exempted them (F-SPRAYV6).
 */
export function sprayNetworkOf(address: string | null): string | null {
  const keyed = failureAddress(address);
  return keyed === null || keyed.entry === null ? null : networkOfKey(keyed.key);
}

/**
 * The key the alerts checkpoint records a spray under (raised-sprays.ts): the address key alone
 * for the fast window of one address, as before; the others prefixed by capitals, which no
 * address key holds (addressKey lower-cases them), so no address can take another level's key.
 */
export function sprayRecordKey(level: Pick<SprayLevel, 'scope' | 'slow'>, group: string): string {
  const scoped = level.scope === 'address' ? group : `${RECORD_PREFIX[level.scope]} ${group}`;
  return level.slow ? `SLOW ${scoped}` : scoped;
}

const RECORD_PREFIX = { network: 'NET', owner: 'OWNER', instance: 'ANY' } as const;

/**
 * `network 178.62.10.0/24`, `network owner AS14061` or `any address, under names of no user`, as
 * the evidence names the group.
 */
export function sprayGroupText(scope: Exclude<SprayScope, 'address'>, group: string): string {
  if (scope === 'instance') return `${group}, under names of no user`;
  return scope === 'network' ? `network ${group}` : `network owner ${group}`;
}

/**
 * What a spray's evidence says of its level, as detect-password-spray.ts writes it: `within 60
 * minutes` of the slow window ({@link SLOW_SPRAY_MINUTES}: `burstMinutes` is at most 30), then
 * {@link sprayGroupText}. A test checks that every level's alert reads back to its key.
 */
const EVIDENCE =
  /^failed logins of \d+ users \(\d+ failures\) within (\d+) minutes \([^)]*\) from (?:network owner (AS\d+)[ ,]|network ([^ ,]+)[ ,]|(any address), under names of no user)?/;

/** A raised spray's level and group, as {@link sprayGroupOfAlert} reads them back. */
interface AlertSprayGroup {
  scope: SprayScope;
  slow: boolean;
  group: string;
}

/** The level and group a spray's key names ({@link sprayRecordKey}), read back. */
function sprayGroupOfKey(key: string): AlertSprayGroup {
  const slow = key.startsWith('SLOW ');
  const scoped = slow ? key.slice('SLOW '.length) : key;
  const [prefix, ...rest] = scoped.split(' ');
  const scope = (Object.keys(RECORD_PREFIX) as (keyof typeof RECORD_PREFIX)[]).find(
    (s) => RECORD_PREFIX[s] === prefix,
  );
  return scope === undefined
    ? { scope: 'address', slow, group: scoped }
    : { scope, slow, group: rest.join(' ') };
}

/**
 * The level and group of a raised `password_spray`: its key where it carries one
 * ({@link Alert.spray_key}); else, taken in before it did, read back from its fields: its level
 * from its evidence, its address from its raising failure's. Null when it names no group.
 */
export function sprayGroupOfAlert(
  alert: Pick<Alert, 'evidence' | 'ip_address' | 'spray_key'>,
): AlertSprayGroup | null {
  if (alert.spray_key !== undefined) return sprayGroupOfKey(alert.spray_key);
  const match = EVIDENCE.exec(alert.evidence);
  const slow = match?.[1] === String(SLOW_SPRAY_MINUTES);
  if (match?.[2] !== undefined) return { scope: 'owner', slow, group: match[2] };
  if (match?.[3] !== undefined) return { scope: 'network', slow, group: match[3] };
  if (match?.[4] !== undefined) return { scope: 'instance', slow, group: match[4] };
  const key = addressKey(alert.ip_address);
  return key === null || key === '' ? null : { scope: 'address', slow, group: key };
}

/** The key a raised `password_spray` is recorded under ({@link sprayRecordKey}); null: none. */
export function sprayRecordKeyOf(alert: Pick<Alert, 'evidence' | 'ip_address' | 'spray_key'>): string | null {
  if (alert.spray_key !== undefined) return alert.spray_key;
  const found = sprayGroupOfAlert(alert);
  return found === null ? null : sprayRecordKey(found, found.group);
}
