import type {
  DataHealth,
  FailedLoginAddress,
  LoginAfterFailures,
  PrivilegedChange,
  WeeklyReportModel,
} from '../../../functions/core/report/report-model.ts';

/** A string with every character HTML cares about; `${tag}` tells the fields apart in assertions. */
export const hostile = (tag: string) => `<script>"${tag}"&'</script>`;

/** {@link hostile} as it must appear in HTML. */
export const hostileEscaped = (tag: string) => `&lt;script&gt;&quot;${tag}&quot;&amp;&#39;&lt;/script&gt;`;

/** A sign-in an hour after six failures and a lockout of the same user, from an address that failed. */
/** A privileged change of the common kind: a user raised to Admin, by nobody else. */
export const madeAdmin: PrivilegedChange = {
  eventTime: '2026-11-18 14:46:34.000',
  userId: '1650012345',
  userName: 'Zoe Santos',
  actorId: null,
  actorName: null,
  actionType: 'UPDATED',
  objectType: 'USER',
  objectId: '42',
  objectName: 'Ada Kaur',
  comment: 'Role changed from Participant to Admin',
  ipAddress: '193.36.124.86',
};

/** An address whose sign-ins failed for a dozen users in ten minutes: a spray. */
export const sprayingAddress: FailedLoginAddress = {
  ipAddress: '44.226.102.150',
  users: 12,
  failedAttempts: 30,
  firstFailure: '2026-11-18 09:00:00.000',
  lastFailure: '2026-11-18 09:10:00.000',
  country: 'US',
  asn: 16509,
  org: 'Amazon',
};

export const signInAfterFailures: LoginAfterFailures = {
  eventTime: '2026-11-18 09:06:00.000',
  userId: '1039710626',
  userName: 'Wei Euler',
  ipAddress: '198.51.100.9',
  failedAttempts: 6,
  lockouts: 1,
  firstFailure: '2026-11-18 09:00:00.000',
  lastFailure: '2026-11-18 09:05:00.000',
  fromFailingIp: true,
  userRows: 1,
};

export const fullHealth = (overrides: Partial<DataHealth> = {}): DataHealth => ({
  expectedHours: 168,
  coveredHours: 168,
  missingHours: 0,
  coveragePct: 100,
  gapCount: 0,
  firstMissingHour: null,
  lateEvents: 4,
  quarantined: 2,
  outOfWindow: 0,
  events: 1234,
  lastEventTime: '2026-11-22 23:58:01.000',
  lastFetchedAt: '2026-11-23 00:20:00.000',
  ...overrides,
});

const change = (current: number, previous: number) => ({
  current,
  previous,
  delta: current - previous,
  pct: previous === 0 ? null : Math.round((1000 * (current - previous)) / previous) / 10,
});

/**
 * {@link sampleModel} with every day's covered hours: Wednesday 18 Nov is not in the lake at all,
 * Saturday 21 Nov is in it but quiet (no events).
 */
export function modelWithMissingDay(overrides: Partial<WeeklyReportModel> = {}): WeeklyReportModel {
  const model = sampleModel(overrides);
  model.daily = model.daily.map((d) => {
    if (d.day === '2026-11-18')
      return { ...d, events: 0, activeUsers: 0, logins: 0, failedLogins: 0, lockouts: 0, coveredHours: 0 };
    if (d.day === '2026-11-21') return { ...d, events: 0, activeUsers: 0, logins: 0, coveredHours: 24 };
    return { ...d, coveredHours: 24 };
  });
  return model;
}

