/**
 * A rule that names no `user` quiets whoever signs in as it describes, a stolen password's sign-ins
 * among them: it must say where from, by networks an operator can know to be theirs (an office's or
 * a VPN's exits), no wider than an IPv4 /24 or an IPv6 /48. Kinds alone (`{"kind": "new_country"}`)
 * quieted every user's takeover signals, and a cloud block (`52.0.0.0/8`) anyone can rent a host in
 * was accepted while the narrower `{"country": "US"}` was refused (review R-MUTE5 M2).
 */
import { type IpRange, ipv4CarrierOf } from './ip-range.ts';

/** The widest network a rule without a `user` may name, per family: one office's or VPN's block. */
const WITHOUT_USER_MIN_PREFIX = { 4: 24, 6: 48 } as const;

/**
 * The widest Teredo or NAT64 network a rule without a `user` may name: their last 32 bits are an
 * IPv4 address, so their /48 floor let a /104 through, an IPv4 /8 of hosts (all of AWS's
 * `52.0.0.0/8` as `64:ff9b::3400:0/104`; review R-MUTE6). A /120 is an IPv4 /24 in both: Teredo
 * inverts its client's bits, which keeps a /24 whole (`~a.~b.~c.0` to `~a.~b.~c.255`), so the
 * /24's clients behind one server and port are one prefix, as NAT64's hosts are.
 */
const CARRIED_MIN_PREFIX = 128 - 32 + WITHOUT_USER_MIN_PREFIX[4];

const NAME_USER = 'Name the user it is expected of ("user": "1839254411")';
const NARROW = 'no wider than an IPv4 /24 or an IPv6 /48';

interface Reach {
  users?: readonly string[] | undefined;
  ips?: readonly IpRange[] | undefined;
  countries?: readonly string[] | undefined;
}

/** Throws when a rule without a `user` could quiet the sign-ins of anyone, from anywhere wide. */
export function assertNarrowWithoutUser({ users, ips, countries }: Reach): void {
  if (users !== undefined) return;
  if (countries !== undefined) {
    throw new Error(
      `has a "country" and no "user": it would quiet the new country, new network, unusual hour and journey of every user signing in from there (a stolen password used from that country). ${NAME_USER}, or drop "country" and match the addresses by "ip", a network ${NARROW}`,
    );
  }
  if (ips === undefined) {
    throw new Error(
      `names no "user" and no "ip": it would quiet these alerts of every user, wherever they sign in from (a stolen password among them). ${NAME_USER}, or the network the activity comes from, ${NARROW} ("ip": "81.2.69.0/24")`,
    );
  }
  assertNarrowCarried(ips);
  const wide = ips.find((range) => range.prefix < WITHOUT_USER_MIN_PREFIX[range.family]);
  if (wide === undefined) return;
  throw new Error(
    `"ip" "${wide.text}" is wider than an IPv${wide.family} /${WITHOUT_USER_MIN_PREFIX[wide.family]} and the rule names no "user": it would quiet the sign-ins of every user from there (a cloud block anyone can rent a host in). ${NAME_USER}, or a narrower network (an office's or a VPN's exits, ${NARROW})`,
  );
}

/** Throws when a Teredo or NAT64 network holds more IPv4 addresses than a /24. */
function assertNarrowCarried(ips: readonly IpRange[]): void {
  for (const range of ips) {
    const carrier = ipv4CarrierOf(range);
    if (carrier === undefined || range.prefix >= CARRIED_MIN_PREFIX) continue;
    throw new Error(
      `"ip" "${range.text}" is within ${carrier}, whose last 32 bits are an IPv4 address: it is wider than a /${CARRIED_MIN_PREFIX} (an IPv4 /24 there) and the rule names no "user": it would quiet the sign-ins of every user from there (a cloud block anyone can rent a host in). ${NAME_USER}, or a narrower network (a /${CARRIED_MIN_PREFIX} there)`,
    );
  }
}
