/**
 * The words of the privileged-changes section, shared by the HTML and text parts: the week's
 * changes to who may do what (admin_changes.sql), counted and listed gravest first
 * (privileged-change-rank.ts), each with who acted.
 */

import { actedAsAnother } from '../privileged-change-actor.ts';
import { type ChangeKind, KINDS_IN_ORDER } from '../privileged-change-kind.ts';
import { sqlLower } from '../sql-lower.ts';
import { formatCount, plural } from './number-format.ts';
import {
  changeKind,
  changesToList,
  leftOutByKind,
  suspiciousSignIns,
  suspiciousWhy,
} from './privileged-change-rank.ts';
import type { PrivilegedChange, WeeklyReportModel } from './report-model.ts';

export const PRIVILEGED_CHANGES_HEADING = 'Privileged changes';

/** Rows the mail lists at most: the archived JSON and `query admin_changes` have them all. */
export const PRIVILEGED_CHANGES_SHOWN = 10;

/**
 * The caption names the ranking's order, so a reader sees why a row comes before another (the
 * row says so only for a change tied to a suspicious sign-in).
 */
export const PRIVILEGED_CHANGES_CAPTION =
  'Changes to users, groups, roles, access tokens and sign-in settings, gravest first: a role ' +
  'raised to Admin or a token made from an odd address is how a stolen account stays in. ' +
  `Order: ${KINDS_IN_ORDER}; each actor's gravest before anyone's second.`;

export const NO_PRIVILEGED_CHANGES = 'No change to users, groups, roles, access tokens or sign-in settings.';

/** The week's privileged changes in all (0 for a model archived before they were read). */
export const privilegedChangesTotal = (model: WeeklyReportModel): number => model.privilegedChangesTotal ?? 0;

/**
 * `updated user "Ada Kaur"`, `created access token "Yara sync"`: what was done to which object, in
 * Domo's words lowered (`UPDATED`, `ACCESS_TOKEN`). In capitals with underscores they read as
 * codes a CISO could not forward as they were (review R-CISO2).
 */
export function changeWhat(change: PrivilegedChange): string {
  const object = change.objectName ? ` "${change.objectName}"` : '';
  const words = (domo: string | null, none: string) => sqlLower(domo ?? none).replaceAll('_', ' ');
  return `${words(change.actionType, 'changed')} ${words(change.objectType, 'object')}${object}`;
}

/**
 * Domo's comment, the address and, for a change Domo served more than once (listed once, as the
 * alert raises it once), how many times: the evidence under a change's line.
 */
export function changeDetail(change: PrivilegedChange): string {
  const parts = [
    change.comment,
    change.ipAddress ? `IP ${change.ipAddress}` : null,
    change.twins ? `Domo served it ${formatCount(change.twins + 1)} times` : null,
  ];
  return parts.filter((p): p is string => p !== null && p !== '').join(' · ');
}

/**
 * `acting as Sam Hopper (1141446289)` under a change an actor made as another user, the user named
 * by `nameOf` (each rendering its own way); nothing for a change the user made.
 */
export function actingAs(
  change: PrivilegedChange,
  nameOf: (name: string | null, id: string | null) => string,
): string | undefined {
  return actedAsAnother(change) ? `acting as ${nameOf(change.userName, change.userId)}` : undefined;
}

/**
 * The changes the mail lists, at most `max` (privileged-change-rank.ts), and those it leaves out:
 * those tied to the week's suspicious sign-ins (the findings the model holds) first.
 */
export const privilegedChangesToList = (model: WeeklyReportModel, max: number) =>
  changesToList(
    model.privilegedChanges ?? [],
    Math.min(PRIVILEGED_CHANGES_SHOWN, max),
    suspiciousSignIns(model.suspiciousLogins),
  );

/**
 * `from the address of a suspicious sign-in` under a change tied to one of the week's suspicious
 * sign-ins (why it is listed first); nothing for another.
 */
export const changeSuspicion = (model: WeeklyReportModel, change: PrivilegedChange): string | undefined =>
  suspiciousWhy(change, suspiciousSignIns(model.suspiciousLogins));

/**
 * `Listed: 10 of 14, gravest first (each actor's gravest kept before anyone's second); left out: 1
 * token made, 3 other changes; …`, or nothing when all are listed. The changes past those the
 * query returns (its max_rows, each actor's gravest first) were not read, so not ranked: said apart.
 */
export function privilegedChangesListed(
  model: WeeklyReportModel,
  listed: { shown: readonly PrivilegedChange[]; leftOut: readonly PrivilegedChange[] },
): string | undefined {
  const total = privilegedChangesTotal(model);
  const shown = listed.shown.length;
  if (shown >= total) return undefined;
  const read = model.privilegedChanges?.length ?? 0;
  const parts = [
    ...(listed.leftOut.length > 0
      ? [leftOutByKind(listed.leftOut, suspiciousSignIns(model.suspiciousLogins))]
      : []),
    ...(total > read
      ? [`${plural(total - read, 'less grave change')} past the ${formatCount(read)} read, not ranked`]
      : []),
  ];
  return `Listed: ${formatCount(shown)} of ${formatCount(total)}, gravest first (each actor's gravest kept before anyone's second); left out: ${parts.join(', ')}; query admin_changes lists them all`;
}

/** The first line's part: `3 privileged changes`, or nothing in a week without one. */
export const privilegedChangesPart = (model: WeeklyReportModel): string[] => {
  const total = privilegedChangesTotal(model);
  return total > 0 ? [plural(total, 'privileged change')] : [];
};

/** The kinds of change that are never routine: the first three of the section's order. */
const GRAVE_KINDS: readonly ChangeKind[] = ['suspicious_sign_in', 'as_another', 'admin'];

/**
 * The subject's part: `2 grave privileged changes`, those tied to a suspicious sign-in, done as
 * another user or about admin power, among the rows read; nothing in a week with none. Not all of
 * them: a routine week has a few (group edits, tokens made), and the subject is for what needs a
 * look; but a week whose one finding was a user made Admin read `0 suspicious logins, 0 lockouts`
 * there, an all clear in the inbox (review R-CISO2).
 */
export function gravePrivilegedChangesPart(model: WeeklyReportModel): string[] {
  const flagged = suspiciousSignIns(model.suspiciousLogins);
  const n = (model.privilegedChanges ?? []).filter((c) =>
    GRAVE_KINDS.includes(changeKind(c, flagged)),
  ).length;
  return n > 0 ? [plural(n, 'grave privileged change')] : [];
}
