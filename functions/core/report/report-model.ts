/**
 * The weekly report as data: everything the mail says, computed once from the query catalog and
 * rendered three ways (HTML, text, subject) and archived as JSON. Plain JSON values only, so the
 * archived model is the model, but for its times: in memory they are lake timestamps
 * (`YYYY-MM-DD HH:MM:SS.mmm`, UTC) unless the field name says otherwise, and written as JSON they
 * carry their zone (report-model-json.ts, schemaVersion 2); renderers read either and show them
 * in the report's time zone.
 */

/** A figure of this week against the week before. */
export interface Change {
  current: number;
  previous: number;
  /** current − previous. */
  delta: number;
  /** 100 × delta / previous, rounded to one decimal; null when the previous week had none. */
  pct: number | null;
}

/**
 * How complete the week is, in words a reader can act on:
 * - `complete`: every hour of the week is in the lake;
 * - `partial`: the week is over but some hours are missing (ingest behind, gaps, lake started mid-week);
 * - `in-progress`: the week has not ended yet (a report for the current week was asked for);
 * - `empty`: the lake holds nothing at all for the week.
 */
/** The earlier mail of the week a correction replaces. */
export interface ReportCorrectionOf {
  /** When it was mailed (ISO 8601 UTC). */
  mailedAt: string;
  /** The week's hours it covered, of the week's expected hours. */
  coveredHours: number;
  expectedHours: number;
}

export type WeekStatus = 'complete' | 'partial' | 'in-progress' | 'empty';

export interface DayActivity {
  /** Local date `YYYY-MM-DD` in the report's time zone. */
  day: string;
  events: number;
  activeUsers: number;
  logins: number;
  failedLogins: number;
  lockouts: number;
  /**
   * Hours of the day that have a coverage manifest: 0 with no events is a day the lake does not
   * hold, not a quiet one. Absent from models archived before it was counted.
   */
  coveredHours?: number;
  /**
   * Of the covered hours, those holding fewer events than their manifests counted, and the events
   * gone (the week's `DataHealth.shortHours`, by day): the day's figures undercount. Absent from
   * models archived before they were counted.
   */
  shortHours?: number;
  shortEvents?: number;
}

export interface TopUser {
  userId: string | null;
  userName: string | null;
  events: number;
  distinctObjects: number;
  activeDays: number;
  logins: number;
  lastSeen: string | null;
}

export interface TopCard {
  cardId: string | null;
  cardName: string | null;
  views: number;
  previousViews: number;
  change: number;
  changePct: number | null;
}

export interface TopPage {
  pageId: string | null;
  pageName: string | null;
  views: number;
  viewers: number;
}

export interface SuspiciousLogin {
  eventTime: string;
  userId: string | null;
  userName: string | null;
  /** `new_country`, `new_network`, `impossible_travel` or `unusual_hour` (others shown as they come). */
  reason: string;
  ipAddress: string | null;
  /** Where the geo database places the sign-in: ISO 3166-1 alpha-2 code, null when unknown. */
  country: string | null;
  /** The network's owner: autonomous system number and name. */
  asn: number | null;
  org: string | null;
  network: string | null;
  localHour: number | null;
  evidence: string | null;
  /**
   * The week's findings of this user for this reason, this one among them (one account signing in
   * from two countries by turns is one per sign-in); absent from models archived before the cap.
   */
  userReasonFindings?: number;
}

/**
 * Rows of suspicious logins the query returns and the archive keeps, at most: the mail shows 20,
 * and one account signing in from two countries by turns all week is tens of thousands of rows
 * (suspicious_logins.sql holds the same number; a test checks they agree).
 */
export const SUSPICIOUS_LOGIN_ROWS = 1000;

/** Sign-ins of the week from one country (null: not placed by the geo database). */
export interface CountryLogins {
  country: string | null;
  logins: number;
  users: number;
}

