/**
 * The words of the report's failed logins by network (failed_logins_by_network.sql), for its HTML
 * and text parts alike: a spray that takes a new address for each name shows under no address of
 * "By address", and the alerts judge these groups since 2026-12-06 (spray-groups.ts).
 */
import { formatCount, plural } from './number-format.ts';
import {
  type FailedLoginNetwork,
  MANY_USERS_FROM_ONE_ADDRESS,
  type WeeklyReportModel,
} from './report-model.ts';

export const FAILED_NETWORKS_HEADING = 'By network';

export const FAILED_NETWORKS_INTRO = `Networks (IPv4 /24, IPv6 /48) and network owners that failed to sign in for ${MANY_USERS_FROM_ONE_ADDRESS} or more users this week, and failed logins under ${MANY_USERS_FROM_ONE_ADDRESS} or more names that are no Domo user's, from any address: a spray may take a new address for each name. An owner your users also sign in from is likely theirs.`;

/** Where the rows left out are: the archived model holds only the report's. */
export const FAILED_NETWORKS_ELSEWHERE = 'query failed_logins_by_network lists them';

const KIND_WORDS = { network: 'networks', owner: 'network owners', no_user: 'groups' } as const;

/**
 * `network 178.62.10.0/24`, `AS14061 DigitalOcean, LLC`, `unknown user names, any address`: "names
 * of no user" read as a garbled phrase on a phone (review R-PHONE2).
 */
export function failedNetworkLabel(n: FailedLoginNetwork): string {
  if (n.kind === 'network') return `network ${n.group}`;
  if (n.kind === 'owner') return n.org === null ? n.group : `${n.group} ${n.org}`;
  return 'unknown user names, any address';
}

/**
 * `40 users, 41 failed logins from 40 IPs; 1 sign-in by 1 user` or `; no sign-in`; names that are
 * no user's are counted as names, not as users.
 */
export function failedNetworkFigures(n: FailedLoginNetwork): string {
  const tried = `${plural(n.users, n.kind === 'no_user' ? 'name' : 'user')}, ${plural(n.failedAttempts, 'failed login')} from ${plural(n.addresses, 'IP')}`;
  if (n.kind === 'no_user') return tried;
  const signedIn =
    n.signIns === 0 ? 'no sign-in' : `${plural(n.signIns, 'sign-in')} by ${plural(n.signedInUsers, 'user')}`;
  return `${tried}; ${signedIn}`;
}

/** `and 3 more network owners` for each kind the model holds some of, in its order. */
export function failedNetworksLeftOut(model: WeeklyReportModel): string[] {
  const networks = model.failedLoginNetworks ?? [];
  return (['network', 'owner', 'no_user'] as const).flatMap((kind) => {
    const ofKind = networks.filter((n) => n.kind === kind);
    const more = (ofKind[0]?.kindRows ?? 0) - ofKind.length;
    return more > 0 ? [`and ${formatCount(more)} more ${KIND_WORDS[kind]}`] : [];
  });
}

/**
 * The networks and owners worth a row, and those left out: a network or owner whose failures
 * came from a single address is that address's row of "By address" again (its /24 read as a
 * second spray), so it is named in one line instead ({@link singleAddressSentence}). Only when
 * "By address" lists addresses: the two share their bar of users, so such an address is there.
 */
export function failedNetworksShown(model: WeeklyReportModel): {
  shown: FailedLoginNetwork[];
  singleAddress: FailedLoginNetwork[];
} {
  const networks = model.failedLoginNetworks ?? [];
  const byAddress = (model.failedLoginAddresses ?? []).length > 0;
  const single = (n: FailedLoginNetwork) => byAddress && n.kind !== 'no_user' && n.addresses === 1;
  return { shown: networks.filter((n) => !single(n)), singleAddress: networks.filter(single) };
}

/** `Not repeated here, each of a single address (By address): network 18.230.251.0/24.` */
export function singleAddressSentence(left: readonly FailedLoginNetwork[]): string | undefined {
  if (left.length === 0) return undefined;
  return `Not repeated here, each of a single address (By address): ${left.map(failedNetworkLabel).join('; ')}.`;
}