/** A complete week of instance `acme` in UTC; every Domo string can be swapped for a hostile one. */
export function sampleModel(overrides: Partial<WeeklyReportModel> = {}): WeeklyReportModel {
  return {
    schemaVersion: 1,
    instance: 'acme',
    timeZone: 'UTC',
    week: {
      isoWeek: '2026-W47',
      startUtc: '2026-11-16T00:00:00.000Z',
      endUtc: '2026-11-23T00:00:00.000Z',
      days: [
        '2026-11-16',
        '2026-11-17',
        '2026-11-18',
        '2026-11-19',
        '2026-11-20',
        '2026-11-21',
        '2026-11-22',
      ],
    },
    previousWeek: {
      isoWeek: '2026-W46',
      startUtc: '2026-11-09T00:00:00.000Z',
      endUtc: '2026-11-16T00:00:00.000Z',
      days: [
        '2026-11-09',
        '2026-11-10',
        '2026-11-11',
        '2026-11-12',
        '2026-11-13',
        '2026-11-14',
        '2026-11-15',
      ],
    },
    generatedAt: '2026-11-23T07:00:00.000Z',
    status: 'complete',
    notes: [],
    totals: {
      events: change(12345, 11431),
      activeUsers: change(38, 40),
      logins: change(190, 180),
      failedLogins: change(14, 9),
      lockouts: change(1, 0),
      distinctObjects: 210,
    },
    daily: [
      { day: '2026-11-16', events: 2500, activeUsers: 35, logins: 40, failedLogins: 3, lockouts: 0 },
      { day: '2026-11-17', events: 2400, activeUsers: 34, logins: 38, failedLogins: 2, lockouts: 0 },
      { day: '2026-11-18', events: 2300, activeUsers: 33, logins: 36, failedLogins: 8, lockouts: 1 },
      { day: '2026-11-19', events: 2200, activeUsers: 32, logins: 35, failedLogins: 1, lockouts: 0 },
      { day: '2026-11-20', events: 2000, activeUsers: 30, logins: 30, failedLogins: 0, lockouts: 0 },
      { day: '2026-11-21', events: 545, activeUsers: 8, logins: 6, failedLogins: 0, lockouts: 0 },
      { day: '2026-11-22', events: 400, activeUsers: 5, logins: 5, failedLogins: 0, lockouts: 0 },
    ],
    topUsers: [
      {
        userId: '101',
        userName: 'Ada Lovelace',
        events: 900,
        distinctObjects: 40,
        activeDays: 5,
        logins: 6,
        lastSeen: '2026-11-20 17:00:00.000',
      },
      {
        userId: '102',
        userName: null,
        events: 500,
        distinctObjects: 20,
        activeDays: 4,
        logins: 4,
        lastSeen: '2026-11-19 17:00:00.000',
      },
    ],
    topCards: [
      {
        cardId: '9001',
        cardName: 'Revenue by Region',
        views: 300,
        previousViews: 250,
        change: 50,
        changePct: 20,
      },
      { cardId: '9002', cardName: 'Churn', views: 120, previousViews: 0, change: 120, changePct: null },
    ],
    topPages: [{ pageId: '77', pageName: 'Sales Overview', views: 400, viewers: 25 }],
    suspiciousLogins: [
      {
        eventTime: '2026-11-18 03:04:05.000',
        userId: '103',
        userName: 'Grace Hopper',
        reason: 'unusual_hour',
        ipAddress: '198.51.100.7',
        country: 'US',
        asn: 7922,
        org: 'Comcast Cable Communications, LLC',
        network: '198.51.100.0/24',
        localHour: 3,
        evidence: 'login at 03:00 UTC; 0 of 42 logins in the previous 30 days were at this hour',
      },
    ],
    loginsByCountry: [
      { country: 'US', logins: 40, users: 20 },
      { country: 'DE', logins: 12, users: 4 },
      { country: 'GB', logins: 3, users: 1 },
      { country: null, logins: 2, users: 2 },
    ],
    failedLogins: [
      {
        userId: '104',
        userName: 'Alan Turing',
        failedAttempts: 8,
        lockouts: 1,
        distinctIps: 2,
        firstFailure: '2026-11-18 09:00:00.000',
        lastFailure: '2026-11-18 09:06:00.000',
        lastLockout: '2026-11-18 09:06:30.000',
      },
    ],
    health: fullHealth(),
    previousHealth: fullHealth({ events: 11431 }),
    bytesScanned: 0,
    ...overrides,
  };
}

/** `01`, `02`, …: the 1-based row number `i + 1`, two digits. */
export const n2 = (i: number) => String(i + 1).padStart(2, '0');

/** A week with `rows` users, cards and pages, named `User 01`, `Card 01`, `Page 01`... */
export function longTopLists(
  rows: number,
  name = (kind: string, i: number) => `${kind} ${n2(i)}`,
): WeeklyReportModel {
  const base = sampleModel();
  const user = base.topUsers[0] as WeeklyReportModel['topUsers'][0];
  return {
    ...base,
    topUsers: Array.from({ length: rows }, (_, i) => ({
      ...user,
      userId: `u${i}`,
      userName: name('User', i),
    })),
    topCards: Array.from({ length: rows }, (_, i) => ({
      cardId: `c${i}`,
      cardName: name('Card', i),
      views: 100 - i,
      previousViews: 1,
      change: 99 - i,
      changePct: 50,
    })),
    topPages: Array.from({ length: rows }, (_, i) => ({
      pageId: `p${i}`,
      pageName: name('Page', i),
      views: 100 - i,
      viewers: 1,
    })),
  };
}