/**
 * How many of the week's users the suspicious logins' history checks (new country, new network
 * owner, unusual hour) could judge: they need `minHistoryLogins` sign-ins of the user in the
 * `historyDays` days before the week, which a young lake or a new user does not have; the place
 * checks count only the placed ones (with a country), so more users can be short for those.
 */
export interface LoginHistory {
  /** Users with a sign-in in the week. */
  users: number;
  /** Of those, users with fewer than `minHistoryLogins` sign-ins in the history: never judged. */
  shortHistoryUsers: number;
  /**
   * Users with fewer than `minHistoryLogins` placed history sign-ins, whom the new-country and
   * new-network checks never judge (the short ones above among them); absent from a report
   * archived before the count.
   */
  shortPlacedHistoryUsers?: number;
  minHistoryLogins: number;
  historyDays: number;
}

/** What the suspicious-logins section says of the security alerts of the same instance. */
export interface SecurityAlertsNote {
  /** Days of history the report's suspicious-logins query ran with: the week's half of the sentence. */
  historyDays: number;
  /**
   * Days of history the alerts judge each hour against (their own setting, not the report's): the
   * hour's half. Absent from models archived before it was recorded, which said `historyDays` for both.
   */
  alertHistoryDays?: number;
  /**
   * The history sign-ins a user needs, the alerts' and the report's, when the two differ (set in
   * cdk.json); absent when they are the same, and from models archived before it was recorded.
   */
  minHistoryLogins?: JudgedBoth;
  /** The fastest plausible journey in km/h, the alerts' and the report's, when the two differ. */
  maxSpeedKmh?: JudgedBoth;
}

/** One sign-in judging setting as the alerts ran with it and as the report's query did. */
export interface JudgedBoth {
  alerts: number;
  report: number;
}

export interface FailedLoginUser {
  userId: string | null;
  userName: string | null;
  failedAttempts: number;
  lockouts: number;
  distinctIps: number;
  /**
   * The first 3 of those addresses in text order (IPv6 by its /64), so a lockout from one address
   * does not read as part of a spray from another; absent from models archived before they were.
   */
  ipAddresses?: string[];
  firstFailure: string | null;
  lastFailure: string | null;
  lastLockout: string | null;
}

/**
 * The week's failed sign-ins that carry no user id: a name typed that is no user of the instance.
 * A credential-stuffing run tries a new name with each attempt, so these figures, not the rows, say
 * what such a week was.
 */
export interface FailedLoginsWithoutUser {
  /** Distinct names typed (each spelling apart). */
  names: number;
  failedAttempts: number;
  /** Distinct source addresses, told apart as `FailedLoginUser.distinctIps` tells them. */
  addresses: number;
  firstFailure: string | null;
  lastFailure: string | null;
}

/**
 * Rows of failed logins and lockouts the query returns and the archive keeps, at most: the mail
 * shows 20, and a week of hundreds of thousands of names typed must not cost the report its memory
 * (passed to failed_logins_and_lockouts as its max_rows, whose default is the same number).
 */
export const FAILED_LOGIN_ROWS = 1000;

/**
 * Rows of addresses that failed for many users the query returns, at most: a spray with a new name
 * from each of many addresses is one row per five names (failed_logins_by_ip.sql holds the same
 * number).
 */
export const FAILED_ADDRESS_ROWS = 1000;

/**
 * An address that failed to sign in for many users in the week (failed_logins_by_ip.sql): what a
 * password spray looks like, one failure or two per account, so the per-user rows hide it.
 */
export interface FailedLoginAddress {
  ipAddress: string;
  /** Distinct users (user id, or the name typed for failures without one). */
  users: number;
  failedAttempts: number;
  firstFailure: string;
  lastFailure: string;
  /** The latest placed failure's country and network owner; null when none was placed. */
  country: string | null;
  asn: number | null;
  org: string | null;
}

/**
 * Networks and network owners the report lists of each kind, at most: the query's `limit`. The
 * widest groups only: the addresses above them list the narrow ones.
 */
