/**
 * "Needs attention": the week's findings at the top of the mail, gravest first, each in one line
 * naming the first user or address of its section, with the one command that digs into it (review
 * R-CISO: the sections come in a fixed order, so a privilege change or a lockout sat below the
 * routine trends). The order is {@link SEVERITY}, documented in docs/report.md; a quiet week says
 * so in one line. The sections below still list every finding; this block ranks them.
 */
import { clip } from '../mail/clip.ts';
import type { RenderLimits } from '../mail/render-limits.ts';
import { actorOf } from '../privileged-change-actor.ts';
import { isAddressParam } from '../queries/address-param.ts';
import { aboveBaseline, againstUsual } from './bulk-movement-figures.ts';
import { oneLine } from './flat-text.ts';
import { loginsAfterFailuresTotal } from './login-after-failures-figures.ts';
import { formatCount, plural } from './number-format.ts';
import {
  actingAs,
  changeSuspicion,
  changeWhat,
  privilegedChangesToList,
  privilegedChangesTotal,
} from './privileged-change-figures.ts';
import type { WeeklyReportModel } from './report-model.ts';
import { weekInProgress } from './report-model.ts';
import { rowName } from './row-names.ts';
import { suspiciousCounts } from './suspicious-counts.ts';
import { reasonLabel } from './suspicious-labels.ts';
import { formatLocalWeekdayTime } from './time-format.ts';

/**
 * The kinds of finding, gravest first: a password guessed and used; who was given power; data
 * leaving with a user far beyond their usual; a sign-in from where or when the user never signs
 * in; a spray at many accounts; an account locked; a user's first export or share.
 */
export const SEVERITY = [
  'login_after_failures',
  'privileged_changes',
  'bulk_data_movement',
  'suspicious_logins',
  'password_spray',
  'lockouts',
  'first_time_movers',
] as const;

export type AttentionKind = (typeof SEVERITY)[number];

/** One line of the block: the finding in words, and the command that digs into it when there is one. */
export interface AttentionItem {
  kind: AttentionKind;
  sentence: string;
  command?: string;
}

export const ATTENTION_HEADING = 'Needs attention';

/**
 * What to do about each kind, said after its line: the block said what was wrong and gave a
 * command to run, and nothing a CISO reading it on a phone could act on or forward (review
 * R-CISO2). The sections below say the same where they explain their findings.
 */
export const TO_DO: Record<AttentionKind, string> = {
  login_after_failures: 'Ask the user whether it was them; if not, reset their password.',
  privileged_changes: 'Confirm that each change was approved.',
  bulk_data_movement: 'Confirm with their manager that the data was theirs to move.',
  suspicious_logins: 'Ask each user listed below whether it was them.',
  password_spray: 'Block the address unless it is your own.',
  lockouts: 'Ask the user whether it was them.',
  first_time_movers: 'Confirm that it was for work.',
};

/** A finding's line as both parts show it: what was found, then what to do. */
export const attentionLine = (item: AttentionItem): string => `${item.sentence}. ${TO_DO[item.kind]}`;

/** Suspicious-login reasons, gravest first: the one the line names. */
const REASON_ORDER = ['impossible_travel', 'new_country', 'new_network', 'unusual_hour'];

/** An id a command line can carry bare, as dig-into-user.ts offers it. */
const PLAIN_ID = /^[0-9A-Za-z_-]{1,40}$/;

/** The parameter the caller's user_activity command ends with (dig-into-user.ts): the mail adds the id. */
const USER_ID_PARAM = 'user_id=';

/**
 * The caller's command for `query`, from its user_activity one (dig-into-user.ts: it ends with the
 * option that takes `user_id=`): the same engine, instance and week, another query and its
 * parameter (`param` in that option's place). The zone stays: both queries take one, and give
 * each time in it as the mail does (until 2026-12-07 address_activity took none and the zone was
 * left out). Undefined when the caller gave no command, or one not of that shape.
 */
function queryCommand(
  model: WeeklyReportModel,
  query: 'user_activity' | 'address_activity',
  param: string,
): string | undefined {
  const base = model.userActivityCommand;
  if (base === undefined || !base.endsWith(USER_ID_PARAM)) return undefined;
  const words = base.slice(0, -USER_ID_PARAM.length).split(' ');
  const named = words.indexOf('user_activity');
  if (named < 1 || words[named - 1] !== 'query') return undefined;
  words[named] = query;
  return `${words.join(' ')}${param}`;
}

