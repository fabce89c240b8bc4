/**
 * The line that opens the report, above its figures: what there is to look at this week, in the
 * words of the sections below. On a phone the first screen showed the title, five figures stacked
 * one per line and the daily bars; the suspicious logins started below it, the lockouts and a
 * password spray three to four screens down (review R-PHONE M2).
 */
import { clip } from '../mail/clip.ts';
import { capped, RENDER_LIMITS, type RenderLimits } from '../mail/render-limits.ts';
import { bulkMovementPart } from './bulk-movement-figures.ts';
import { oneLine } from './flat-text.ts';
import { unplacedLogins } from './health-sentences.ts';
import { loginsAfterFailuresPart } from './login-after-failures-figures.ts';
import { formatCount, plural } from './number-format.ts';
import { privilegedChangesPart } from './privileged-change-figures.ts';
import { type FailedLoginNetwork, type WeeklyReportModel, weekInProgress } from './report-model.ts';
import { failedLoginsHeadline, suspiciousFigure } from './report-subject.ts';
import { sprayingNetworks } from './spraying-networks.ts';
import { suspiciousCounts } from './suspicious-counts.ts';
import { notCountedSentences } from './uncounted-sign-ins.ts';

/**
 * `This week: no suspicious login, no lockout.`, held to what was read as the sections below hold
 * theirs: a week with hours missing, events gone from the lake or events the ingest did not store
 * (deleting the lockout is what covering one's tracks looks like, review R-SECOND2 M1), or entries
 * that could not be read is no all clear (review R-PHONE2), and its note or the failed-logins
 * section says why; nor is one whose check of the sign-ins the category rules miss did not run
 * (review R-SECOND2 L1).
 */
function quietLine(model: WeeklyReportModel): string {
  const health = model.health;
  const notChecked = model.uncountedSignInsNotChecked !== undefined;
  const held = [
    ...(model.status === 'partial' || weekInProgress(model) ? ['in the hours the lake holds'] : []),
    ...((health.shortHours ?? 0) > 0 ? ['among the events left in the lake'] : []),
    ...((health.extraHours ?? 0) > 0 ? ['in a lake holding events the ingest did not store'] : []),
    ...(notCountedSentences(model).length > 0 || notChecked ? ['among the entries read'] : []),
  ];
  const check = notChecked ? ' (the check for sign-ins the category rules miss did not run)' : '';
  return `This week: no suspicious login, no lockout${held.length > 0 ? ` ${held.join(', ')}` : ''}${check}.`;
}

/** The addresses that failed for many users, and the first, `1 address failing for many users (44.226.102.150)`. */
function sprayPart(model: WeeklyReportModel): string[] {
  const addresses = model.failedLoginAddresses ?? [];
  const n = model.failedLoginAddressCount ?? addresses.length;
  const first = addresses[0];
  if (n === 0 || first === undefined) return [];
  const ip = clip(oneLine(first.ipAddress), RENDER_LIMITS.id);
  return [
    `${formatCount(n)} address${n === 1 ? '' : 'es'} failing logins for many users (${n === 1 ? '' : 'first '}${ip})`,
  ];
}

/** `178.62.10.0/24`, or `178.62.10.0/24; 1 user signed in from it` when one did. */
function networkLabel(n: FailedLoginNetwork): string {
  const label = clip(oneLine(n.org === null ? n.group : `${n.group} ${n.org}`), RENDER_LIMITS.name);
  return n.signedInUsers > 0 ? `${label}; ${plural(n.signedInUsers, 'user')} signed in from it` : label;
}

/**
 * The networks and owners that failed for many users and are not the users' own, when no one
 * address did (a spray from a new address for each name is under no address), and the failures
 * under names of no Domo user: without them a week of such a spray read `no suspicious login, no
 * lockout.` above the section that lists it (review R-PHONE2). Those someone signed in from come
 * first: that is the compromise case.
 */
function networkParts(model: WeeklyReportModel, sprays: number): string[] {
  const groups = model.failedLoginNetworks ?? [];
  const unknown = groups.find((n) => n.kind === 'no_user');
  const names =
    unknown === undefined ? [] : [`failed logins under ${plural(unknown.users, 'unknown user name')}`];
  if (sprays > 0) return names;
  const spraying = sprayingNetworks(model);
  const first = spraying?.shown[0];
  if (spraying === undefined || first === undefined) return names;
  const { kind, shown } = spraying;
  return [
    `${plural(shown.length, kind)} failing logins for many users (${shown.length === 1 ? '' : 'first '}${networkLabel(first)})`,
    ...names,
  ];
}

/**
 * `This week: 6 suspicious logins (10 findings) · 1 sign-in right after failed logins · 1 lockout ·
 * 1 address failing logins for many users (44.226.102.150); details below.`, or that there is none
 * of them; absent for a week with no data (its warning says so). `limits` are the mail's, so the
 * line says how many of the sign-ins after failed logins its section lists.
 */
export function weekSummary(
  model: WeeklyReportModel,
  limits: RenderLimits = RENDER_LIMITS,
): string | undefined {
  if (model.status === 'empty') return undefined;
  const suspicious = suspiciousCounts(model).logins;
  // As the subject says it, with why the count may read low: a week whose users were too new to
  // judge must not read as all clear (`0 suspicious logins (5 of 5 users not judged)`).
  const figure = suspiciousFigure(model, unplacedLogins(model.health)?.unplaced);
  const lockouts = model.totals.lockouts.current;
  const spray = sprayPart(model);
  const parts = [
    ...(suspicious > 0 || figure.includes('(') ? [figure] : []),
    // A guessed password, as plain as the suspicious logins: before the counts of failures.
    ...loginsAfterFailuresPart(
      model,
      capped(model.loginsAfterFailures ?? [], limits.suspiciousLogins).shown.length,
    ),
    // Who may do what: a role raised or a token made is what a stolen account does next.
    ...privilegedChangesPart(model),
    // Data leaving with a user, far beyond their own weeks: a leaver's last days.
    ...bulkMovementPart(model),
    ...(lockouts > 0 ? [plural(lockouts, 'lockout')] : []),
    ...(failedLoginsHeadline(model) ? [plural(model.totals.failedLogins.current, 'failed login')] : []),
    ...spray,
    ...networkParts(model, spray.length),
  ];
  if (parts.length === 0) return quietLine(model);
  return `This week: ${parts.join(' · ')}; details below.`;
}