export const FAILED_NETWORK_ROWS = 5;

/**
 * A network (/24, /48), a network owner (ASN) or the names of no user from any address that failed
 * to sign in for many users in the week (failed_logins_by_network.sql): the groups the alerts'
 * password_spray judges beyond one address, with the sign-ins from there.
 */
export interface FailedLoginNetwork {
  kind: 'network' | 'owner' | 'no_user';
  /** `178.62.10.0/24`, `2a03:b0c0:3::/48`, `AS14061`, `any address`. */
  group: string;
  /** The owner's name as the geo data gave it; null for the other kinds. */
  org: string | null;
  users: number;
  failedAttempts: number;
  addresses: number;
  /** Sign-ins of a user from the network or owner in the week, and by how many users. */
  signIns: number;
  signedInUsers: number;
  /** The rows of its kind in all, of which the model holds {@link FAILED_NETWORK_ROWS}. */
  kindRows: number;
}

/**
 * A user's sign-in right after a run of their failed logins or a lockout (login_after_failures.sql,
 * the alerts' `login_after_failures` over the week): the password may have been guessed.
 */
export interface LoginAfterFailures {
  eventTime: string;
  userId: string | null;
  userName: string | null;
  ipAddress: string | null;
  /** The user's failed logins and lockouts in the hour before, since their last such sign-in. */
  failedAttempts: number;
  lockouts: number;
  firstFailure: string | null;
  lastFailure: string | null;
  /** Whether one of those failures came from the sign-in's own address. */
  fromFailingIp: boolean;
  /** The week's such sign-ins of this user, this one among them. */
  userRows: number;
}
/**
 * Rows of sign-ins after failed logins the query returns and the archive keeps, at most (passed to
 * login_after_failures as its max_rows, whose default is the same number): each user's first before
 * any second, so one account failing all week does not push the others out.
 */
export const LOGIN_AFTER_FAILURES_ROWS = 1000;
/**
 * A change to who may do what (admin_changes.sql over the week): a role raised, a user added to a
 * group, an access token made, a sign-in setting changed. What an intruder with an admin's password
 * does to stay in, and what a leaver does before going.
 */
export interface PrivilegedChange {
  eventTime: string;
  /** The user the change was done as: who did it, unless {@link actorId} names someone acting for them. */
  userId: string | null;
  userName: string | null;
  /**
   * Who acted as {@link userId} (Domo's `actorId`): an admin acting as another user. `0`, empty or
   * the user's own id names nobody acting (privileged-change-rank.ts, `actorOf`).
   */
  actorId: string | null;
  actorName: string | null;
  actionType: string | null;
  objectType: string | null;
  /** The object's id: a user's own id when the change was to their own account. */
  objectId: string | null;
  objectName: string | null;
  /** Domo's comment on the event: often the one place that says what changed. */
  comment: string | null;
  ipAddress: string | null;
  /**
   * The further copies of it Domo served (`X-1`, … beside `X`, identical twins), listed as this
   * one change (admin_changes' `twins`); absent when none, and in models archived before it.
   */
  twins?: number;
}
/** Rows of privileged changes the query returns and the archive keeps, at most (its max_rows). */
export const PRIVILEGED_CHANGE_ROWS = 1000;
/**
 * A user who moved data out far beyond their own usual (bulk_data_movement.sql over the week, with
 * the report's history): exports and shares against the same user's in the days before.
 */
export interface BulkDataMover {
  userId: string;
  userName: string | null;
  /** `above_baseline` or `first_time` (others shown as they come). */
  finding: string;
  /** Exports and shares of the week. */
  moves: number;
  exports: number;
  shares: number;
  /** Of the exports, those of a whole dataset (`DATA_SOURCE`). */
  datasetExports: number;
  objects: number;
  /** The user's moves in the history, and their events of every kind there. */
  historyMoves: number;
  historyEvents: number;
  /** The history's moves scaled to the week's length. */
  baselineMoves: number;
  firstTime: string;
  lastTime: string;
}
/** Rows of bulk data movers the archive keeps, at most (the query lists every one it finds). */
export const BULK_DATA_MOVER_ROWS = 1000;
/** Where a sign-in event was kept out of the login figures (uncounted_sign_ins.sql). */
export type UncountedSource = 'unrecognised' | 'quarantined';

