/**
 * Review R-PHONE M2: on a phone the report's first screen held the title, five figures one per
 * line and the daily bars; the suspicious logins were no figure, and the subject led with the
 * events. The report now opens with a line of what to look at, a suspicious-logins box first and
 * three boxes a line on a phone, and the subject leads with the suspicious logins and lockouts.
 */
import { describe, expect, it } from 'vitest';
import { WIDE_CSS } from '../../../functions/core/report/html-style.ts';
import { renderHtml } from '../../../functions/core/report/render-html.ts';
import { renderText } from '../../../functions/core/report/render-text.ts';
import { reportSubject } from '../../../functions/core/report/report-subject.ts';
import { weekSummary } from '../../../functions/core/report/week-summary.ts';
import { sampleModel } from './model-fixture.ts';

const address = {
  ipAddress: '44.226.102.150',
  users: 15,
  failedAttempts: 19,
  firstFailure: '2026-11-18 03:25:00.000',
  lastFailure: '2026-11-18 03:29:00.000',
  country: 'US',
  asn: 16509,
  org: 'Amazon.com, Inc.',
};

describe("the report's first screen", () => {
  const model = sampleModel({ failedLoginAddresses: [address], failedLoginAddressCount: 1 });
  const subject = reportSubject(model);
  const html = renderHtml(model, subject);

  it('opens with a line of what to look at, in the HTML and the text, above the figures', () => {
    const line = weekSummary(model) ?? '';
    expect(line).toMatch(
      /^This week: \d+ suspicious logins? · 1 lockout · 1 address failing logins for many users \(44\.226\.102\.150\); details below\.$/,
    );
    const at = html.indexOf(`>${line}</td>`);
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(html.indexOf('class="tile"'));
    const text = renderText(model).replaceAll('\n', ' ');
    expect(text.indexOf(line)).toBeGreaterThan(0);
    expect(text.indexOf(line)).toBeLessThan(text.indexOf('TOTALS'));
  });

  it('does not read as all clear when the users could not be judged', () => {
    const young = sampleModel({ suspiciousLogins: [], failedLoginAddresses: [], failedLoginAddressCount: 0 });
    young.totals.lockouts = { current: 0, previous: 0, delta: 0, pct: 0 };
    young.loginHistory = { users: 5, shortHistoryUsers: 5, minHistoryLogins: 10, historyDays: 30 };
    expect(weekSummary(young)).toMatch(/^This week: 0 suspicious logins \(.*not judged\); details below\.$/);
  });

  it('says there is nothing to look at in a quiet week', () => {
    const quiet = sampleModel({ suspiciousLogins: [], failedLoginAddresses: [], failedLoginAddressCount: 0 });
    quiet.totals.lockouts = { current: 0, previous: 0, delta: 0, pct: 0 };
    quiet.health.quarantined = 0;
    expect(weekSummary(quiet)).toBe('This week: no suspicious login, no lockout.');
  });

  // Review R-PHONE2: the failed-logins section says `none among the entries read`; the first line
  // said a flat all clear above it.
  it('holds its all clear to the hours and entries read', () => {
    const quiet = sampleModel({ suspiciousLogins: [], failedLoginAddresses: [], failedLoginAddressCount: 0 });
    quiet.totals.lockouts = { current: 0, previous: 0, delta: 0, pct: 0 };
    quiet.health.quarantined = 0;
    quiet.health.quarantined = 11;
    expect(weekSummary(quiet)).toBe('This week: no suspicious login, no lockout among the entries read.');
    quiet.status = 'partial';
    expect(weekSummary(quiet)).toBe(
      'This week: no suspicious login, no lockout in the hours the lake holds, among the entries read.',
    );
  });

  // Review R-PHONE2: a spray from a new address for each name is under no address; the line read
  // `no suspicious login, no lockout.` above the section that listed its network.
  it('does not read as all clear when a network or unknown names failed for many users', () => {
    const quiet = sampleModel({ suspiciousLogins: [], failedLoginAddresses: [], failedLoginAddressCount: 0 });
    quiet.totals.lockouts = { current: 0, previous: 0, delta: 0, pct: 0 };
    quiet.health.quarantined = 0;
    const group = {
      kind: 'network' as const,
      group: '178.62.10.0/24',
      org: null,
      users: 31,
      failedAttempts: 33,
      addresses: 31,
      signIns: 0,
      signedInUsers: 0,
      kindRows: 1,
    };
    const office = { ...group, group: '81.2.69.0/24', signIns: 212, signedInUsers: 14 };
    const unknown = { ...group, kind: 'no_user' as const, group: 'any address', users: 32 };
    quiet.failedLoginNetworks = [office, group, unknown];
    expect(weekSummary(quiet)).toBe(
      'This week: 1 network failing logins for many users (178.62.10.0/24) · failed logins under 32 unknown user names; details below.',
    );
    // A spray is in its network and its owner: the owner names it only without a network.
    const owner = { ...group, kind: 'owner' as const, group: 'AS14061', org: 'DigitalOcean, LLC' };
    quiet.failedLoginNetworks = [group, owner];
    expect(weekSummary(quiet)).toBe(
      'This week: 1 network failing logins for many users (178.62.10.0/24); details below.',
    );
    // Named in the subject too, after the lockouts as a spraying address is; the office never.
    expect(reportSubject(quiet)).toMatch(/\): 0 suspicious logins, 0 lockouts, 1 spraying network, /);
    quiet.failedLoginNetworks = [office];
    expect(reportSubject(quiet)).not.toContain('spraying');
    quiet.failedLoginNetworks = [office, owner];
    expect(weekSummary(quiet)).toBe(
      'This week: 1 network owner failing logins for many users (AS14061 DigitalOcean, LLC); details below.',
    );
    // The network of the users' own sign-ins is theirs, as the section says: no story of itself.
    quiet.failedLoginNetworks = [office];
    expect(weekSummary(quiet)).toBe('This week: no suspicious login, no lockout.');
  });

  // Review R-SECOND2 M1: a week whose lockout was deleted from the lake read as all clear under
  // the note that says someone removed data.
  it('holds its all clear to events gone from the lake or not stored by the ingest', () => {
    const quiet = sampleModel({ suspiciousLogins: [], failedLoginAddresses: [], failedLoginAddressCount: 0 });
    quiet.totals.lockouts = { current: 0, previous: 0, delta: 0, pct: 0 };
    quiet.health.quarantined = 0;
    quiet.health.shortHours = 3;
    quiet.health.shortEvents = 12;
    expect(weekSummary(quiet)).toBe(
      'This week: no suspicious login, no lockout among the events left in the lake.',
    );
    quiet.health.shortHours = 0;
    quiet.health.extraHours = 2;
    quiet.health.extraEvents = 40;
    expect(weekSummary(quiet)).toBe(
      'This week: no suspicious login, no lockout in a lake holding events the ingest did not store.',
    );
  });

  // Review R-SECOND2 L1: the check of the sign-ins the category rules miss failed, and the line
  // said a plain all clear.
  it('says when the check of uncounted sign-ins did not run', () => {
    const quiet = sampleModel({ suspiciousLogins: [], failedLoginAddresses: [], failedLoginAddressCount: 0 });
    quiet.totals.lockouts = { current: 0, previous: 0, delta: 0, pct: 0 };
    quiet.health.quarantined = 0;
    quiet.uncountedSignIns = undefined;
    quiet.uncountedSignInsNotChecked = 'Athena: AccessDenied';
    expect(weekSummary(quiet)).toBe(
      'This week: no suspicious login, no lockout among the entries read (the check for sign-ins the category rules miss did not run).',
    );
  });

  // Review R-SECOND2 M2: a spray that took an account, which then signed in from its network, left
  // the line as a flat all clear.
  it('keeps a spraying network someone then signed in from', () => {
    const quiet = sampleModel({ suspiciousLogins: [], failedLoginAddresses: [], failedLoginAddressCount: 0 });
    quiet.totals.lockouts = { current: 0, previous: 0, delta: 0, pct: 0 };
    quiet.health.quarantined = 0;
    const group = {
      kind: 'network' as const,
      group: '178.62.10.0/24',
      org: null,
      users: 31,
      failedAttempts: 33,
      addresses: 31,
      signIns: 1,
      signedInUsers: 1,
      kindRows: 1,
    };
    const office = { ...group, group: '81.2.69.0/24', signIns: 212, signedInUsers: 14 };
    const quietNet = { ...group, group: '5.6.7.0/24', signIns: 0, signedInUsers: 0 };
    quiet.failedLoginNetworks = [office, quietNet, group];
    expect(weekSummary(quiet)).toBe(
      'This week: 2 networks failing logins for many users (first 178.62.10.0/24; 1 user signed in from it); details below.',
    );
    // The subject as the line: it said `0 suspicious logins, 0 lockouts` and nothing of the spray.
    expect(reportSubject(quiet)).toMatch(
      /\): 1 user signed in from a spraying network, 0 suspicious logins, 0 lockouts, /,
    );
    const owner = { ...group, kind: 'owner' as const, group: 'AS14061', org: 'DigitalOcean, LLC' };
    quiet.failedLoginNetworks = [office, owner];
    expect(weekSummary(quiet)).toBe(
      'This week: 1 network owner failing logins for many users (AS14061 DigitalOcean, LLC; 1 user signed in from it); details below.',
    );
    expect(reportSubject(quiet)).toMatch(
      /\): 1 user signed in from a spraying network owner, 0 suspicious logins, 0 lockouts, /,
    );
  });

  it('shows the suspicious logins as the first box, then the lockouts and failed logins', () => {
    const labels = [...html.matchAll(/class="tile"[\s\S]*?padding-top:2px;">([^<]+)<\/div>/g)].map(
      (m) => m[1],
    );
    expect(labels).toEqual([
      'Suspicious logins',
      'Lockouts',
      'Failed logins',
      'Events',
      'Active users',
      'Logins',
    ]);
  });

  it('lays the boxes three a line on a phone, inline, and as wide as their text on a desktop', () => {
    expect(html).toContain('<div class="tile" style="display:inline-block;width:33.3%;');
    expect(WIDE_CSS).toContain('.tile { width: auto !important; min-width: 16% !important; }');
  });

  it('leads its subject with the suspicious logins and the lockouts, the events last', () => {
    expect(subject).toMatch(
      /^Domo activity 2026-W47 \(acme\): \d+ suspicious logins?[^,]*, 1 lockout, 1 spraying address, [\d,]+ events/,
    );
    // Review R-PHONE2: the spray the first line names was no part of the subject below 50 failures.
    const quiet = sampleModel({ failedLoginAddresses: [], failedLoginAddressCount: 0 });
    expect(reportSubject(quiet)).not.toContain('spraying');
  });
});