/** The command listing a user's week, when the id can be given bare. */
const userCommand = (model: WeeklyReportModel, id: string | null): string | undefined =>
  id !== null && PLAIN_ID.test(id) ? queryCommand(model, 'user_activity', `user_id=${id}`) : undefined;

/** `Ada Kaur (1650012345)`, flat and clipped, as the rows name users. */
const who = (name: string | null, id: string | null, limits: RenderLimits): string =>
  rowName(
    name === null ? null : oneLine(name),
    id === null ? null : oneLine(id),
    'user',
    limits.name,
    undefined,
    true,
  );

/** `first ` before the one named when there are more than it, else nothing. */
const firstOf = (n: number): string => (n > 1 ? 'first ' : '');

/** The line of one kind, or nothing when the week had none of it. */
type ItemOf = (model: WeeklyReportModel, limits: RenderLimits) => AttentionItem | undefined;

const afterFailures: ItemOf = (model, limits) => {
  const n = loginsAfterFailuresTotal(model);
  const first = model.loginsAfterFailures?.[0];
  if (n === 0 || first === undefined) return undefined;
  const at = clip(oneLine(formatLocalWeekdayTime(first.eventTime, model.timeZone)), limits.id);
  return {
    kind: 'login_after_failures',
    sentence: `${plural(n, 'sign-in')} right after failed logins, a password maybe guessed: ${firstOf(n)}${who(first.userName, first.userId, limits)}, ${at}`,
    command: userCommand(model, first.userId),
  };
};

/**
 * The gravest change, as its section lists it first (privileged-change-rank.ts), under who acted:
 * `by Yara Varga (…) acting as Sam Hopper (…)`, and the command lists the actor's week.
 */
const privileged: ItemOf = (model, limits) => {
  const n = privilegedChangesTotal(model);
  const first = privilegedChangesToList(model, 1).shown[0];
  if (n === 0 || first === undefined) return undefined;
  const actor = actorOf(first);
  const as = actingAs(first, (name, id) => who(name, id, limits));
  const why = changeSuspicion(model, first);
  // Domo's comment is often the one place that says what changed (`from Participant to Admin`).
  const said = first.comment ? ` (Domo's comment: "${clip(oneLine(first.comment), limits.evidence)}")` : '';
  return {
    kind: 'privileged_changes',
    sentence: `${plural(n, 'privileged change')}: ${n > 1 ? 'gravest ' : ''}by ${who(actor.name, actor.id, limits)}${as ? ` ${as}` : ''}, ${clip(oneLine(changeWhat(first)), limits.evidence)}${said}${why ? `, ${why}` : ''}`,
    command: userCommand(model, actor.id),
  };
};

const bulk: ItemOf = (model, limits) => {
  const above = aboveBaseline(model);
  const first = above[0];
  if (first === undefined) return undefined;
  return {
    kind: 'bulk_data_movement',
    sentence: `${plural(above.length, 'user')} moving far more data than usual: ${who(first.userName, first.userId, limits)}, ${againstUsual(first)}`,
    command: userCommand(model, first.userId),
  };
};

const suspicious: ItemOf = (model, limits) => {
  const { logins, findings } = suspiciousCounts(model);
  const rank = (reason: string) => {
    const i = REASON_ORDER.indexOf(reason);
    return i < 0 ? REASON_ORDER.length : i;
  };
  const first = [...model.suspiciousLogins].sort((a, b) => rank(a.reason) - rank(b.reason))[0];
  if (logins === 0 || first === undefined) return undefined;
  const counted =
    findings === logins
      ? plural(logins, 'suspicious login')
      : `${plural(logins, 'suspicious login')} (${formatCount(findings)} findings)`;
  return {
    kind: 'suspicious_logins',
    sentence: `${counted}: gravest ${clip(oneLine(reasonLabel(first.reason)), limits.name)}, ${who(first.userName, first.userId, limits)}`,
    command: userCommand(model, first.userId),
  };
};