/** Some of the week's uncounted sign-in events, by the action type Domo gave them. */
export interface UncountedActionType {
  source: UncountedSource;
  /** As Domo sent it; null when the entry had none. */
  actionType: string | null;
  /** One event text of them: what a rule can match when there is no action type. */
  exampleText: string | null;
  entries: number;
}

/**
 * Entries of the week that look like sign-in events (a sign-in, sign-out, lockout or failed
 * authentication) but are in no login figure: a week must not read as quiet for want of them.
 */
export interface UncountedSignIns {
  /** Stored as `other`: the ingest's category rules did not recognise Domo's wording. */
  unrecognised: number;
  /** Quarantined: the ingest could not read them. */
  quarantined: number;
  /**
   * Every entry quarantined in the week, sign-in event or not, as the query counted them; absent
   * when none of them looked like one, and from models archived before it was counted.
   */
  quarantinedEntries?: number;
  /** The most frequent action types of each source, most entries first (at most 10 each). */
  actionTypes: UncountedActionType[];
}

export interface DataHealth {
  expectedHours: number;
  coveredHours: number;
  missingHours: number;
  /** 100 × covered / expected, one decimal (0 when nothing was expected). */
  coveragePct: number;
  gapCount: number;
  firstMissingHour: string | null;
  lateEvents: number;
  quarantined: number;
  outOfWindow: number;
  events: number;
  lastEventTime: string | null;
  lastFetchedAt: string | null;
  /** Sign-ins (category login) of the period (absent from models archived before it was counted). */
  logins?: number;
  /**
   * Of those, sign-ins with an address no geo database looked up (`geo_db_version` null: stored
   * while the ingest's geo database was unavailable, or before enrichment existed). The place
   * checks (new country, new network owner, impossible travel) could not judge them; `enrich`
   * over the week fills them. Absent from models archived before it was counted.
   */
  unplacedLogins?: number;
  /**
   * Covered hours of the period holding fewer events than their manifests counted, and the events
   * gone: removed from the lake after the ingest stored them. Absent from models archived before.
   */
  shortHours?: number;
  shortEvents?: number;
  /**
   * Of the sign-ins, those naming no user: no user id (Domo renamed or nested its user fields,
   * say), or one empty, white space or 0 (Domo's none). No check of the suspicious logins judges
   * them. Before 2026-12-06 only a null id was counted. Absent from models archived before it was counted.
   */
  loginsWithoutUser?: number;
  /**
   * Of the sign-ins, those stored without an IP address: the place checks cannot judge them, no geo
   * database can place them (not among `unplacedLogins`, which `enrich` fills), and they count as an
   * unknown country. Absent from models archived before it was counted.
   */
  loginsWithoutIp?: number;
  /**
   * Of the sign-ins, those with an address a geo database looked up and gave no country (private,
   * reserved, or unknown to it): the place checks cannot judge them either, and `enrich` with the
   * same data leaves them so (not among `unplacedLogins`). They count as an unknown country.
   * Absent from models archived before it was counted.
   */
  loginsWithoutCountry?: number;
  /**
   * Covered hours of the period holding more events than their manifests counted, and the events
   * over it: objects the ingest did not write (an operator's copy or restore under the lake, or
   * forged events), which every figure counts as the week's. Absent from models archived before.
   */
  extraHours?: number;
  extraEvents?: number;
  /**
   * Events of the period stored with no action type (Domo's entries came without `actionType`, or
   * with white space): the category rules read it to tell a sign-in, so such events are `other`
   * whatever they were. Absent from models archived before it was counted.
   */
  eventsWithoutActionType?: number;
  /**
   * The missing hours apart (they add up to `missingHours`): ended hours before the week's first
   * covered hour (all of them when none is), runs of missing hours between two covered hours and
   * their hours, ended hours after its last covered hour, and hours not ended yet, which no run can
   * have pulled. Where the lake begins in the week is the first covered hour after the leading
   * ones. Absent from models archived before they were counted.
   */
  leadingMissingHours?: number;
  innerGapCount?: number;
  innerMissingHours?: number;
  trailingMissingHours?: number;
  notClosedHours?: number;
  /**
   * The first {@link MISSING_RUNS_READ} runs of the period's ended missing hours, in time order: each
   * one's first hour (a lake timestamp) and its hours, so the notes name where the week's hours are
   * missing, not only where the first is. Absent from models archived before they were read.
   */
  missingRuns?: MissingRun[];
}

