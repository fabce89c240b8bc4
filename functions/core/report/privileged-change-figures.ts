/**
 * The words of the privileged-changes section, shared by the HTML and text parts: the week's
 * changes to who may do what (admin_changes.sql), counted and listed first in time, each with who
 * acted.
 */
import { formatCount, plural } from './number-format.ts';
import { actedAsAnother } from './privileged-change-actor.ts';
import type { PrivilegedChange, WeeklyReportModel } from './report-model.ts';

export const PRIVILEGED_CHANGES_HEADING = 'Privileged changes';

/** Rows the mail lists at most: the archived JSON and `query admin_changes` have them all. */
export const PRIVILEGED_CHANGES_SHOWN = 10;

export const PRIVILEGED_CHANGES_CAPTION =
  'Changes to users, groups, roles, access tokens and sign-in settings, first in time: a role ' +
  'raised to Admin or a token made from an odd address is how a stolen account stays in.';

export const NO_PRIVILEGED_CHANGES = 'No change to users, groups, roles, access tokens or sign-in settings.';

/** The week's privileged changes in all (0 for a model archived before they were read). */
export const privilegedChangesTotal = (model: WeeklyReportModel): number => model.privilegedChangesTotal ?? 0;

/** `UPDATED USER "Ada Kaur"`: what was done to which object. */
export function changeWhat(change: PrivilegedChange): string {
  const object = change.objectName ? ` "${change.objectName}"` : '';
  return `${change.actionType ?? 'changed'} ${change.objectType ?? 'object'}${object}`;
}

/** Domo's comment and the address, the evidence under a change's line. */
export function changeDetail(change: PrivilegedChange): string {
  const parts = [change.comment, change.ipAddress ? `IP ${change.ipAddress}` : null];
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

/** `Listed: the first 10 of 42, in time order`, or nothing when all are listed. */
export function privilegedChangesListed(model: WeeklyReportModel, shown: number): string | undefined {
  const total = privilegedChangesTotal(model);
  if (shown >= total) return undefined;
  return `Listed: the first ${formatCount(shown)} of ${formatCount(total)}, in time order; query admin_changes lists them all`;
}

/** The first line's part: `3 privileged changes`, or nothing in a week without one. */
export const privilegedChangesPart = (model: WeeklyReportModel): string[] => {
  const total = privilegedChangesTotal(model);
  return total > 0 ? [plural(total, 'privileged change')] : [];
};
