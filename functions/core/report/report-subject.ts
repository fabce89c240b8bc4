import { aboveBaseline } from './bulk-movement-figures.ts';
import { changesNotComparable } from './comparable-weeks.ts';
import { shortPlacedUsers, unplacedLogins } from './health-sentences.ts';
import { loginsAfterFailuresTotal } from './login-after-failures-figures.ts';
import { formatChange, formatCount, plural } from './number-format.ts';
import { gravePrivilegedChangesPart } from './privileged-change-figures.ts';
import { noLoginsAmongActiveUsers, type WeeklyReportModel, weekInProgress } from './report-model.ts';
import { sprayingNetworks } from './spraying-networks.ts';
import { suspiciousLoginsFigure } from './suspicious-counts.ts';

/**
 * The mail's subject: week, instance and the headline figures, e.g.
 * `Domo activity 2026-W47 (acme): 3 suspicious logins, 1 lockout, 12,345 events (+8%)` (logins, not
 * findings: `3 suspicious logins (4 findings)` when one was found for two reasons); logins the
 * place checks could not judge are counted beside the suspicious ones (`0 suspicious logins (49
 * logins not placed)`), so a lake without geo data does not read as a clean week.
 * An empty, unfinished or gappy week says so, and so does one whose hours lost events after they
 * were stored, so nobody mistakes a quiet week for a broken lake, nor a preview of a week still
 * running for its report. A change is left out where it would
 * mislead, as the body's notes say: whenever either week is only partly in the lake or the week
 * is still running ({@link changesNotComparable}).
 */
/**
 * Why the suspicious count may read low, in the subject's few words: logins naming no user or
 * not placed, most users too new to judge, or no login at all among active users; none when the
 * count can be taken as is.
 */
function notJudged(model: WeeklyReportModel, unplaced: number | undefined): string[] {
  if (noLoginsAmongActiveUsers(model.health, model.totals.activeUsers.current))
    return ['no login categorised'];
  const history = model.loginHistory;
  const withoutUser = model.health.loginsWithoutUser;
  return [
    // Judged by no check at all: Domo's user fields changed, most likely.
    ...(withoutUser ? [`${plural(withoutUser, 'login')} naming no user`] : []),
    ...(unplaced ? [`${plural(unplaced, 'login')} not placed`] : []),
    // A few new users every week are normal; most of the week's users unjudged is a young lake.
    // Counted by the place checks' rule, the stricter one: a user it counts missed those checks.
    ...(history && history.users > 0 && shortPlacedUsers(history) * 2 >= history.users
      ? [`${formatCount(shortPlacedUsers(history))} of ${plural(history.users, 'user')} not judged`]
      : []),
  ];
}

/**
 * `5 suspicious logins`, with in brackets the findings when a login was found for several reasons
 * (one row per login and reason) and why the count may read low: `5 suspicious logins (9 findings,
 * 49 logins not placed)`. Also the command line's summary of a report, which passes no `unplaced`
 * (it says those logins apart, with what to run).
 */
export function suspiciousFigure(model: WeeklyReportModel, unplaced: number | undefined): string {
  const { count, findings } = suspiciousLoginsFigure(model);
  const brackets = [...(findings ? [findings] : []), ...notJudged(model, unplaced)];
  return brackets.length === 0 ? count : `${count} (${brackets.join(', ')})`;
}

/**
 * Failed logins fewer than this never make the subject: a handful a week are typos, whatever the
 * week's sign-ins.
 */
export const SUBJECT_FAILED_LOGINS = 50;

/**
 * Failed logins this many or more always make the subject, whatever the week's successful logins:
 * a stuffing or spraying run against a large company (20,000 failures beside 25,000 logins) fails
 * fewer sign-ins than succeed, and a campaign that goes on for weeks is no rise on the week before.
 */
export const SUBJECT_FAILED_LOGINS_ALWAYS = 1000;

/** A rise this many times the week before's failed logins makes them the week's story. */
export const SUBJECT_FAILED_LOGINS_RISE = 5;

/**
 * Whether the week's failed logins are its story: at least {@link SUBJECT_FAILED_LOGINS} and more
 * than its successful logins, or {@link SUBJECT_FAILED_LOGINS_RISE} times the week before's when
 * the two weeks compare ({@link changesNotComparable}: a lake's first week, or one after a gap, is
 * no rise on a week the lake does not hold whole, review R-SUSP2 L1), or at least
 * {@link SUBJECT_FAILED_LOGINS_ALWAYS} whatever else. Typos fail far fewer sign-ins than
 * succeed, and about as many each week; a credential-stuffing or password-spraying week fails more
 * (1,000,009 failed against 304 logins, whose subject named only the lockout it also caused), many
 * more than the week before, or, at a large company, thousands (review R-REPORT2 L3).
 */
export const failedLoginsHeadline = (
  model: Parameters<typeof changesNotComparable>[0] & Pick<WeeklyReportModel, 'totals'>,
): boolean => {
  const { failedLogins, logins } = model.totals;
  const { current, previous } = failedLogins;
  if (current >= SUBJECT_FAILED_LOGINS_ALWAYS) return true;
  if (current < SUBJECT_FAILED_LOGINS) return false;
  if (current > logins.current) return true;
  return changesNotComparable(model) === undefined && current >= SUBJECT_FAILED_LOGINS_RISE * previous;
};