/** A run of consecutive missing hours. */
export interface MissingRun {
  /** Its first hour's start. */
  start: string;
  hours: number;
}

/** Runs of missing hours data_health names (its `missing_runs`), at most: the notes name a few. */
export const MISSING_RUNS_READ = 3;

export interface ReportPeriod {
  isoWeek: string;
  /** ISO 8601 UTC instants of the week's local Monday 00:00 and the next one (exclusive). */
  startUtc: string;
  endUtc: string;
  /** Local dates, Monday first. */
  days: string[];
}

export interface WeeklyReportModel {
  /**
   * Bumped when the shape changes, so archived JSON can be read back knowingly. The JSON written
   * says 2, its times' form (report-model-json.ts); the model in memory keeps 1's lake times.
   */
  schemaVersion: 1;
  instance: string;
  timeZone: string;
  week: ReportPeriod;
  previousWeek: ReportPeriod;
  /** ISO 8601 UTC instant the report was computed. */
  generatedAt: string;
  /**
   * The ingest's lag threshold the report judged the week's last missing hours by (alarms.lagHours,
   * lag-threshold.ts): those that ended longer ago than this before {@link generatedAt} are a gap,
   * the others not in the lake yet (missing-hours.ts). Absent from models archived before it was
   * recorded, which read the default.
   */
  ingestLagHours?: number;
  /**
   * The deployment's retention.maxDays the report judged the week by: a week older than it is aged
   * out by policy (aged-out-week.ts). Absent: not known to the report (or archived before it was).
   */
  maxDays?: number;
  status: WeekStatus;
  /**
   * Set on a report that corrects the week's earlier mail, made when the lake held fewer of the
   * week's hours (week-correction.ts): the subject and the first line say so.
   */
  correctionOf?: ReportCorrectionOf;
  /** Plain sentences about completeness and comparability, shown at the top of every rendering. */
  notes: string[];
  totals: {
    events: Change;
    activeUsers: Change;
    logins: Change;
    failedLogins: Change;
    lockouts: Change;
    distinctObjects: number;
  };
  /** One entry per day of the week, zero-filled, Monday first. */
  daily: DayActivity[];
  topUsers: TopUser[];
  topCards: TopCard[];
  topPages: TopPage[];
  /**
   * The week's suspicious logins, one row per login and reason: the first
   * {@link SUSPICIOUS_LOGIN_ROWS} of them, each user's first row of each reason before any second
   * one (all of them, in time order, in models archived before the cap). Renderers cap the list.
   */
  suspiciousLogins: SuspiciousLogin[];
  /**
   * How many rows (findings) and logins the week had in all, `suspiciousLogins` holding the first
   * rows; absent from models archived before the cap, whose `suspiciousLogins` holds them all.
   */
  suspiciousTotals?: { findings: number; logins: number };
  /** Sign-ins of the week per country, most first (absent from models archived before issue 12). */
  loginsByCountry?: CountryLogins[];
  /**
   * The geo databases that placed the week's sign-ins (the `geo_db_version` of those looked up),
   * distinct, in name order; empty when none was looked up. The renderers date them beside the geo
   * data's attribution: places move between releases. Absent from models archived before it was
   * recorded.
   */
  geoDbVersions?: string[];
  /** Whether the week's users had the history the checks need (absent from models archived before). */
  loginHistory?: LoginHistory;
  /**
   * Present when security alerts run on the instance (docs/alerts.md). They follow the same query
   * as the suspicious logins, but judge each hour against the days before that hour,
   * so they can list logins this report does not, or the reverse: the section says so, lest an
   * alert on Wednesday and "No suspicious logins found" on Monday read as one of them being wrong.
   * Absent when alerts are not enabled, and from models archived before it was recorded.
   */
  securityAlerts?: SecurityAlertsNote;
  /**
   * The caller's command that lists a user's events of the week, up to the user's id
   * (dig-into-user.ts): the mail names it with a user's id under its first list of users. Absent
   * when the caller gave none, and from models archived before it was recorded.
   */
  userActivityCommand?: string;
  /**
   * Where {@link userActivityCommand} runs, when not anywhere, in the caller's words after the
   * user's name (`run in a checkout of ...`): the deployed report's `npx --no` finds the command
   * only in the project's checkout (review R-REPORTID M3). Absent when it runs anywhere.
   */
  userActivityCommandWhere?: string;
  /**
   * The users with failed logins or lockouts in the week, lockouts first, then most failures: the
   * first {@link FAILED_LOGIN_ROWS} of them (all of them in models archived before the cap).
   */
  failedLogins: FailedLoginUser[];
  /**
   * How many users (and names typed without a user id) had failed logins or lockouts in the week,
   * `failedLogins` holding the first of them; absent from models archived before the cap, whose
   * `failedLogins` holds them all.
   */
  failedLoginUsers?: number;
  /** The week's failures without a user id, all of them; absent when there were none. */
  failedLoginsWithoutUser?: FailedLoginsWithoutUser;
  /**
   * Addresses whose failed sign-ins named at least {@link MANY_USERS_FROM_ONE_ADDRESS} users in the
   * week, most users first (absent from models archived before it was recorded).
   */
  failedLoginAddresses?: FailedLoginAddress[];
  /**
   * How many addresses failed for many users in the week, `failedLoginAddresses` holding the first
   * {@link FAILED_ADDRESS_ROWS}; absent from models archived before the cap.
   */
  failedLoginAddressCount?: number;
  /**
   * Networks and network owners that failed for many users in the week, and the names of no user
   * (absent from models archived before they were counted).
   */
  failedLoginNetworks?: FailedLoginNetwork[];
  /**
   * The week's sign-ins after a run of failed logins or a lockout of the same user, in time order:
   * the first {@link LOGIN_AFTER_FAILURES_ROWS} (absent from models archived before they were read).
   */
  loginsAfterFailures?: LoginAfterFailures[];
  /** How many such sign-ins the week had in all, `loginsAfterFailures` holding the first of them. */
  loginsAfterFailuresTotal?: number;
  /**
   * The failed logins before a sign-in that list it in {@link loginsAfterFailures} (the alerts'
   * `failuresBeforeLogin`). Absent from models archived before it was recorded, which ran with 4.
   */
  failuresBeforeLogin?: number;
  /**
   * The week's changes to who may do what, in time order: {@link PRIVILEGED_CHANGE_ROWS} at most,
   * each actor's gravest first (admin_changes' keep_rows gravest; models archived before it hold
   * the first in time), absent from models archived before they were read.
   */
  privilegedChanges?: PrivilegedChange[];
  /** How many such changes the week had in all, `privilegedChanges` holding the gravest of them. */
  privilegedChangesTotal?: number;
  /**
   * The week's users who moved data far beyond their own usual, or for the first time, most moves
   * first: the first {@link BULK_DATA_MOVER_ROWS} (absent from models archived before they were read).
   */
  bulkDataMovers?: BulkDataMover[];
  /** How many such users the week had in all, `bulkDataMovers` holding the first of them. */
  bulkDataMoversTotal?: number;
  /**
   * True when none were found and the lake holds none of the history they are judged against (the
   * `historyDays` before the week): nobody was judged, which the section says rather than "no user"
   * (review of stop 89). Absent otherwise, or when the engine could not tell.
   */
  bulkDataNoHistory?: true;
  /** Sign-in events of the week no login figure counts (absent from models archived before it was counted). */
  uncountedSignIns?: UncountedSignIns;
  /**
   * Why the week's uncounted sign-in events were not counted, on one line, when their query failed:
   * the count is a caveat, so its failure leaves it out (`uncountedSignIns` absent) rather than the
   * whole report unsent.
   */
  uncountedSignInsNotChecked?: string;
  health: DataHealth;
  /** Data health of the previous week, to judge whether the changes compare like with like. */
  previousHealth: DataHealth;
  /** Bytes the engine scanned for the whole report, when it reports them (Athena). */
  bytesScanned: number;
}

