/**
 * The networks and network owners that failed to sign in for many users and are not the users' own,
 * as the first line and the subject both name them: one reading, so the subject cannot say `0
 * suspicious logins` and nothing more of the spray the first line names with the account it took.
 */
import type { FailedLoginNetwork, WeeklyReportModel } from './report-model.ts';

/**
 * A network or owner the users sign in from as their own: a real share of those who failed there
 * (a quarter, and more than one) signed in from it too, as from the office, whose failures are
 * their mistypes. One sign-in from a network that failed for 31 users is the spray taking an
 * account (review R-SECOND2 M2), not a reason to leave it out.
 */
const usersOwn = (n: FailedLoginNetwork): boolean => n.signedInUsers >= 2 && n.signedInUsers * 4 >= n.users;

/**
 * The networks not the users' own, or, without any, the owners (one spray is in a network and in
 * its owner: the networks name it, the owners only without one), those someone signed in from
 * first: that is the compromise case. Undefined when there is none.
 */
export function sprayingNetworks(
  model: Pick<WeeklyReportModel, 'failedLoginNetworks'>,
): { kind: 'network' | 'network owner'; shown: FailedLoginNetwork[] } | undefined {
  const groups = model.failedLoginNetworks ?? [];
  const foreign = (kind: 'network' | 'owner') =>
    groups
      .filter((n) => n.kind === kind && !usersOwn(n))
      .sort((x, y) => Number(y.signedInUsers > 0) - Number(x.signedInUsers > 0));
  const networks = foreign('network');
  if (networks.length > 0) return { kind: 'network', shown: networks };
  const owners = foreign('owner');
  return owners.length > 0 ? { kind: 'network owner', shown: owners } : undefined;
}