/** `1 spraying address`: the addresses that failed to sign in for many users this week. */
function spraying(model: WeeklyReportModel): string[] {
  const n = model.failedLoginAddressCount ?? model.failedLoginAddresses?.length ?? 0;
  return n > 0 ? [plural(n, 'spraying address', 'spraying addresses')] : [];
}

/**
 * The networks or owners the first line names when no one address sprayed (spraying-networks.ts):
 * `1 user signed in from a spraying network`, first of all, when someone did, or `2 spraying
 * network owners` among the other figures. The subject said `0 suspicious logins` and nothing of a
 * spray the first line named with the account it took: the sign-in is in no suspicious login, but
 * it is the week's story.
 */
function sprayingGroups(model: WeeklyReportModel): { first: string[]; among: string[] } {
  if (spraying(model).length > 0) return { first: [], among: [] };
  const groups = sprayingNetworks(model);
  const top = groups?.shown[0];
  if (groups === undefined || top === undefined) return { first: [], among: [] };
  if (top.signedInUsers > 0) {
    return {
      first: [`${plural(top.signedInUsers, 'user')} signed in from a spraying ${groups.kind}`],
      among: [],
    };
  }
  return { first: [], among: [plural(groups.shown.length, `spraying ${groups.kind}`)] };
}

/** `1 sign-in after failed logins`: the week's sign-ins right after a run of the user's failures. */
function afterFailures(model: WeeklyReportModel): string[] {
  const n = loginsAfterFailuresTotal(model);
  return n > 0 ? [plural(n, 'sign-in after failed logins', 'sign-ins after failed logins')] : [];
}

/**
 * `2 bulk data movers`: the users moving far more data than their own usual (the first line's
 * `2 users moving far more data than usual`, in fewer words). A leaver's exports were in the first
 * line and Needs attention, and nowhere in the subject (review R-INSIDER M2); the first-time ones
 * are worth a look, not a headline, as in Needs attention.
 */
function bulkMovers(model: WeeklyReportModel): string[] {
  const n = aboveBaseline(model).length;
  return n > 0 ? [plural(n, 'bulk data mover')] : [];
}

export function reportSubject(model: WeeklyReportModel): string {
  // A correction says so first, where every inbox shows it (week-correction.ts).
  const correction = model.correctionOf ? 'Correction: ' : '';
  const head = `${correction}Domo activity ${model.week.isoWeek} (${model.instance})`;
  // A partial week's or a preview's mark, and events gone from stored hours, come right after the
  // head (`… (acme) [partial: 98.8% of hours]: 9,615 events, …`): a phone's inbox shows the first
  // 40 to 60 characters, none the end, and both say the figures undercount.
  const preview = weekInProgress(model) ? ' [preview: week in progress]' : '';
  if (model.status === 'empty') return `${head}${preview}: no data for this week`;
  const events = model.totals.events;
  const comparable = changesNotComparable(model) === undefined;
  const unplaced = unplacedLogins(model.health);
  // What to act on first, where a phone's inbox still shows it (it showed `12,387 ev` of the
  // events first; review R-PHONE M2), the week's activity last.
  const groups = sprayingGroups(model);
  const figures = [
    ...groups.first,
    suspiciousFigure(model, unplaced?.unplaced),
    // As the first line says it: a sign-in after a run of failures is a guessed password, maybe.
    ...afterFailures(model),
    // Who was given power, as Needs attention ranks it: the grave changes only, not the routine ones.
    ...gravePrivilegedChangesPart(model),
    // Data leaving with a user far beyond their usual: graver than a lockout, as Needs attention ranks it.
    ...bulkMovers(model),
    plural(model.totals.lockouts.current, 'lockout'),
    // A password spray (an address failing for many users) is the week's story as the first line
    // says it; the subject left it out below 50 failed logins (review R-PHONE2).
    ...spraying(model),
    ...groups.among,
    ...(failedLoginsHeadline(model) ? [plural(model.totals.failedLogins.current, 'failed login')] : []),
    `${plural(events.current, 'event')}${events.previous === 0 || !comparable ? '' : ` (${formatChange(events)})`}`,
  ].join(', ');
  const qualifier =
    preview ||
    (model.status === 'partial' ? ` [partial: ${formatCount(model.health.coveragePct)}% of hours]` : '');
  // Hours that lost events after they were stored undercount like missing ones, though every hour is covered.
  const gone = model.health.shortHours
    ? ` [${plural(model.health.shortEvents ?? 0, 'event')} gone from the lake]`
    : '';
  // Events the ingest did not record overcount, and may be forged: as prominent as events gone.
  const added = model.health.extraHours
    ? ` [${plural(model.health.extraEvents ?? 0, 'event')} not recorded by the ingest]`
    : '';
  return `${head}${qualifier}${gone}${added}: ${figures}`;
}