/**
 * Distinct users one address must fail to sign in for in the week to be listed: a person mistyping
 * fails for one account, and a shared office address for a few, where a spray tries many. The
 * query (failed_logins_by_ip.sql) holds the same number; a test checks they agree. Not the alerts'
 * `sprayUsers` (10 users within 10 minutes): the report looks at the whole week, so a slow spray
 * spread over days counts too, and a lower bar is still rare from one address over a week.
 */
export const MANY_USERS_FROM_ONE_ADDRESS = 5;

/**
 * Whether the report was made before its week ended: a preview, labelled as such in every
 * rendering and never recorded as the week's report. True for an `empty` week in progress too.
 * This is the run's decision (`ReportRun.preview`, report-run.ts) as the model records it (its
 * status, or the instant it was made against the week's end), so the renderers, and a model read
 * back from its archive, need no run.
 */
export const weekInProgress = (model: Pick<WeeklyReportModel, 'status' | 'generatedAt' | 'week'>): boolean =>
  model.status === 'in-progress' || Date.parse(model.generatedAt) < Date.parse(model.week.endUtc);

/**
 * Whether the lake holds nothing of a period: no hour of it ingested and no event in it. Such a week
 * is `empty`, and a week before like it has no figures to show, only zeros that are not counts.
 */