const spray: ItemOf = (model, limits) => {
  const addresses = model.failedLoginAddresses ?? [];
  const n = model.failedLoginAddressCount ?? addresses.length;
  const first = addresses[0];
  if (n === 0 || first === undefined) return undefined;
  const ip = clip(oneLine(first.ipAddress), limits.id);
  return {
    kind: 'password_spray',
    sentence: `${formatCount(n)} address${n === 1 ? '' : 'es'} failing logins for many users: ${firstOf(n)}${ip}, ${plural(first.users, 'user')}`,
    command: isAddressParam(ip) ? queryCommand(model, 'address_activity', `address=${ip}`) : undefined,
  };
};

const lockouts: ItemOf = (model, limits) => {
  const n = model.totals.lockouts.current;
  const first = model.failedLogins.find((f) => f.lockouts > 0);
  if (n === 0) return undefined;
  return {
    kind: 'lockouts',
    sentence: `${plural(n, 'lockout')}${first ? `: ${firstOf(n)}${who(first.userName, first.userId, limits)}` : ''}`,
    command: first ? userCommand(model, first.userId) : undefined,
  };
};

const firstTimers: ItemOf = (model, limits) => {
  const firsts = (model.bulkDataMovers ?? []).filter((m) => m.finding === 'first_time');
  const first = firsts[0];
  if (first === undefined) return undefined;
  return {
    kind: 'first_time_movers',
    sentence: `${plural(firsts.length, 'user')} exporting or sharing data for the first time: ${firstOf(firsts.length)}${who(first.userName, first.userId, limits)}`,
    command: userCommand(model, first.userId),
  };
};

const ITEMS: Record<AttentionKind, ItemOf> = {
  login_after_failures: afterFailures,
  privileged_changes: privileged,
  bulk_data_movement: bulk,
  suspicious_logins: suspicious,
  password_spray: spray,
  lockouts,
  first_time_movers: firstTimers,
};

/** The week's findings in {@link SEVERITY} order, Domo's strings clipped to `limits`; empty for a quiet week. */
export function attentionItems(model: WeeklyReportModel, limits: RenderLimits): AttentionItem[] {
  return SEVERITY.flatMap((kind) => {
    const item = ITEMS[kind](model, limits);
    if (item === undefined) return [];
    return [item.command === undefined ? { kind: item.kind, sentence: item.sentence } : item];
  });
}

/** The line above the commands, under the findings: they are for whoever digs in, not every reader. */
export const ATTENTION_COMMANDS =
  'To dig in, for whoever investigates: the command of each finding above, by its number.';

/** One command under the findings, and the numbers of the findings it digs into (`[1, 6]`). */
export interface AttentionCommand {
  numbers: number[];
  command: string;
}

/**
 * The items' commands, each once, in the order of the first finding it digs into: the findings
 * come first and the commands after them, so a phone's first screen holds every finding rather
 * than three of them among five-line commands (review R-CISO2); a user's lockout and their sign-in
 * after failures share one command.
 */
export function attentionCommands(items: readonly AttentionItem[]): AttentionCommand[] {
  const byCommand = new Map<string, number[]>();
  items.forEach((item, i) => {
    if (item.command === undefined) return;
    const numbers = byCommand.get(item.command);
    if (numbers) numbers.push(i + 1);
    else byCommand.set(item.command, [i + 1]);
  });
  return [...byCommand].map(([command, numbers]) => ({ numbers, command }));
}

/** `1.`, `1 and 6.`, `2, 4 and 5.`: the findings a command digs into. */
export function commandLabel(numbers: readonly number[]): string {
  const head = numbers.slice(0, -1).join(', ');
  return `${head === '' ? '' : `${head} and `}${numbers.at(-1)}.`;
}

/**
 * The block's one line for a week with none of the findings, held to the hours the lake holds as
 * the first line is; undefined for a week with no data (its warning says so) or with findings.
 */
export function quietAttention(
  model: WeeklyReportModel,
  items: readonly AttentionItem[],
): string | undefined {
  if (model.status === 'empty' || items.length > 0) return undefined;
  const held = model.status === 'partial' || weekInProgress(model) ? ' in the hours the lake holds' : '';
  return `Nothing needs attention this week${held}: no sign-in after failed logins, privileged change, bulk data movement, suspicious login, spray or lockout.`;
}