export const holdsNoData = (health: Pick<DataHealth, 'coveredHours' | 'events'>): boolean =>
  health.coveredHours === 0 && health.events === 0;

/** What keeps a week's figures from being whole, the gravest first. */
export type WeekShortfall = 'no-data' | 'partial' | 'events-gone' | 'events-added';

/**
 * The one reading of a week's data health that the notes, the headline boxes and the subject all
 * follow: no data at all, hours missing, events removed after they were stored, or events the
 * ingest did not record; undefined when the lake holds the whole week as the ingest recorded it.
 */
export function weekShortfall(
  health: Pick<DataHealth, 'coveredHours' | 'expectedHours' | 'events' | 'shortHours' | 'extraHours'>,
): WeekShortfall | undefined {
  if (holdsNoData(health)) return 'no-data';
  if (health.coveredHours < health.expectedHours) return 'partial';
  if ((health.shortHours ?? 0) > 0) return 'events-gone';
  // Events the ingest did not record overcount as gone ones undercount.
  if ((health.extraHours ?? 0) > 0) return 'events-added';
  return undefined;
}

/**
 * Users were active and not one sign-in was categorised as one: the likeliest cause is category
 * rules that miss the instance's actions, which silences every login section without an error.
 */
export const noLoginsAmongActiveUsers = (
  health: Pick<DataHealth, 'logins' | 'events'>,
  activeUsers: number,
): boolean => health.logins === 0 && health.events > 0 && activeUsers > 0;
